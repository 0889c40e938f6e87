/**
 * A one-line progress bar on a terminal stream; silent when the stream is not a TTY or when there is
 * too little work to be worth one, so piped output stays clean.
 */
export class Progress {
  private count = 0;
  private lastDraw = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    worthShowing: boolean,
    private readonly total?: number,
  ) {
    this.enabled = worthShowing && stream.isTTY === true;
  }

  tick(label: string): void {
    this.count++;
    const now = Date.now();
    // Redrawing more often than ten times a second only costs time.
    if (!this.enabled || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const filled = this.total ? Math.round((this.count / this.total) * width) : this.count % width;
    const bar = '#'.repeat(filled).padEnd(width, '.');
    const of = this.total ? `${this.count}/${this.total}` : String(this.count);
    this.stream.write(`\r[${bar}] ${of} ${label.slice(-40).padEnd(40)}`);
  }

  done(): void {
    if (this.enabled && this.count > 0) this.stream.write('\r' + ' '.repeat(90) + '\r');
  }
}
