/**
 * Runs a command's work and sets the exit code it returns. An unexpected fault becomes one line and exit 2:
 * no stack trace, and no message, which could quote input data.
 */
export async function runCommand(name: string, work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (e) {
    process.stderr.write(`ads-fhir ${name} stopped on an unexpected ${e instanceof Error ? e.name : 'error'}\n`);
    process.exitCode = 2;
  }
}
