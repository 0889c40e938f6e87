import type { Command } from 'commander';
import { writeMappingDocs } from '../../docs/index.js';
import { examples } from '../help.js';

/**
 * `ads-fhir docs [--out docs] [--check]`: generate (or check) docs/ads-mapping.md and .html from the profiles, and the
 * list of allowed codes in docs/mapping.md.
 */
export function register(program: Command): void {
  program
    .command('docs')
    .description('Generate the ADS mapped-field pages (docs/ads-mapping.md and .html) from the ADS profiles, and the allowed codes in docs/mapping.md')
    .option('-o, --out <dir>', 'output folder', 'docs')
    .option('--check', 'do not write; exit 1 when the committed pages are missing or stale')
    .addHelpText('after', examples('ads-fhir docs --out docs', 'ads-fhir docs --check'))
    .action((opts: { out: string; check?: boolean }) => {
      try {
        const files = writeMappingDocs(opts.out, undefined, !!opts.check);
        if (opts.check) {
          for (const f of files) console.error(`stale: ${f} (run ads-fhir docs)`);
          process.exitCode = files.length ? 1 : 0;
        } else {
          for (const f of files) console.log(`wrote ${f}`);
        }
      } catch (e) {
        console.error(`docs: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = 1;
      }
    });
}
