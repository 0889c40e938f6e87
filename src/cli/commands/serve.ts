import type { Command } from 'commander';
import { startQaServer } from '../../server/index.js';
import { createValidationService } from '../../validation/index.js';
import { UsageError } from '../inputs.js';
import { addIgOption, igPackages } from '../shared-options.js';

/** `ads-fhir serve`: the QA page on loopback. */
export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('Serve the QA web page: paste or drop a payload and see its issues, offline')
    .option('--port <port>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10), 8080)
    .option('--host <host>', 'interface to listen on', '127.0.0.1');
  addIgOption(command)
    .option('--body-limit <bytes>', 'largest payload accepted, in bytes', (v) => Number.parseInt(v, 10), 20 * 1024 * 1024)
    .addHelpText('after', '\nExample:\n  $ ads-fhir serve --port 8080\n  then open http://127.0.0.1:8080/ in a browser\n\nRuns until stopped (Ctrl+C, exit 0). Exit status 2: a bad --port, a port in use, or a package that cannot be found or loaded.\n')
    .action(async (opts: { port: number; host: string; ig: string[]; package: string[]; bodyLimit: number }) => {
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
        process.stderr.write('ads-fhir serve: --port takes a number from 0 to 65535\n');
        process.exitCode = 2;
        return;
      }
      let packages: string[];
      try {
        packages = igPackages(opts);
      } catch (e) {
        process.stderr.write(`ads-fhir serve: ${e instanceof UsageError ? e.message : 'the packages could not be found'}\n`);
        process.exitCode = 2;
        return;
      }
      let service;
      try {
        service = await createValidationService({ packages });
      } catch (e) {
        process.stderr.write(`ads-fhir serve: a package could not be loaded: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 2;
        return;
      }
      let server: Awaited<ReturnType<typeof startQaServer>>;
      try {
        server = await startQaServer({ service, host: opts.host, port: opts.port, bodyLimit: opts.bodyLimit });
      } catch (e) {
        process.stderr.write(`ads-fhir serve: cannot listen on ${opts.host}:${opts.port} (${(e as NodeJS.ErrnoException).code ?? 'error'})\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(`QA page: ${server.url} (Ctrl+C to stop)\n`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
