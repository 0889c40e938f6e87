/** The "Example" section every command's `--help` ends with (test/cli/help.test.ts checks each has one). */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
