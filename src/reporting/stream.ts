import { SummaryTally, summaryLine } from './summary.js';
import { textLines } from './text.js';
import type { FileOutcome, RunSummary } from './types.js';

/** A report written as results arrive, so a run over millions of NDJSON lines keeps only its totals. */
export interface ReportStream {
  add(result: FileOutcome): void;
  /** Writes the closing part (the summary line, the closing bracket) and returns the totals. */
  end(elapsedMs: number): RunSummary;
}

/**
 * The text or JSON report, streamed through `write`. The output is byte for byte what
 * {@link formatText} and {@link formatJson} give for the same results.
 */
export function streamReport(format: 'text' | 'json', write: (chunk: string) => void, options: { colour?: boolean } = {}): ReportStream {
  const tally = new SummaryTally();
  let count = 0;
  return {
    add(result) {
      tally.add(result);
      if (format === 'text') write(`${textLines(result, options.colour === true).join('\n')}\n`);
      else {
        // JSON.stringify(array, null, 2) indents every line of an element by two spaces.
        const item = JSON.stringify({ file: result.file, outcome: result.outcome }, null, 2).replace(/\n/g, '\n  ');
        write(count === 0 ? `[\n  ${item}` : `,\n  ${item}`);
      }
      count++;
    },
    end(elapsedMs) {
      const summary = tally.summary(elapsedMs);
      if (format === 'text') write(`\n${summaryLine(summary)}\n`);
      else write(count === 0 ? '[]\n' : '\n]\n');
      return summary;
    },
  };
}
