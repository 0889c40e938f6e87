/**
 * Refreshes the catalogue from a checkout of the HL7 Java validator's source (hapifhir/org.hl7.fhir.core):
 *   npx tsx tools/rules/import-reference.ts <checkout> --commit <sha> --date <yyyy-mm-dd>
 * Keys keep their family, reason and note; their text and the Java classes that use them are read again.
 * New keys get the family `unclassified`, which the catalogue test rejects until someone classifies them
 * (reading the code that uses them, as for the others); keys the reference dropped are removed and listed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE_FILE, formatCatalogue, loadCatalogue, type Catalogue, type ReferenceRule } from './catalogue.js';

const CONSTANTS = 'org.hl7.fhir.utilities/src/main/java/org/hl7/fhir/utilities/i18n/I18nConstants.java';
const MESSAGES = 'org.hl7.fhir.utilities/src/main/resources/Messages.properties';
/** Modules of the current validator; the version-specific copies (r4, r4b, dstu3, convertors) are left out. */
const MODULES = ['org.hl7.fhir.validation', 'org.hl7.fhir.r5', 'org.hl7.fhir.utilities', 'org.hl7.fhir.validation.cli'];

/** Java constant name to message key, from `public static final String NAME = "key";`. */
export function readConstants(java: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of java.matchAll(/public static final String (\w+)\s*=\s*"([^"]*)";/g)) out.set(m[1] ?? '', m[2] ?? '');
  return out;
}

/** Key to English text; plural keys (`_one`, `_other`) give their `_other` form; `''` read as `'`. */
export function readMessages(properties: string): Map<string, string> {
  const raw = new Map<string, string>();
  for (const line of properties.split('\n')) {
    const m = /^([^#=\s][^=\s]*)\s*=\s*(.*)$/.exec(line.trimEnd());
    if (m) raw.set(m[1] ?? '', m[2] ?? '');
  }
  const text = new Map<string, string>();
  for (const [key, value] of raw) {
    const plural = /^(.*)_(one|other)$/.exec(key);
    const base = plural?.[1];
    if (base && !raw.has(base)) {
      if (plural[2] === 'other' || !text.has(base)) text.set(base, value);
    }
    text.set(key, value);
  }
  for (const [k, v] of text) text.set(k, v.replace(/''/g, "'"));
  return text;
}

function javaFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? javaFiles(join(dir, e.name)) : e.name.endsWith('.java') ? [join(dir, e.name)] : []));
}

/** Message key to the Java classes (main sources of the current validator) that use its constant. */
export function readUsage(checkout: string, constants: Map<string, string>): Map<string, Set<string>> {
  const usage = new Map<string, Set<string>>();
  for (const module of MODULES) {
    for (const file of javaFiles(join(checkout, module, 'src', 'main', 'java'))) {
      const cls = file.slice(file.lastIndexOf('/') + 1, -'.java'.length);
      for (const m of readFileSync(file, 'utf8').matchAll(/I18nConstants\.(\w+)/g)) {
        const key = constants.get(m[1] ?? '');
        if (!key) continue;
        const set = usage.get(key) ?? new Set<string>();
        set.add(cls);
        usage.set(key, set);
      }
    }
  }
  return usage;
}

/**
 * Every message key: the constants' keys, and the keys Messages.properties has without a constant (messages a
 * terminology server sends with their id, which the validator passes on), plural forms (`_one`, `_other`)
 * counted once under their base key.
 */
export function messageKeys(constants: Map<string, string>, messages: Map<string, string>): Set<string> {
  const keys = new Set(constants.values());
  for (const key of messages.keys()) {
    if (keys.has(key)) continue;
    const plural = /^(.*)_(one|other)$/.exec(key);
    keys.add(plural?.[1] ?? key);
  }
  return keys;
}

export function mergeReference(
  catalogue: Catalogue,
  keys: Iterable<string>,
  texts: Map<string, string>,
  usage: Map<string, Set<string>>,
): { catalogue: Catalogue; added: string[]; removed: string[] } {
  const existing = new Map(catalogue.rules.map((r) => [r.key, r]));
  const wanted = new Set(keys);
  const added: string[] = [];
  const rules: ReferenceRule[] = [];
  for (const key of wanted) {
    const old = existing.get(key);
    if (!old) added.push(key);
    const source = [...(usage.get(key) ?? [])].sort();
    const fallback = old?.source.length ? old.source : ['Messages.properties only'];
    rules.push({ ...(old ?? { family: 'unclassified' }), key, text: texts.get(key) ?? old?.text ?? '', source: source.length ? source : fallback });
  }
  const removed = catalogue.rules.filter((r) => !wanted.has(r.key)).map((r) => r.key);
  return { catalogue: { ...catalogue, rules }, added: added.sort(), removed };
}

function main(): void {
  const [checkout] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const option = (name: string): string | undefined => process.argv[process.argv.indexOf(name) + 1];
  if (!checkout || !option('--commit') || !option('--date')) {
    console.error('usage: import-reference.ts <org.hl7.fhir.core checkout> --commit <sha> --date <yyyy-mm-dd>');
    process.exitCode = 2;
    return;
  }
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const constants = readConstants(readFileSync(join(checkout, CONSTANTS), 'utf8'));
  const texts = readMessages(readFileSync(join(checkout, MESSAGES), 'utf8'));
  const current = loadCatalogue(root);
  const merged = mergeReference(current, messageKeys(constants, texts), texts, readUsage(checkout, constants));
  merged.catalogue.reference = { ...current.reference, commit: option('--commit') ?? '', date: option('--date') ?? '' };
  writeFileSync(join(root, CATALOGUE_FILE), formatCatalogue(merged.catalogue));
  console.log(`${merged.catalogue.rules.length} keys; added (family 'unclassified', to classify): ${merged.added.join(' ') || 'none'}; removed: ${merged.removed.join(' ') || 'none'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
