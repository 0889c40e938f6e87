/** One record of a JSON or NDJSON extract: its text and its number (array position or line, from 1). */
export interface JsonRecordText {
  readonly row: number;
  readonly text: string;
}

/**
 * Splits a JSON array of records into the text of each element as it streams in, so a large extract is
 * never held whole: it tracks strings, escapes and nesting depth only. An element that is not valid JSON is
 * still cut out whole (its brackets balance) and fails alone when parsed. `problem` is set when the text is
 * not an array at all or is cut short; the caller stops there.
 */
export class JsonArraySplitter {
  private state: 'before' | 'between' | 'element' | 'after' = 'before';
  private depth = 0;
  private inString = false;
  private escape = false;
  private text = '';
  private row = 0;
  private expectValue = true;
  problem: string | undefined;

  push(chunk: string): JsonRecordText[] {
    const out: JsonRecordText[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n && !this.problem) {
      const c = chunk[i]!;
      if (this.state === 'before') {
        if (c === '[') this.state = 'between';
        else if (!/[\s\uFEFF]/.test(c)) this.problem = 'a JSON extract is an array of records ([ {...}, {...} ])';
        i++;
      } else if (this.state === 'between') {
        if (c === ']') this.state = 'after';
        else if (c === ',') {
          if (this.expectValue) this.problem = `the array has an empty element after record ${this.row}`;
          this.expectValue = true;
        } else if (!/\s/.test(c)) {
          if (!this.expectValue) this.problem = `a comma is missing after record ${this.row}`;
          this.state = 'element';
          this.text = '';
          this.depth = 0;
          continue;
        }
        i++;
      } else if (this.state === 'element') {
        let j = i;
        let ended = false;
        for (; j < n; j++) {
          const ch = chunk[j]!;
          if (this.inString) {
            if (this.escape) this.escape = false;
            else if (ch === '\\') this.escape = true;
            else if (ch === '"') this.inString = false;
          } else if (ch === '"') this.inString = true;
          else if (ch === '{' || ch === '[') this.depth++;
          else if (ch === '}' || ch === ']') {
            // At depth 0 this is the outer array's ]: it ends a bare value and is read by 'between'.
            if (this.depth === 0) {
              ended = true;
              break;
            }
            if (--this.depth === 0) {
              j++;
              ended = true;
              break;
            }
          } else if (ch === ',' && this.depth === 0) {
            ended = true;
            break;
          }
        }
        this.text += chunk.slice(i, j);
        i = j;
        if (ended) {
          out.push({ row: ++this.row, text: this.text });
          this.text = '';
          this.state = 'between';
          this.expectValue = false;
        }
      } else {
        if (!/\s/.test(c)) this.problem = 'the extract has text after the closing ] of the array';
        i++;
      }
    }
    return out;
  }

  /** Ends the input; sets `problem` when the array was not closed. */
  end(): JsonRecordText[] {
    if (!this.problem && this.state !== 'after') this.problem = this.state === 'before' ? 'the JSON extract is empty' : 'the JSON array is cut short (no closing ])';
    return [];
  }
}

/** Splits NDJSON into lines as it streams in; blank lines are skipped but counted. */
export class NdjsonLineSplitter {
  private rest = '';
  private line = 0;
  private started = false;

  push(chunk: string): JsonRecordText[] {
    if (!this.started && chunk.length) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const text = this.rest + chunk;
    const out: JsonRecordText[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.emit(text.slice(start, nl), out);
      start = nl + 1;
    }
    this.rest = text.slice(start);
    return out;
  }

  end(): JsonRecordText[] {
    const out: JsonRecordText[] = [];
    if (this.rest) this.emit(this.rest, out);
    this.rest = '';
    return out;
  }

  private emit(raw: string, out: JsonRecordText[]): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim()) out.push({ row: this.line, text });
  }
}
