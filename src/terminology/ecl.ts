/**
 * A syntax check of SNOMED CT Expression Constraint Language (ECL 2.x) expressions, the value of a
 * SNOMED CT `constraint` filter. Offline nothing can evaluate ECL (that needs the SNOMED CT release), but
 * an expression that does not parse is wrong whatever the release: the reference's terminology server
 * rejects it as INVALID_ECL.
 *
 * Covered: concept references (SCTID with optional |term|), the wildcard `*`, hierarchy operators (`<`,
 * `<<`, `<!`, `<<!`, `>`, `>>`, `>!`, `>>!`, `!!<`, `!!>` and their long forms), member-of `^` (with field
 * selections), alternate identifiers (`scheme#id`), nesting in parentheses, `AND`/`,`/`OR`/`MINUS`,
 * dotted attributes, refinements with attribute groups, cardinalities, reverse flags, comparison
 * operators, concrete values (`#12`, `"text"`, `true`) and `{{ ... }}` filters (balanced, not interpreted).
 */

const HIERARCHY = ['<<!', '>>!', '!!<', '!!>', '<<', '>>', '<!', '>!', '<', '>'];
const LONG_HIERARCHY = /^(descendantOrSelfOf|descendantOf|childOrSelfOf|childOf|ancestorOrSelfOf|ancestorOf|parentOrSelfOf|parentOf|top|bottom)\b/i;
const COMPARISON = ['!=', '<=', '>=', '=', '<', '>'];

class EclError extends Error {}

/** Whitespace and comments at the parser's position (sticky: matched where lastIndex says, without slicing). */
const WHITESPACE = /(?:\s+|\/\*[\s\S]*?\*\/)/y;
/** A keyword as a whole word, case-insensitive: one regex per keyword, made on first use. */
const KEYWORDS = new Map<string, RegExp>();

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): void {
    this.expression();
    this.ws();
    if (this.i < this.s.length) this.fail(`unexpected '${this.s.slice(this.i, this.i + 10)}'`);
  }

  private fail(why: string): never {
    throw new EclError(`${why} at character ${this.i + 1}`);
  }

  private ws(): void {
    for (;;) {
      WHITESPACE.lastIndex = this.i;
      const m = WHITESPACE.exec(this.s);
      if (!m) return;
      this.i += m[0].length;
    }
  }

  private peek(re: RegExp): RegExpExecArray | null {
    this.ws();
    return re.exec(this.s.slice(this.i));
  }

  private take(token: string): boolean {
    this.ws();
    if (this.s.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }

  private keyword(word: string): boolean {
    let re = KEYWORDS.get(word);
    if (!re) KEYWORDS.set(word, (re = new RegExp(`^${word}(?![A-Za-z0-9_])`, 'i')));
    const m = this.peek(re);
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }

  private expect(token: string): void {
    if (!this.take(token)) this.fail(`expected '${token}'`);
  }

  /** subExpression ((AND | , | OR | MINUS) subExpression)* ; mixing operators needs parentheses. */
  private expression(): void {
    this.dotted();
    let op: string | undefined;
    for (;;) {
      let next: string | undefined;
      if (this.keyword('AND') || this.take(',')) next = 'and';
      else if (this.keyword('OR')) next = 'or';
      else if (this.keyword('MINUS')) next = 'minus';
      if (!next) return;
      if (op && (op !== next || op === 'minus')) this.fail('mixed AND/OR/MINUS need parentheses');
      op = next;
      this.dotted();
    }
  }

  /** A focus with dotted attributes, then an optional refinement. */
  private dotted(): void {
    this.focus();
    while (this.take('.')) this.focus();
    if (this.take(':')) this.refinement();
  }

  private focus(): void {
    const op = HIERARCHY.find((h) => this.take(h));
    if (!op) {
      const long = this.peek(LONG_HIERARCHY);
      if (long) this.i += long[0].length;
    }
    // ECL 2 spells memberOf as `^` (brief syntax) or `memberOf` (long syntax).
    if (this.take('^') || this.takeMemberOf()) {
      if (this.take('[')) {
        this.fieldSelection();
        this.expect(']');
      }
    }
    if (this.take('(')) {
      this.expression();
      this.expect(')');
    } else {
      this.conceptReference();
    }
    while (this.peek(/^\{\{/)) this.filterBlock();
  }

  private takeMemberOf(): boolean {
    const word = this.peek(/^memberOf\b/i);
    if (word) this.i += word[0].length;
    return word !== null;
  }

  private fieldSelection(): void {
    if (this.take('*')) return;
    do {
      if (!this.peek(/^[A-Za-z][A-Za-z0-9_]*/)) this.fail('expected a refset field name');
      this.i += this.peek(/^[A-Za-z][A-Za-z0-9_]*/)![0].length;
    } while (this.take(','));
  }

  private conceptReference(): void {
    if (this.take('*')) return;
    const alt = this.peek(/^[A-Za-z][A-Za-z0-9.-]*#(?:"[^"]*"|[A-Za-z0-9._-]+)/);
    if (alt) {
      this.i += alt[0].length;
      return;
    }
    const id = this.peek(/^\d+/);
    if (!id) this.fail('expected a concept reference (SCTID or *)');
    if (id[0].length < 6 || id[0].length > 18) this.fail(`'${id[0]}' is not a SNOMED CT identifier (6 to 18 digits)`);
    this.i += id[0].length;
    if (this.take('|')) {
      const end = this.s.indexOf('|', this.i);
      if (end < 0) this.fail("unterminated term (missing closing '|')");
      this.i = end + 1;
    }
  }

  /** `{{ ... }}`: term, description, concept and member filters; checked for balance only. */
  private filterBlock(): void {
    this.expect('{{');
    const end = this.s.indexOf('}}', this.i);
    if (end < 0) this.fail("unterminated filter (missing '}}')");
    this.i = end + 2;
  }

  /** attribute sets and groups joined by AND , OR. */
  private refinement(): void {
    this.refinementItem();
    for (;;) {
      if (this.keyword('AND') || this.keyword('OR') || this.take(',')) this.refinementItem();
      else return;
    }
  }

  private refinementItem(): void {
    this.cardinality();
    if (this.take('{')) {
      this.refinement();
      this.expect('}');
      return;
    }
    if (this.take('(')) {
      this.refinement();
      this.expect(')');
      return;
    }
    this.attribute();
  }

  private cardinality(): void {
    if (!this.peek(/^\[/)) return;
    const m = this.peek(/^\[\s*\d+\s*\.\.\s*(?:\d+|\*)\s*\]/);
    if (!m) this.fail('malformed cardinality (expected [min..max])');
    this.i += m[0].length;
  }

  private attribute(): void {
    if (this.peek(/^R(?![A-Za-z0-9_])/)) this.i += 1;
    this.attributeName();
    const op = COMPARISON.find((c) => this.take(c));
    if (!op) this.fail('expected a comparison operator (=, !=, <, <=, >, >=)');
    // Concepts and strings compare with = and != only; <, <=, > and >= are for numbers.
    if (op !== '=' && op !== '!=' && !this.peek(/^#/)) this.fail(`'${op}' compares numbers only (#value)`);
    if (this.peek(/^#/)) {
      const num = this.peek(/^#-?\d+(?:\.\d+)?/);
      if (!num) this.fail('malformed numeric value');
      this.i += num[0].length;
    } else if (this.peek(/^"/)) {
      const str = this.peek(/^"(?:[^"\\]|\\.)*"/);
      if (!str) this.fail('unterminated string value');
      this.i += str[0].length;
    } else if (this.keyword('true') || this.keyword('false')) {
      return;
    } else {
      this.dottedValue();
    }
  }

  private attributeName(): void {
    const op = HIERARCHY.find((h) => this.take(h));
    if (!op) {
      const long = this.peek(LONG_HIERARCHY);
      if (long) this.i += long[0].length;
    }
    if (this.take('(')) {
      this.expression();
      this.expect(')');
    } else {
      this.conceptReference();
    }
  }

  /** An attribute value: a focus (no refinement of its own unless bracketed). */
  private dottedValue(): void {
    this.focus();
    while (this.take('.')) this.focus();
  }
}

/** Why `ecl` is not a syntactically valid ECL expression, or undefined when it is. */
export function eclProblem(ecl: string): string | undefined {
  if (ecl.trim() === '') return 'the expression is empty';
  if (ecl.length > 10_000) return 'the expression is too long';
  try {
    new Parser(ecl).parse();
    return undefined;
  } catch (e) {
    if (e instanceof EclError) return e.message;
    return 'the expression could not be read';
  }
}
