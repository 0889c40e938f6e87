/** Quantity comparison for minValue/maxValue: UCUM units reduced to their base unit when simply prefixed. */

const UCUM_PREFIX: Record<string, number> = { '': 1, k: 1e3, h: 1e2, da: 10, d: 1e-1, c: 1e-2, m: 1e-3, u: 1e-6, n: 1e-9, p: 1e-12 };
const UCUM_BASE = ['g', 'L', 'l', 'm', 's', 'mol'];

/** A UCUM quantity in its base unit when the unit is a prefixed base unit (mg, kg, mL...); else as written. */
export function quantityInBase(q: unknown): { value: number; unit: string } | undefined {
  if (!q || typeof q !== 'object') return undefined;
  const { value, code, unit } = q as { value?: unknown; code?: unknown; unit?: unknown };
  if (typeof value !== 'number') return undefined;
  const u = typeof code === 'string' ? code : typeof unit === 'string' ? unit : '';
  for (const base of UCUM_BASE) {
    if (u.endsWith(base)) {
      const factor = UCUM_PREFIX[u.slice(0, u.length - base.length)];
      if (factor !== undefined) return { value: value * factor, unit: base };
    }
  }
  return { value, unit: u };
}

