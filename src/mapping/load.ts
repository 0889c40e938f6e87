import { readFile } from 'node:fs/promises';
import schema from '../../schemas/mapping.schema.json';
import { lazySchemaValidator, type ErrorObject } from '../json-schema/index.js';
import { checkTimeZone, type AmbiguousRule } from './datetime.js';
import { MappingLoadError, type MappingProblem } from './errors.js';
import { MAPPING_ITEM_NAMES, MAPPING_ITEMS, PATIENT_IDENTITY_ITEMS, type MappingItemSpec } from './items.js';
import { didYouMean } from './suggest.js';
import { jsonPathProblem } from './jsonpath.js';
import { compileConverter, type ValueConverter } from './convert.js';

/** The JSON form of a mapping file (see `schemas/mapping.schema.json` and docs/mapping.md). */
export interface MappingFile {
  name?: string;
  input: { format: 'csv' | 'json' | 'ndjson'; delimiter?: string };
  timeZone?: string;
  ambiguousTimes?: AmbiguousRule;
  dateTimeFormat?: string;
  dateFormat?: string;
  valueMaps?: Record<string, Record<string, string>>;
  grouping: { call: KeySource; response?: KeySource; patient?: KeySource; sortedBy?: 'call'; maxBufferedRecords?: number };
  items: Record<string, ItemSource>;
}

/** Where a grouping key comes from. */
export type KeySource = { column: string } | { path: string };

/** Where an item's value comes from, and how it is read. */
export type ItemSource = ({ column: string } | { path: string } | { const: string | number | boolean }) & {
  map?: string | Record<string, string>;
  format?: string;
};

/** A source ready to read: a CSV column, a JSONPath or a constant. */
export interface CompiledSource {
  readonly kind: 'column' | 'path' | 'const';
  /** Column name or JSONPath; shown in reports as the place of a bad value. */
  readonly text: string;
  readonly value?: unknown;
}

/** An item with its source and its converter, compiled once. */
export interface CompiledItem {
  readonly name: string;
  readonly spec: MappingItemSpec;
  readonly source: CompiledSource;
  readonly convert: ValueConverter;
}

/** A checked mapping, ready for {@link mapExtract}. */
export interface CompiledMapping {
  readonly name?: string;
  readonly format: 'csv' | 'json' | 'ndjson';
  readonly delimiter: string;
  readonly timeZone: string;
  readonly items: readonly CompiledItem[];
  readonly grouping: {
    readonly call: CompiledSource;
    readonly response?: CompiledSource;
    readonly patient?: CompiledSource;
    readonly sorted: boolean;
    readonly maxBufferedRecords: number;
  };
  /** Every CSV column the mapping reads (checked against the header before the first row). */
  readonly columns: readonly string[];
}

/** Default time zone of local date-times. */
export const DEFAULT_TIME_ZONE = 'Europe/London';
/** Default cap on the records an unsorted extract may hold in memory. */
export const DEFAULT_MAX_BUFFERED_RECORDS = 200_000;

// verbose: an error carries its schema, so an unknown property can be matched against the allowed ones.
const schemaValidator = lazySchemaValidator(schema, { verbose: true });

const pointer = (...parts: string[]) => '/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const unpointer = (part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~');
const suggestion = (name: string, candidates: readonly string[]) => {
  const near = didYouMean(name, candidates);
  return near ? `; did you mean "${near}"?` : '';
};

/** The schema's problems, and which items they concern (those are left out of the further checks). */
interface SchemaFindings {
  problems: MappingProblem[];
  /** Items with a schema problem of their own, or unknown names. */
  brokenItems: Set<string>;
  /** Items an unknown name most likely meant: their own "has no source" problem would say the same again. */
  meant: Set<string>;
  /** A problem outside `items` (input, grouping, value maps...): the further checks cannot run on the file. */
  structural: boolean;
}

function schemaFindings(errors: readonly ErrorObject[]): SchemaFindings {
  const found: SchemaFindings = { problems: [], brokenItems: new Set(), meant: new Set(), structural: false };
  for (const e of errors) {
    if (e.schemaPath.includes('/propertyNames/')) continue;
    const item = /^\/items\/([^/]+)/.exec(e.instancePath)?.[1];
    if (item) found.brokenItems.add(unpointer(item));
    else if (e.keyword !== 'propertyNames') found.structural = true;
    if (e.keyword === 'propertyNames') {
      const name = String(e.params.propertyName);
      found.brokenItems.add(name);
      const near = didYouMean(name, MAPPING_ITEM_NAMES);
      if (near) found.meant.add(near);
      found.problems.push({ at: pointer('items', name), message: `"${name}" is not an ADS item a mapping can fill${suggestion(name, MAPPING_ITEM_NAMES)} (see docs/mapping.md)` });
    } else if (e.keyword === 'additionalProperties') {
      const name = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      found.problems.push({ at: e.instancePath, message: `unknown property "${name}"${suggestion(name, allowed)}` });
    } else found.problems.push({ at: e.instancePath, message: e.message ?? e.keyword });
  }
  found.problems = found.problems.filter((p, i, all) => all.findIndex((q) => q.at === p.at && q.message === p.message) === i);
  return found;
}

function compileSource(raw: KeySource | ItemSource, at: string, format: MappingFile['input']['format'], problems: MappingProblem[]): CompiledSource {
  if ('const' in raw) return { kind: 'const', text: 'constant', value: raw.const };
  if ('column' in raw) {
    if (format !== 'csv') problems.push({ at, message: `a ${format} extract has no columns: give a JSONPath in "path"` });
    return { kind: 'column', text: raw.column };
  }
  if (format === 'csv') problems.push({ at, message: 'a CSV extract is read by column: give "column", not "path"' });
  const problem = jsonPathProblem(raw.path);
  if (problem) problems.push({ at: `${at}/path`, message: problem });
  return { kind: 'path', text: raw.path };
}

/**
 * Checks and compiles a mapping (already parsed from JSON). Throws {@link MappingLoadError} listing every
 * problem at once: schema errors (an unknown item name with the one it most likely meant), unknown value maps,
 * JSONPaths that cannot parse, required ADS items with no source, value maps or constants into codes outside the
 * item's value set, bad date patterns or time zone. Items the schema already faults are left out of the later
 * checks; a fault outside `items` stops after the schema's problems, as the rest cannot be read.
 */
export function compileMapping(raw: unknown): CompiledMapping {
  const validate = schemaValidator();
  const problems: MappingProblem[] = [];
  let findings: SchemaFindings = { problems: [], brokenItems: new Set(), meant: new Set(), structural: false };
  if (!validate(raw)) {
    findings = schemaFindings(validate.errors ?? []);
    problems.push(...findings.problems);
    if (findings.structural) throw new MappingLoadError(problems);
  }
  const m = raw as MappingFile;
  const timeZone = m.timeZone ?? DEFAULT_TIME_ZONE;
  try {
    checkTimeZone(timeZone);
  } catch {
    problems.push({ at: '/timeZone', message: 'is not a time zone this runtime knows (use an IANA name such as Europe/London)' });
  }
  const format = m.input.format;
  const mapped = new Set(Object.keys(m.items).filter((name) => MAPPING_ITEMS[name]));
  for (const [name, spec] of Object.entries(MAPPING_ITEMS)) {
    if (spec.required && !mapped.has(name) && !findings.meant.has(name)) problems.push({ at: '/items', message: `the required ADS item ${name} (${spec.label}) has no source` });
  }
  for (const name of mapped) {
    for (const needed of MAPPING_ITEMS[name]?.requires ?? []) {
      if (!mapped.has(needed)) problems.push({ at: pointer('items', name), message: `${name} needs ${needed} mapped too` });
    }
  }
  if ([...mapped].some((n) => MAPPING_ITEMS[n]?.level === 'patient') && !PATIENT_IDENTITY_ITEMS.some((n) => mapped.has(n))) {
    problems.push({ at: '/items', message: `a patient contact needs ${PATIENT_IDENTITY_ITEMS.join(' or ')} mapped` });
  }
  const items: CompiledItem[] = [];
  for (const [name, source] of Object.entries(m.items)) {
    if (findings.brokenItems.has(name)) continue;
    const spec = MAPPING_ITEMS[name]!;
    const at = pointer('items', name);
    const compiled = compileSource(source, at, format, problems);
    let map: Record<string, string> | undefined;
    if (typeof source.map === 'string') {
      map = m.valueMaps?.[source.map];
      if (!map) problems.push({ at: `${at}/map`, message: `there is no value map named "${source.map}" in valueMaps` });
    } else map = source.map;
    const converter = compileConverter(name, spec, {
      ...(map ? { map } : {}),
      pattern: source.format ?? (spec.kind === 'date' ? m.dateFormat : m.dateTimeFormat) ?? 'iso',
      timeZone, ambiguous: m.ambiguousTimes ?? 'earlier',
    }, at, problems);
    if (compiled.kind === 'const' && converter) {
      const result = converter(compiled.value);
      if (result && 'invalid' in result) problems.push({ at: `${at}/const`, message: `the constant ${result.invalid}` });
    }
    if (converter) items.push({ name, spec, source: compiled, convert: converter });
  }
  const responseDefault = m.items['response.callSign'];
  const keySource = (raw: KeySource | ItemSource | undefined, at: string) => (raw ? compileSource(raw, at, format, problems) : undefined);
  const call = keySource(m.grouping.call, '/grouping/call')!;
  const response = keySource(m.grouping.response ?? (responseDefault && !('const' in responseDefault) ? responseDefault : undefined), '/grouping/response');
  const patient = keySource(m.grouping.patient, '/grouping/patient');
  if (problems.length) throw new MappingLoadError(problems);
  const columns = [...new Set([call, response, patient, ...items.map((i) => i.source)].flatMap((s) => (s?.kind === 'column' ? [s.text] : [])))];
  return {
    ...(m.name ? { name: m.name } : {}),
    format, delimiter: m.input.delimiter ?? ',', timeZone, items,
    grouping: {
      call, ...(response ? { response } : {}), ...(patient ? { patient } : {}), sorted: m.grouping.sortedBy === 'call',
      maxBufferedRecords: m.grouping.maxBufferedRecords ?? DEFAULT_MAX_BUFFERED_RECORDS,
    },
    columns,
  };
}

/** Reads, parses and compiles a mapping file; a file that is not JSON is a {@link MappingLoadError} too. */
export async function loadMappingFile(file: string): Promise<CompiledMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MappingLoadError([{ at: '', message: `the mapping file ${file} cannot be read` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new MappingLoadError([{ at: '', message: `the mapping file ${file} is not valid JSON` }]);
  }
  return compileMapping(raw);
}

