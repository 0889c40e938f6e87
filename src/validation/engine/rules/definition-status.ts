/**
 * The status of the definitions an instance uses (the reference's BaseValidator.checkDefinitionStatus for
 * extensions, and ValueSetProcessBase.checkCanonical for the value sets and code systems of a binding): a
 * deprecated, withdrawn (standards-status extension) or retired definition is worth a hint, as is a draft code
 * system used by a value set that is not itself a draft. Information only; they never change a verdict.
 * (The reference's experimental checks are off outside publication mode, its draft check on extensions disabled.)
 */
import type { ValidationIssue } from '../../../plugin-types/index.js';
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const STATUS_REASON = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status-reason';

type Status = 'deprecated' | 'withdrawn' | 'retired' | 'draft' | undefined;

function standardsStatus(r: Record<string, unknown>): Record<string, unknown> | undefined {
  const exts = r.extension;
  if (!Array.isArray(exts)) return undefined;
  return exts.find((e): e is Record<string, unknown> => !!e && typeof e === 'object' && (e as Record<string, unknown>).url === STANDARDS_STATUS);
}

/** The status that matters of a canonical resource, most serious first (as checkCanonical tests them). */
function statusOf(r: Record<string, unknown>): Status {
  const ss = standardsStatus(r)?.valueCode;
  if (ss === 'deprecated' || ss === 'withdrawn') return ss;
  if (r.status === 'retired') return 'retired';
  if (r.status === 'draft' || ss === 'draft') return 'draft';
  return undefined;
}

function versionedUrl(r: Record<string, unknown>): string {
  return typeof r.version === 'string' ? `${String(r.url)}|${r.version}` : String(r.url);
}

/** The note of a deprecation: the standards-status-reason extension on the status code. */
function deprecationNote(r: Record<string, unknown>): string | undefined {
  const companion = standardsStatus(r)?._valueCode as Record<string, unknown> | undefined;
  const exts = companion?.extension;
  if (!Array.isArray(exts)) return undefined;
  const reason = exts.find((e) => e && typeof e === 'object' && (e as Record<string, unknown>).url === STATUS_REASON) as Record<string, unknown> | undefined;
  const text = reason?.valueMarkdown ?? reason?.valueString;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

const reportedPerRun = new WeakMap<object, Set<string>>();

/** An extension whose definition is deprecated, withdrawn or retired: one hint per definition and validation run. */
export function checkExtensionStatus(url: string, path: string, ctx: RuleContext): void {
  const sd = ctx.lookup(url);
  if (!sd) return;
  const status = statusOf(sd);
  if (status === undefined || status === 'draft') return;
  const vurl = versionedUrl(sd);
  // The walk is made afresh for each validation: one hint per definition and run, as the reference gives one.
  const seen = reportedPerRun.get(ctx) ?? new Set<string>();
  reportedPerRun.set(ctx, seen);
  if (seen.has(`${vurl}:${status}`)) return;
  seen.add(`${vurl}:${status}`);
  if (status === 'deprecated') {
    const note = deprecationNote(sd);
    if (note) ctx.report('MSG_DEPENDS_ON_DEPRECATED_NOTE', 'information', 'business-rule', path, `The extension ${clip(vurl)} is deprecated with the note: '${clip(note)}'`);
    else ctx.report('MSG_DEPENDS_ON_DEPRECATED', 'information', 'business-rule', path, `The extension ${clip(vurl)} is deprecated`);
  } else if (status === 'withdrawn') {
    ctx.report('MSG_DEPENDS_ON_WITHDRAWN', 'information', 'business-rule', path, `The extension ${clip(vurl)} is withdrawn`);
  } else {
    ctx.report('MSG_DEPENDS_ON_RETIRED', 'information', 'business-rule', path, `The extension ${clip(vurl)} is retired`);
  }
}

const STATUS_RULES = { deprecated: 'MSG_DEPRECATED', withdrawn: 'MSG_WITHDRAWN', retired: 'MSG_RETIRED', draft: 'MSG_DRAFT' } as const;

function statusIssue(r: Record<string, unknown>, status: Exclude<Status, undefined>, path: string): ValidationIssue {
  return { rule: STATUS_RULES[status], severity: 'information', code: 'business-rule', expression: path, message: `Reference to ${status} ${String(r.resourceType)} ${clip(versionedUrl(r))}` };
}

const NONE: readonly ValidationIssue[] = [];

/**
 * The bound value set and the code systems of the coded value, as the reference's terminology layer checks them
 * while it validates the value: the value set when deprecated, withdrawn or retired (at the value, or the first
 * coding of a CodeableConcept); each code system that is, or that is a draft where the value set is not (at the value).
 */
export function terminologyStatusIssues(valueSet: Record<string, unknown>, value: string | Record<string, unknown>, path: string, ctx: RuleContext): readonly ValidationIssue[] {
  const codings = codingsOf(value);
  if (typeof value !== 'string' && codings.length === 0) return NONE;
  const vsStatus = statusOf(valueSet);
  let found: ValidationIssue[] | undefined;
  if (vsStatus !== undefined && vsStatus !== 'draft') {
    (found ??= []).push(statusIssue(valueSet, vsStatus, typeof value !== 'string' && Array.isArray(value.coding) ? `${path}.coding[0]` : path));
  }
  if (codings.length === 0) return found ?? NONE;
  const seen = new Set<string>();
  for (const c of codings) {
    if (typeof c.system !== 'string' || typeof c.code !== 'string' || seen.has(c.system)) continue;
    seen.add(c.system);
    // The package index holds what statusOf and statusIssue read of a code system, which need not be read at all.
    const indexed = ctx.registry.entry(c.system);
    const cs = indexed ? { ...indexed, extension: [{ url: STANDARDS_STATUS, valueCode: indexed.standardsStatus }] } : ctx.lookup(c.system);
    if (!cs || cs.resourceType !== 'CodeSystem') continue;
    const status = statusOf(cs);
    if (status === undefined) continue;
    if (status === 'draft' && vsStatus === 'draft') continue;
    (found ??= []).push(statusIssue(cs, status, path));
  }
  return found ?? NONE;
}

function codingsOf(value: string | Record<string, unknown>): Record<string, unknown>[] {
  if (typeof value === 'string') return [];
  if (Array.isArray(value.coding)) return value.coding.filter((c): c is Record<string, unknown> => !!c && typeof c === 'object');
  return 'code' in value ? [value] : [];
}
