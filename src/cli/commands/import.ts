import type { Command } from 'commander';
import { FormatError } from '../../format/errors.js';
import { importPackageFromXml, readImportManifest, type ImportManifest } from '../../format/import-package.js';
import { examples } from '../help.js';

interface ImportXmlOptions {
  out: string;
  manifest?: string;
  name?: string;
  packageVersion?: string;
  dependency?: string[];
  strict?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseDependencies(specs: string[] | undefined): Record<string, string> | undefined {
  if (!specs) return undefined;
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf('@');
    if (at <= 0 || at === spec.length - 1) throw new FormatError('invalid-input', `--dependency expects name@version, got '${spec}'`);
    out[spec.slice(0, at)] = spec.slice(at + 1);
  }
  return out;
}

/** `ads-fhir import-xml <sourceDir> --out <dir>`: XML conformance resources -> FHIR NPM package folder. */
export function register(program: Command): void {
  program
    .command('import-xml')
    .description('Convert a folder of FHIR XML resources into a FHIR package folder (package.json, <Type>-<id>.json, example/, .index.json)')
    .argument('<sourceDir>', 'folder of .xml resources (searched recursively; files under examples/ go to example/)')
    .requiredOption('--out <dir>', 'package folder to write (its previous *.json and example/ are replaced)')
    .option('--manifest <file>', 'source package.json to copy name, version and other fields from')
    .option('--name <name>', 'package name (without --manifest)')
    .option('--package-version <version>', 'package version (without --manifest)')
    .option('--dependency <name@version>', 'set the dependencies (repeatable; replaces those of --manifest)', collect)
    .option('--strict', 'exit with status 1 when any element could not be placed')
    .addHelpText('after', examples('ads-fhir import-xml ./ukcore-xml --out ./ukcore-package --name fhir.r4.ukcore.stu3.currentbuild --package-version 0.0.19'))
    .action((sourceDir: string, opts: ImportXmlOptions) => {
      try {
        const dependencies = parseDependencies(opts.dependency);
        let manifest: ImportManifest;
        if (opts.manifest) manifest = readImportManifest(opts.manifest, dependencies);
        else if (opts.name && opts.packageVersion) manifest = { name: opts.name, version: opts.packageVersion, fhirVersions: ['4.0.1'], dependencies: dependencies ?? { 'hl7.fhir.r4.core': '4.0.1' } };
        else throw new FormatError('invalid-input', 'Give --manifest <package.json>, or --name and --package-version');
        const report = importPackageFromXml(sourceDir, opts.out, manifest);
        console.log(`${manifest.name}#${manifest.version}: ${report.resources} resources and ${report.examples} examples written to ${opts.out}`);
        for (const { source, issue } of report.issues) console.warn(`  ${issue.severity} ${source} ${issue.path}: ${issue.message}`);
        if (report.issues.length && opts.strict) process.exitCode = 1;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        console.error(`import-xml: ${e.message}`);
        process.exitCode = 2;
      }
    });
}
