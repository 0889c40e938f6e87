/**
 * 1-based line and column of offsets in one text, for any number of offsets in any order: line starts are found
 * once, and only as far as the furthest offset asked for, so placing many findings costs one reading of the text.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  private scannedTo = 0;

  constructor(private readonly text: string) {}

  locate(offset: number): { line: number; column: number } {
    const starts = this.starts;
    const text = this.text;
    while (this.scannedTo <= offset && this.scannedTo < text.length) {
      const nl = text.indexOf('\n', this.scannedTo);
      if (nl < 0) {
        this.scannedTo = text.length;
        break;
      }
      starts.push(nl + 1);
      this.scannedTo = nl + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}
