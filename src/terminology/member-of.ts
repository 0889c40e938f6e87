import type { LocalTerminology } from './local-terminology.js';

/**
 * The FHIRPath `memberOf()` answer from local terminology: true/false when the packages settle it,
 * undefined (FHIRPath empty) when the value set or the code's system needs a terminology server.
 * Accepts a code string, a Coding or a CodeableConcept (member when any coding is).
 */
export function memberOfHook(terminology: LocalTerminology): (value: unknown, valueSetUrl: string) => boolean | undefined {
  return (value, valueSetUrl) => {
    const vs = terminology.valueSet(valueSetUrl);
    if (!vs) return undefined;
    const codings = typeof value === 'string' ? [{ code: value }] : codingsOf(value);
    let unknown = false;
    for (const c of codings) {
      if (typeof c.code !== 'string') continue;
      const m = vs.codes.test(typeof c.system === 'string' ? c.system : undefined, c.code);
      if (m.kind === 'member') return true;
      if (m.kind === 'unknown') unknown = true;
    }
    return unknown ? undefined : false;
  };
}

function codingsOf(value: unknown): { system?: unknown; code?: unknown }[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as { coding?: unknown; code?: unknown };
  if (Array.isArray(v.coding)) return v.coding.filter((c): c is { system?: unknown; code?: unknown } => typeof c === 'object' && c !== null);
  return 'code' in v ? [v] : [];
}
