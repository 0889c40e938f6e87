import { JSONPath } from 'jsonpath-plus';

/**
 * Why a JSONPath cannot be used, or undefined when it parses. jsonpath-plus is lenient with a path's
 * outline (it reads `$.a[` as `$.a`), so the brackets, quotes and parentheses are checked here, and each
 * filter or script expression is parsed by running it once on a probe record.
 */
export function jsonPathProblem(path: string): string | undefined {
  if (!path.startsWith('$')) return 'a JSONPath starts with $';
  const closing: Record<string, string> = { '[': ']', '(': ')' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') stack.push(closing[c]!);
    else if (c === ']' || c === ')') {
      if (stack.pop() !== c) return `the JSONPath has an unmatched ${c}`;
    }
  }
  if (quote) return 'the JSONPath has an unclosed quote';
  if (stack.length) return `the JSONPath has an unclosed ${stack.at(-1) === ']' ? '[' : '('}`;
  if (/(^|[^.])\.$|\[\]/.test(path)) return 'the JSONPath ends with a dot or has empty brackets';
  for (const segment of JSONPath.toPathArray(path)) {
    if (!/^\??\(/.test(segment)) continue;
    try {
      JSONPath({ path: `$[${segment}]`, json: [{}], wrap: true });
    } catch (e) {
      // Errors from evaluating on the empty probe start with "jsonPath:"; anything else is a parse error.
      const message = e instanceof Error ? e.message : String(e);
      if (!message.startsWith('jsonPath:')) return `the JSONPath expression does not parse (${message})`;
    }
  }
  return undefined;
}

/**
 * A reader for one parsed path: the first value it selects in a record, or undefined. An expression that
 * fails on a record (reading below a missing property) selects nothing.
 */
export function compileJsonPath(path: string): (record: unknown) => unknown {
  return (record) => {
    if (record === null || typeof record !== 'object') return undefined;
    try {
      const found = JSONPath({ path, json: record as object, wrap: true }) as unknown[];
      return found[0];
    } catch {
      return undefined;
    }
  };
}
