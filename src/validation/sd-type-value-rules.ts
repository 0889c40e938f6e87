/**
 * What StructureDefinition.type may say (the reference validator's InstanceValidator.checkTypeValue, run on the
 * type element of every StructureDefinition): a type named by an absolute URL is a logical model's, and a
 * type FHIR defines may be used by a structure other than the type's own definition only to constrain it.
 */
import type { Report } from '../plugin-types/index.js';
import { CORE_SD_BASE as CORE_SD } from '../systems/index.js';

type Obj = Record<string, unknown>;
type Resolve = (url: string) => Obj | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 100) : String(v ?? ''));

/** The reference's Utilities.isAbsoluteUrl: a lower-case scheme token, a colon, and a non-empty tail without spaces. */
function isAbsoluteUrl(v: string): boolean {
  const colon = v.indexOf(':');
  if (colon < 0) return false;
  const scheme = v.slice(0, colon);
  const details = v.slice(colon + 1);
  return /^[a-z][a-z0-9_]*$/.test(scheme) && details.length > 0 && !details.includes(' ');
}

export function checkTypeValue(sd: Obj, path: string, resolve: Resolve, report: Report): void {
  const v = sd.type;
  const { derivation, url, kind } = sd;
  if (typeof v !== 'string' || v === '') return;
  if (isAbsoluteUrl(v)) {
    // The reference first compares namespaces, failing (no rule) on a missing derivation, or a missing url unless the structure is a constraint.
    if (typeof derivation !== 'string' || (derivation !== 'constraint' && typeof url !== 'string')) return;
    if (kind !== 'logical') {
      report('SD_TYPE_NOT_LOGICAL', 'error', 'invalid', `${path}.type`, `The type ${str(v)} can only be defined if the kind is 'logical' not ${str(kind ?? null)}`);
    }
    return;
  }
  // A type of the FHIR specification: its own definition in the core package names it.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(v) || resolve(`${CORE_SD}${v}`)?.type !== v) return;
  if (url !== `${CORE_SD}${v}` && derivation !== 'constraint') {
    report('SD_TYPE_NOT_DERIVED', 'error', 'invalid', `${path}.type`, `The type ${str(v)} can only be used as a type when constraining the base definition of the type`);
  }
}
