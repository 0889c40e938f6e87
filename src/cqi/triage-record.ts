import { TriageValidationError, type TriageFieldIssue } from './errors.js';
import { isValidNhsNumber, isValidOdsCode, normaliseNhsNumber } from './identifiers.js';

/** The service that took the call. */
export type TriageService = '111' | '999';

/**
 * What an NHS Pathways assessment produces, as submitted for continuous
 * quality improvement and reused by the ADS call triage items.
 * Built only through {@link createTriageRecord}, so every instance is valid.
 */
export interface TriageRecord {
  /** The provider's case or call identifier. */
  readonly caseId: string;
  /** ODS code of the 111/999 provider. */
  readonly providerOdsCode: string;
  readonly service: TriageService;
  /** When the call was connected: ISO 8601 with offset. */
  readonly callConnectedAt: string;
  /** When the Pathways assessment ended: ISO 8601 with offset. */
  readonly assessmentEndedAt: string;
  /** Pathways symptom group (SG), digits only, e.g. `1011`. */
  readonly symptomGroup: string;
  /** Pathways symptom discriminator (SD), digits only, e.g. `4052`. */
  readonly symptomDiscriminator: string;
  /** Pathways disposition, `Dx` then digits, e.g. `Dx011`. */
  readonly dispositionCode: string;
  /** When the disposition was reached: ISO 8601 with offset. */
  readonly dispositionAt: string;
  /** Final outcome of the call as the provider codes it. */
  readonly finalOutcome: string;
  /** 10-digit NHS number, digits only, when known. */
  readonly nhsNumber?: string;
}

/** Input accepted by {@link createTriageRecord}: codes may be numbers or carry `SG`/`SD` prefixes. */
export interface TriageRecordInput {
  caseId: string;
  providerOdsCode: string;
  service: TriageService | 111 | 999;
  callConnectedAt: string;
  assessmentEndedAt: string;
  symptomGroup: string | number;
  symptomDiscriminator: string | number;
  dispositionCode: string;
  dispositionAt: string;
  finalOutcome: string;
  nhsNumber?: string;
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;
const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const FINAL_OUTCOME = /^[A-Za-z0-9][A-Za-z0-9 _.,:()/-]{0,99}$/;

/** Milliseconds since the epoch, or undefined when not a real ISO 8601 instant with an offset. */
export function parseIsoWithOffset(value: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  // Date.parse rolls 31 April into 1 May; reject such dates explicitly.
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  if (oh !== undefined && (Number(oh) > 14 || Number(om) > 59)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function pathwaysNumber(value: unknown, prefix: 'SG' | 'SD'): string | undefined {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const digits = text.toUpperCase().startsWith(prefix) ? text.slice(2) : text;
  return /^\d{1,6}$/.test(digits) ? digits : undefined;
}

/**
 * Validates every field of `input` (typically parsed JSON) and returns a
 * frozen, normalised {@link TriageRecord}.
 * @throws TriageValidationError listing every bad field; messages never echo values.
 */
export function createTriageRecord(input: unknown): TriageRecord {
  const issues: TriageFieldIssue[] = [];
  const bad = (field: string, message: string): undefined => {
    issues.push({ field, message });
    return undefined;
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TriageValidationError([{ field: '(record)', message: 'must be a JSON object' }]);
  }
  const o = input as Record<string, unknown>;
  const str = (field: string): string | undefined =>
    typeof o[field] === 'string' ? (o[field] as string).trim() : bad(field, o[field] === undefined ? 'is required' : 'must be a string');

  const caseId = str('caseId');
  if (caseId !== undefined && !CASE_ID.test(caseId)) bad('caseId', 'must be 1-64 letters, digits or . _ : / - starting with a letter or digit');

  const providerOdsCode = str('providerOdsCode');
  if (providerOdsCode !== undefined && !isValidOdsCode(providerOdsCode)) bad('providerOdsCode', 'must be an ODS code: 3-9 upper-case letters or digits');

  const service = o.service === 111 || o.service === '111' ? '111' : o.service === 999 || o.service === '999' ? '999' : undefined;
  if (service === undefined) bad('service', 'must be 111 or 999');

  const time = (field: string): { text: string; ms: number } | undefined => {
    const text = str(field);
    if (text === undefined) return undefined;
    const ms = parseIsoWithOffset(text);
    return ms === undefined ? bad(field, 'must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-23T17:05:00Z') : { text, ms };
  };
  const connected = time('callConnectedAt');
  const ended = time('assessmentEndedAt');
  const disposed = time('dispositionAt');
  if (connected && ended && ended.ms <= connected.ms) bad('assessmentEndedAt', 'must be after callConnectedAt');
  if (connected && disposed && disposed.ms < connected.ms) bad('dispositionAt', 'must not be before callConnectedAt');
  if (ended && disposed && disposed.ms > ended.ms) bad('dispositionAt', 'must not be after assessmentEndedAt');

  const symptomGroup = o.symptomGroup === undefined ? bad('symptomGroup', 'is required') : pathwaysNumber(o.symptomGroup, 'SG');
  if (o.symptomGroup !== undefined && symptomGroup === undefined) bad('symptomGroup', 'must be a numeric Pathways SG code, e.g. 1011');
  const symptomDiscriminator =
    o.symptomDiscriminator === undefined ? bad('symptomDiscriminator', 'is required') : pathwaysNumber(o.symptomDiscriminator, 'SD');
  if (o.symptomDiscriminator !== undefined && symptomDiscriminator === undefined) bad('symptomDiscriminator', 'must be a numeric Pathways SD code, e.g. 4052');

  const dx = str('dispositionCode');
  const dispositionCode = dx !== undefined && /^dx\d{2,5}$/i.test(dx) ? `Dx${dx.slice(2)}` : undefined;
  if (dx !== undefined && dispositionCode === undefined) bad('dispositionCode', 'must be a Pathways disposition code: Dx then 2-5 digits, e.g. Dx011');

  const finalOutcome = str('finalOutcome');
  if (finalOutcome !== undefined && !FINAL_OUTCOME.test(finalOutcome)) bad('finalOutcome', 'must be 1-100 letters, digits, spaces or . , : ( ) / _ -');

  let nhsNumber: string | undefined;
  if (o.nhsNumber !== undefined && o.nhsNumber !== null && o.nhsNumber !== '') {
    if (typeof o.nhsNumber !== 'string') bad('nhsNumber', 'must be a string of 10 digits');
    else if (!isValidNhsNumber(o.nhsNumber)) bad('nhsNumber', 'must be 10 digits passing the NHS number Modulus 11 check');
    else nhsNumber = normaliseNhsNumber(o.nhsNumber);
  }

  const known = new Set(['caseId', 'providerOdsCode', 'service', 'callConnectedAt', 'assessmentEndedAt', 'symptomGroup', 'symptomDiscriminator', 'dispositionCode', 'dispositionAt', 'finalOutcome', 'nhsNumber']);
  for (const key of Object.keys(o)) if (!known.has(key)) bad(key, 'is not a triage record field');

  if (issues.length > 0) throw new TriageValidationError(issues);
  const record: TriageRecord = {
    caseId: caseId!,
    providerOdsCode: providerOdsCode!,
    service: service!,
    callConnectedAt: connected!.text,
    assessmentEndedAt: ended!.text,
    symptomGroup: symptomGroup!,
    symptomDiscriminator: symptomDiscriminator!,
    dispositionCode: dispositionCode!,
    dispositionAt: disposed!.text,
    finalOutcome: finalOutcome!,
    ...(nhsNumber !== undefined ? { nhsNumber } : {}),
  };
  return Object.freeze(record);
}
