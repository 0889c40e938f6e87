import { UCUM_SYSTEM } from '../../systems/index.js';

/**
 * Parser for the subset of FHIRPath that core and profile invariants mostly use. Anything outside the
 * subset makes `parseFast` return undefined, and the expression is left to fhirpath.js.
 */

export type Node =
  | { kind: 'literal'; value: unknown[] }
  | { kind: 'this' }
  | { kind: 'env'; name: string }
  | { kind: 'member'; target: Node | undefined; name: string }
  | { kind: 'call'; target: Node | undefined; name: string; args: Node[] }
  | { kind: 'index'; target: Node; index: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'is' | 'as'; target: Node; type: string };

type Token = { t: 'id' | 'str' | 'num' | 'op' | 'env' | 'end'; v: string };

const OPERATORS = ['<=', '>=', '!=', '!~', '=', '~', '<', '>', '|', '&', '+', '-', '(', ')', '[', ']', '.', ','];
const WORD_OPERATORS = new Set(['and', 'or', 'xor', 'implies', 'in', 'contains', 'is', 'as', 'div', 'mod']);

class Unsupported extends Error {}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (text.startsWith('//', i) || text.startsWith('/*', i)) throw new Unsupported('comment');
    if (ch === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\') {
          const e = text[i + 1];
          const map: Record<string, string> = { "'": "'", '"': '"', '`': '`', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t', f: '\f' };
          if (e === undefined || map[e] === undefined) throw new Unsupported('escape');
          s += map[e];
          i += 2;
        } else s += text[i++];
      }
      if (text[i] !== "'") throw new Unsupported('unterminated string');
      i++;
      out.push({ t: 'str', v: s });
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new Unsupported('unterminated identifier');
      out.push({ t: 'id', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      // Quantities (`4 'mg'`) and calendar durations are outside the subset.
      if (/^\s*('|[a-z])/.test(text.slice(i + num[0].length)) && !/^\s*(and|or|xor|implies|in|contains|div|mod)\b/.test(text.slice(i + num[0].length))) throw new Unsupported('quantity');
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const env = /^%([A-Za-z][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (env) {
      out.push({ t: 'env', v: env[1]! });
      i += env[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: WORD_OPERATORS.has(id[0]) ? 'op' : 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new Unsupported(`character ${ch}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'end', v: '' });
  return out;
}

/** Binding power of each binary operator the subset evaluates (FHIRPath precedence, loosest lowest). */
const BINARY: Record<string, number> = {
  implies: 1,
  or: 2,
  xor: 2,
  and: 3,
  in: 4,
  contains: 4,
  '=': 5,
  '!=': 5,
  '~': 5,
  '!~': 5,
  '<': 6,
  '>': 6,
  '<=': 6,
  '>=': 6,
  '|': 7,
  is: 8,
  as: 8,
  '&': 9,
  '+': 9,
  '-': 9,
};

/** Environment variables FHIR defines as constants (fhirpath.js knows only `%ucum` of them). */
const CONSTANTS: Record<string, string> = { ucum: UCUM_SYSTEM };

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || (t.t !== 'op' && t.t !== 'id')) throw new Unsupported(`expected ${v}`);
  }

  parseAll(): Node {
    const node = this.expression(0);
    if (this.peek().t !== 'end') throw new Unsupported('trailing tokens');
    return node;
  }

  private expression(minPower: number): Node {
    let left = this.postfix(this.term());
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op') break;
      const power = BINARY[t.v];
      if (power === undefined) {
        if (t.v === 'div' || t.v === 'mod') throw new Unsupported(t.v);
        break;
      }
      if (power <= minPower) break;
      this.next();
      if (t.v === 'is' || t.v === 'as') {
        const type = this.next();
        if (type.t !== 'id') throw new Unsupported('type specifier');
        left = { kind: t.v, target: left, type: type.v };
        continue;
      }
      const right = this.expression(power);
      left = { kind: 'binary', op: t.v, left, right };
    }
    return left;
  }

  private term(): Node {
    const t = this.next();
    if (t.t === 'str') return { kind: 'literal', value: [t.v] };
    if (t.t === 'num') return { kind: 'literal', value: [Number(t.v)] };
    if (t.t === 'env') {
      const constant = CONSTANTS[t.v];
      if (constant !== undefined) return { kind: 'literal', value: [constant] };
      if (t.v !== 'resource' && t.v !== 'rootResource' && t.v !== 'context' && t.v !== 'extension') throw new Unsupported(`%${t.v}`);
      return { kind: 'env', name: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      const inner = this.expression(0);
      this.expect(')');
      return inner;
    }
    if (t.t === 'op' && t.v === '{') throw new Unsupported('collection literal');
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: [t.v === 'true'] };
      if (t.v === '$this') return { kind: 'this' };
      if (t.v.startsWith('$')) throw new Unsupported(t.v);
      return this.invocation(undefined, t.v);
    }
    throw new Unsupported(`unexpected ${t.v}`);
  }

  private invocation(target: Node | undefined, name: string): Node {
    if (this.peek().t === 'op' && this.peek().v === '(') {
      this.next();
      const args: Node[] = [];
      if (!(this.peek().t === 'op' && this.peek().v === ')')) {
        for (;;) {
          args.push(this.expression(0));
          if (this.peek().t === 'op' && this.peek().v === ',') {
            this.next();
            continue;
          }
          break;
        }
      }
      this.expect(')');
      return { kind: 'call', target, name, args };
    }
    return { kind: 'member', target, name };
  }

  private postfix(node: Node): Node {
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && t.v === '.') {
        this.next();
        const name = this.next();
        // After a dot, words such as `contains` and `is` name functions, not operators.
        const isName = name.t === 'id' || (name.t === 'op' && /^[a-z]+$/.test(name.v));
        if (!isName || name.v.startsWith('$')) throw new Unsupported('member name');
        node = this.invocation(node, name.v);
      } else if (t.t === 'op' && t.v === '[') {
        this.next();
        const index = this.expression(0);
        this.expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  }
}

/** The expression's syntax tree when it lies in the fast subset, else undefined. */
export function parseFast(expression: string): Node | undefined {
  try {
    return new Parser(tokenize(expression)).parseAll();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
