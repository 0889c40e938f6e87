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
import type { IndexEntry } from '../../registry.js';

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
  const status = cachedStatus(sd);
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

/** statusOf, worked out once per definition (value sets and code systems are looked up on every coded value). */
const statuses = new WeakMap<object, Status | null>();

function cachedStatus(r: Record<string, unknown>): Status {
  let s = statuses.get(r);
  if (s === undefined) statuses.set(r, (s = statusOf(r) ?? null));
  return s ?? undefined;
}

/** A code system's status worth a hint (never undefined), with the resource (or index entry) statusIssue names. */
interface SystemStatus {
  resource: Record<string, unknown>;
  status: Exclude<Status, undefined>;
}

/**
 * What the status rules need of one bound value set, worked out once per compiled binding: its own status, and
 * the status of code systems by URL (shared by every binding of one registry: definitions only, never a value).
 */
export interface BoundStatus {
  valueSet: Record<string, unknown>;
  status: Status;
  /** The value set's own status is worth a hint (deprecated, withdrawn or retired). */
  flagged: boolean;
  systems: Map<string, SystemStatus | null>;
}

const systemsByRegistry = new WeakMap<object, Map<string, SystemStatus | null>>();

export function boundStatus(valueSet: Record<string, unknown>, ctx: RuleContext): BoundStatus {
  const status = cachedStatus(valueSet);
  let systems = systemsByRegistry.get(ctx.registry);
  if (!systems) systemsByRegistry.set(ctx.registry, (systems = new Map()));
  return { valueSet, status, flagged: status !== undefined && status !== 'draft', systems };
}

/**
 * The bound value set and the code systems of the coded value, as the reference's terminology layer checks them
 * while it validates the value: the value set when deprecated, withdrawn or retired (at the value, or the first
 * coding of a CodeableConcept); each code system that is, or that is a draft where the value set is not (at the value).
 */
export function terminologyStatusIssues(bound: BoundStatus, value: string | Record<string, unknown>, path: string, ctx: RuleContext): readonly ValidationIssue[] {
  const vsFlagged = bound.flagged;
  if (typeof value === 'string') return vsFlagged ? [statusIssue(bound.valueSet, bound.status!, path)] : NONE;
  // The codings: those of a CodeableConcept (JSON objects only), or the value itself when it has a code.
  const list = Array.isArray(value.coding) ? (value.coding as unknown[]) : 'code' in value ? undefined : NONE;
  if (list !== undefined && !list.some(isObject)) return NONE;
  let found: ValidationIssue[] | undefined;
  if (vsFlagged) (found ??= []).push(statusIssue(bound.valueSet, bound.status!, list !== undefined ? `${path}.coding[0]` : path));
  if (list === undefined) return codeSystemStatus(value.system, value.code, bound, path, ctx, found) ?? NONE;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (!isObject(c)) continue;
    const system = c.system;
    if (typeof system !== 'string' || typeof c.code !== 'string' || systemSeenBefore(list, i, system)) continue;
    found = codeSystemStatus(system, c.code, bound, path, ctx, found);
  }
  return found ?? NONE;
}

function isObject(c: unknown): c is Record<string, unknown> {
  return !!c && typeof c === 'object';
}

/** Each code system is judged once per value: at its first coding with a system and a code. */
function systemSeenBefore(list: readonly unknown[], i: number, system: string): boolean {
  for (let j = 0; j < i; j++) {
    const c = list[j];
    if (isObject(c) && c.system === system && typeof c.code === 'string') return true;
  }
  return false;
}

function codeSystemStatus(system: unknown, code: unknown, bound: BoundStatus, path: string, ctx: RuleContext, found: ValidationIssue[] | undefined): ValidationIssue[] | undefined {
  if (typeof system !== 'string' || typeof code !== 'string') return found;
  let known = bound.systems.get(system);
  if (known === undefined) {
    // Code system URLs come from instances: the map is emptied at 10 000 entries, as the registry's lookups are.
    if (bound.systems.size >= 10_000) bound.systems.clear();
    bound.systems.set(system, (known = systemStatusOf(system, ctx)));
  }
  if (known === null || (known.status === 'draft' && bound.status === 'draft')) return found;
  (found ??= []).push(statusIssue(known.resource, known.status, path));
  return found;
}

/** The status of the code system `system` names, when it is one worth a hint (null otherwise, or when unknown). */
function systemStatusOf(system: string, ctx: RuleContext): SystemStatus | null {
  // The package index holds what statusOf and statusIssue read of a code system, which need not be read at all.
  const indexed = ctx.registry.entry(system);
  const cs = indexed ? indexedCodeSystem(indexed) : ctx.lookup(system);
  if (!cs || cs.resourceType !== 'CodeSystem') return null;
  const status = cachedStatus(cs);
  return status === undefined ? null : { resource: cs, status };
}

/** The index entry of a code system in the shape statusOf and statusIssue read (one object per entry). */
const fromIndex = new WeakMap<object, Record<string, unknown>>();

function indexedCodeSystem(indexed: IndexEntry): Record<string, unknown> {
  let cs = fromIndex.get(indexed);
  if (!cs) fromIndex.set(indexed, (cs = { ...indexed, extension: [{ url: STANDARDS_STATUS, valueCode: indexed.standardsStatus }] }));
  return cs;
}
