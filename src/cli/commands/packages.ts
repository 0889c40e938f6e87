import type { Command } from 'commander';
import { PackageError, PackageStore, type PackageStoreOptions } from '../../packages/index.js';
import { examples } from '../help.js';

interface StoreFlags {
  package?: string[];
  search?: string[];
  ukCore?: boolean;
  cache?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function withStoreFlags(cmd: Command): Command {
  return cmd
    .option('-p, --package <path>', 'FHIR package folder or .tgz to load (repeatable)', collect)
    .option('-s, --search <dir>', 'folder to look in for dependencies (repeatable)', collect)
    .option('--no-uk-core', 'do not load the bundled UK Core and cross-version packages')
    .option('--no-cache', 'do not read or write the compiled index cache');
}

function storeOptions(flags: StoreFlags): PackageStoreOptions {
  const options: PackageStoreOptions = { packages: flags.package ?? [], searchPaths: flags.search ?? [], ukCore: flags.ukCore !== false };
  if (flags.cache === false) options.cacheDir = false;
  return options;
}

/** Prints a package problem as one line (no stack trace) and sets a failing exit code. */
function fail(e: unknown): void {
  const message = e instanceof PackageError ? e.message : `unexpected failure: ${(e as Error)?.message ?? String(e)}`;
  console.error(`error: ${message}`);
  process.exitCode = 1;
}

/** `packages`: what loads; `snapshot <canonical>`: a StructureDefinition with its (generated) snapshot. */
export function register(program: Command): void {
  withStoreFlags(program.command('packages').description('Load core R4, UK Core and any given FHIR packages; list what loaded'))
    .addHelpText('after', examples('ads-fhir packages --package ./my-profiles.tgz')).action(async (flags: StoreFlags) => {
    try {
      const started = performance.now();
      const store = await PackageStore.create(storeOptions(flags));
      const ms = Math.round(performance.now() - started);
      for (const p of store.packages) {
        console.log(`${p.name}#${p.version}: ${p.resources} resources${p.examples ? `, ${p.examples} examples` : ''} (${p.location})`);
      }
      for (const w of store.warnings) console.log(`note: ${w}`);
      console.log(`loaded in ${ms} ms`);
    } catch (e) {
      fail(e);
    }
  });

  withStoreFlags(program.command('snapshot <canonical>').description('Print a StructureDefinition (URL, url|version or core type name) with its snapshot, as JSON'))
    .option('--elements', 'print only the snapshot element ids with cardinality and types')
    .addHelpText('after', examples('ads-fhir snapshot https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient --elements'))
    .action(async (canonical: string, flags: StoreFlags & { elements?: boolean }) => {
      try {
        const store = await PackageStore.create(storeOptions(flags));
        const sd = store.structureDefinition(canonical);
        if (!sd) {
          console.error(`error: no StructureDefinition ${canonical} is loaded`);
          process.exitCode = 1;
          return;
        }
        if (flags.elements) {
          for (const e of sd.snapshot?.element ?? []) {
            console.log(`${e.id} ${e.min ?? ''}..${e.max ?? ''} ${(e.type ?? []).map((t) => t.code + (t.profile?.length ? `(${t.profile.join(',')})` : '')).join('|')}`);
          }
        } else {
          console.log(JSON.stringify(sd, null, 2));
        }
      } catch (e) {
        fail(e);
      }
    });
}
