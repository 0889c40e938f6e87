const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Offset of the first JSON syntax error in `text`, or undefined when it is valid JSON. The engine's
 * `JSON.parse` messages may quote the text and do not always give a position; this gives only a position,
 * so an error can be reported without echoing content. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const closers: string[] = [];
  let i = 0;
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value';
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  const skipWhitespace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  for (;;) {
    skipWhitespace();
    if (i >= text.length) return closers.length === 0 && state === 'after' ? undefined : i;
    const c = text[i]!;
    if (state === 'after') {
      const closer = closers[closers.length - 1];
      if (closer === undefined) return i; // content after the top-level value
      if (c === ',') state = closer === '}' ? 'key' : 'value';
      else if (c === closer) closers.pop();
      else return i;
      i++;
    } else if (state === 'key' || state === 'firstKey') {
      if (state === 'firstKey' && c === '}') {
        closers.pop();
        i++;
        state = 'after';
        continue;
      }
      if (!match(STRING)) return i;
      skipWhitespace();
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
    } else if (state === 'firstValue' && c === ']') {
      closers.pop();
      i++;
      state = 'after';
    } else if (c === '{' || c === '[') {
      closers.push(c === '{' ? '}' : ']');
      i++;
      state = c === '{' ? 'firstKey' : 'firstValue';
    } else if (match(STRING) || match(NUMBER) || match(LITERAL)) {
      state = 'after';
    } else return i;
  }
}

/** 1-based line and column of one offset (`LineIndex`, line-index.ts, places many in one text). */
export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
