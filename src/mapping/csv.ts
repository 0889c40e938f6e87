/** One record of a CSV extract: its fields and the line it starts on (1 = the header). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
  /** What is malformed in this record (RFC 4180), if anything; the record is then skipped. */
  readonly error?: string;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'afterQuote' | 'afterCr';

/**
 * A streaming RFC 4180 CSV parser: push text chunks in, complete records come out. Handles a byte order
 * mark, CRLF, LF or CR line ends, quoted fields holding delimiters, line breaks and doubled quotes, and
 * chunks that end anywhere (inside a quoted field, between CR and LF, between two quotes). A malformed
 * record (a quote inside an unquoted field, text after a closing quote, an unclosed quote at the end)
 * carries an `error` and parsing goes on with the next line. Blank lines are ignored.
 */
export class CsvParser {
  private state: State = 'fieldStart';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private error: string | undefined;
  private quotedRecord = false;
  private started = false;
  private readonly delimiter: number;

  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') throw new Error('the CSV delimiter is one character, not a quote or line end');
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Parses the next chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    const n = chunk.length;
    const D = this.delimiter;
    while (i < n) {
      switch (this.state) {
        case 'afterCr':
          this.state = 'fieldStart';
          if (chunk.charCodeAt(i) === 10) i++;
          break;
        case 'fieldStart':
          if (chunk.charCodeAt(i) === 34) {
            this.state = 'quoted';
            this.quotedRecord = true;
            i++;
          } else this.state = 'unquoted';
          break;
        case 'unquoted': {
          let j = i;
          for (; j < n; j++) {
            const c = chunk.charCodeAt(j);
            if (c === D || c === 10 || c === 13 || c === 34) break;
          }
          this.field += chunk.slice(i, j);
          i = j;
          if (j === n) break;
          i = this.separator(chunk.charCodeAt(j), j, out);
          break;
        }
        case 'quoted': {
          const j = chunk.indexOf('"', i);
          const end = j === -1 ? n : j;
          const text = chunk.slice(i, end);
          for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) this.line++;
          this.field += text;
          if (j === -1) i = n;
          else {
            i = j + 1;
            this.state = 'quoteInQuoted';
          }
          break;
        }
        case 'quoteInQuoted':
          if (chunk.charCodeAt(i) === 34) {
            this.field += '"';
            this.state = 'quoted';
            i++;
          } else this.state = 'afterQuote';
          break;
        case 'afterQuote': {
          const c = chunk.charCodeAt(i);
          if (c === D || c === 10 || c === 13) i = this.separator(c, i, out);
          else {
            this.error ??= `field ${this.fields.length + 1} has text after its closing quote`;
            this.field += chunk[i];
            i++;
          }
          break;
        }
      }
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.state === 'quoted') this.error ??= `field ${this.fields.length + 1} has a quote that is never closed`;
    if (this.state !== 'afterCr' && (this.state !== 'fieldStart' || this.fields.length > 0)) {
      this.endField();
      this.endRecord(out);
    }
    this.state = 'fieldStart';
    return out;
  }

  /** Handles a delimiter, line end or stray quote at `j`; returns where to go on. */
  private separator(c: number, j: number, out: CsvRecord[]): number {
    if (c === 34) {
      this.error ??= `field ${this.fields.length + 1} has a quote inside an unquoted value`;
      this.field += '"';
      return j + 1;
    }
    this.endField();
    if (c === this.delimiter) {
      this.state = 'fieldStart';
      return j + 1;
    }
    this.endRecord(out);
    this.line++;
    this.recordLine = this.line;
    this.state = c === 13 ? 'afterCr' : 'fieldStart';
    return j + 1;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
  }

  private endRecord(out: CsvRecord[]): void {
    const blank = this.fields.length === 1 && this.fields[0] === '' && !this.quotedRecord;
    if (!blank) out.push({ line: this.recordLine, fields: this.fields, ...(this.error ? { error: this.error } : {}) });
    this.fields = [];
    this.error = undefined;
    this.quotedRecord = false;
  }
}

const OTHER_DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter a one-column header seems to use instead of the declared one, if any. */
export function guessDelimiter(headerField: string, declared: string): string | undefined {
  return OTHER_DELIMITERS.find((d) => d !== declared && headerField.includes(d));
}
