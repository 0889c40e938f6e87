/**
 * Publication rules the reference validator applies to every canonical resource (checkSpecials, not only in
 * its publication mode): the resource status against its standards-status extension, and, for resources
 * whose canonical URL is HL7's (`http://hl7.org/fhir/...`), the work group extension against the publisher
 * and the contact URL. The check that a work group is stated at all runs only in publication mode and is
 * not here (VALIDATION_HL7_WG_NEEDED is n/a).
 */
import { CANONICAL_RESOURCE_TYPES } from '../canonical-resource-types.js';
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';
import { HL7_WORK_GROUPS } from './hl7-work-groups.js';

const EXT_STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
export const EXT_WORKGROUP = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-wg';

/** Extensions of a resource with the given URL. */
export function extensionsOf(resource: Record<string, unknown>, url: string): Record<string, unknown>[] {
  const list = Array.isArray(resource.extension) ? resource.extension : [];
  return list.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && (e as { url?: unknown }).url === url);
}

/** The primitive value of the first extension with the URL (as the reference's getExtensionValue). */
export function extensionPrimitive(resource: Record<string, unknown>, url: string): string | undefined {
  const ext = extensionsOf(resource, url)[0];
  if (!ext) return undefined;
  for (const [k, v] of Object.entries(ext)) {
    if (k.startsWith('value') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return String(v);
  }
  return undefined;
}

const CONSISTENT: Record<string, string[]> = {
  draft: ['draft'], normative: ['active'], 'trial-use': ['draft', 'active'], informative: ['draft', 'active', 'retired'],
  deprecated: ['retired'], withdrawn: ['retired'], external: ['draft', 'active', 'retired'],
};
const DEEPLY_CONSISTENT: Record<string, string[]> = {
  draft: ['draft'], normative: ['active'], 'trial-use': ['active'], informative: ['draft', 'active'],
  deprecated: ['retired'], withdrawn: ['retired'], external: ['draft', 'active'],
};

export function checkPublication(resource: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  if (typeof resource.resourceType !== 'string' || !CANONICAL_RESOURCE_TYPES.has(resource.resourceType)) return;
  const standardsStatus = extensionPrimitive(resource, EXT_STANDARDS_STATUS);
  const status = resource.status;
  if (typeof status === 'string' && status !== '' && standardsStatus) {
    if (CONSISTENT[standardsStatus] && !CONSISTENT[standardsStatus].includes(status)) {
      cx.report('VALIDATION_VAL_STATUS_INCONSISTENT', 'warning', 'business-rule', path, `The resource status '${status}' and the standards status '${clip(standardsStatus)}' are not consistent`);
    } else if (DEEPLY_CONSISTENT[standardsStatus] && !DEEPLY_CONSISTENT[standardsStatus].includes(status)) {
      cx.report('VALIDATION_VAL_STATUS_INCONSISTENT_HINT', 'information', 'business-rule', path, `The resource status '${status}' and the standards status '${clip(standardsStatus)}' may not be consistent and should be reviewed`);
    }
  }
  if (typeof resource.url === 'string' && resource.url.startsWith('http://hl7.org/fhir/')) checkHl7Publisher(resource, path, cx);
}

function checkHl7Publisher(resource: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  const { report } = cx;
  let ok = true;
  if (extensionsOf(resource, EXT_WORKGROUP).length > 1) {
    ok = false;
    report('VALIDATION_HL7_PUBLISHER_MULTIPLE_WGS', 'error', 'business-rule', path, `This resource has more than one workgroup extension (${EXT_WORKGROUP})`);
  }
  const wg = extensionPrimitive(resource, EXT_WORKGROUP);
  if (wg === undefined) return; // outside publication mode a missing work group is not reported
  const group = Object.prototype.hasOwnProperty.call(HL7_WORK_GROUPS, wg) ? HL7_WORK_GROUPS[wg] : undefined;
  if (!group) {
    report('VALIDATION_HL7_WG_UNKNOWN', 'error', 'business-rule', path, `The nominated WG '${clip(wg)}' is unknown`);
    return;
  }
  const expected = `HL7 International / ${group.name}`;
  const pub = typeof resource.publisher === 'string' ? resource.publisher : undefined;
  if (pub === undefined) {
    report('VALIDATION_HL7_PUBLISHER_MISSING', 'warning', 'business-rule', path, `When HL7 is publishing a resource, the publisher must be provided, and for WG '${wg}' it should be '${expected}'`);
  } else {
    // As the reference does, an earlier failure of this resource (several work groups) counts as a mismatch.
    ok = expected === pub && ok;
    const severity = pub.includes('/') ? 'error' : 'warning';
    if (!ok && group.name2 !== undefined) {
      // The reference folds the failed first comparison into this one, so the second name never passes.
      const second = `HL7 International / ${group.name2}`;
      report('VALIDATION_HL7_PUBLISHER_MISMATCH2', severity, 'business-rule', path, `The nominated WG '${wg}' means that the publisher should be either '${expected}'or '${second}' but '${clip(pub)}' was found`);
    } else if (!ok) {
      report('VALIDATION_HL7_PUBLISHER_MISMATCH', severity, 'business-rule', path, `The nominated WG '${wg}' means that the publisher should be '${expected}' but '${clip(pub)}' was found`);
    }
  }
  const urls: string[] = [];
  for (const c of Array.isArray(resource.contact) ? resource.contact : []) {
    const telecoms = c && typeof c === 'object' ? (c as { telecom?: unknown }).telecom : undefined;
    for (const t of Array.isArray(telecoms) ? telecoms : []) {
      const { system, value } = (t ?? {}) as { system?: unknown; value?: unknown };
      if (system === 'url' && typeof value === 'string') urls.push(value);
    }
  }
  if (!urls.some((u) => group.link.startsWith(u))) {
    report('VALIDATION_HL7_WG_URL', 'warning', 'business-rule', path, `The nominated WG '${wg}' means that the contact url should be '${group.link}' but it was not found`);
  }
}
