/**
 * CodeableConcept helpers for the Measure and MeasureReport rules, with the reference validator's
 * matching (a coding matches on system and code) and its renderings of a code in messages.
 */
import { objectItems as list } from './values.js';

export type Obj = Record<string, unknown>;

/** True when the CodeableConcept has a coding with exactly this system and code. */
export function hasCoding(cc: unknown, system: unknown, code: unknown): boolean {
  if (typeof system !== 'string' || typeof code !== 'string' || !cc || typeof cc !== 'object') return false;
  return list((cc as Obj).coding).some((c) => c.system === system && c.code === code);
}

/** `system|version#code` for each coding (bracketed when several), then `: 'text'`, as the reference's messages give a code. */
export function genCC(cc: Obj | undefined): string {
  if (!cc) return '';
  const codings = list(cc.coding);
  let out = codings.map((c) => `${String(c.system ?? '')}${typeof c.version === 'string' ? `|${c.version}` : ''}#${String(c.code ?? '')}`).join(', ');
  if (codings.length > 1) out = `[${out}]`;
  const text = typeof cc.text === 'string' ? cc.text : undefined;
  if (codings.length > 0 && text !== undefined) out += ': ';
  if (text !== undefined) out += `'${text}'`;
  return out;
}

/** A short human rendering of a CodeableConcept or Coding: its text, else a display, else its code. */
export function codeDisplay(v: unknown): string {
  const c = (Array.isArray(v) ? v[0] : v) as Obj | undefined;
  if (!c || typeof c !== 'object') return '';
  if (typeof c.text === 'string') return c.text;
  if (typeof c.display === 'string') return c.display;
  const first = list(c.coding)[0];
  if (first) return String(first.display ?? first.code ?? '');
  return String(c.code ?? '');
}
