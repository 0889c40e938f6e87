/** Turns compared outcomes into the figures docs/oracle.md shows: per-family agreement and the top causes. */
import { difference, levelOf, messageTemplate, referenceKey, score, type Level, type Score, type SimpleIssue } from './score.js';

export interface Compared {
  family: string;
  label: string;
  reference: SimpleIssue[];
  ads: SimpleIssue[];
  score: Score;
  level: Level;
  /** Where the seed came from (`r4-examples`, `ads-bundles`...). */
  group: string;
}

export function compare(family: string, label: string, reference: SimpleIssue[], ads: SimpleIssue[], group = ''): Compared {
  const s = score(reference, ads);
  return { family, label, reference, ads, score: s, level: levelOf(s), group };
}

export interface FamilyRow {
  family: string;
  variants: number;
  L1: number;
  L2: number;
}

export function familyRows(items: Compared[], by_: (c: Compared) => string = (c) => c.family): FamilyRow[] {
  const by = new Map<string, Compared[]>();
  for (const c of items) by.set(by_(c), [...(by.get(by_(c)) ?? []), c]);
  const rows = [...by.entries()].map(([family, list]) => ({
    family,
    variants: list.length,
    L1: pct(list.filter((c) => c.score.L1).length, list.length),
    L2: pct(list.filter((c) => c.score.L2).length, list.length),
  }));
  return rows.sort((a, b) => a.family.localeCompare(b.family));
}

export function overall(items: Compared[]): FamilyRow {
  return { family: 'all', variants: items.length, L1: pct(items.filter((c) => c.score.L1).length, items.length), L2: pct(items.filter((c) => c.score.L2).length, items.length) };
}

function pct(n: number, of: number): number {
  return of ? Math.round((1000 * n) / of) / 10 : 0;
}

export interface Cause {
  key: string;
  /** Issues of this kind in disagreeing payloads. */
  count: number;
  /** Disagreeing payloads with at least one. */
  payloads: number;
  families: Map<string, number>;
  example: { label: string; expression: string; text: string };
}

/** Causes over the payloads that disagree (L2 fails): reference-only issues by message id, ads-only ones by wording. */
export function causes(items: Compared[]): { referenceOnly: Cause[]; adsOnly: Cause[] } {
  const ref = new Map<string, Cause>();
  const ads = new Map<string, Cause>();
  const add = (map: Map<string, Cause>, key: string, c: Compared, i: SimpleIssue, seen: Set<string>): void => {
    let cause = map.get(key);
    if (!cause) {
      cause = { key, count: 0, payloads: 0, families: new Map(), example: { label: c.label, expression: i.expression, text: i.text } };
      map.set(key, cause);
    }
    cause.count++;
    if (!seen.has(key)) {
      seen.add(key);
      cause.payloads++;
      cause.families.set(c.family, (cause.families.get(c.family) ?? 0) + 1);
    }
  };
  for (const c of items) {
    if (c.score.L2) continue;
    const d = difference(c.reference, c.ads);
    const seenR = new Set<string>();
    const seenA = new Set<string>();
    for (const i of d.referenceOnly) add(ref, `${i.severity === 'warning' ? 'warning' : 'error'} ${referenceKey(i)}`, c, i, seenR);
    for (const i of d.adsOnly) add(ads, `${i.severity === 'warning' ? 'warning' : 'error'} ${i.messageId ? `${i.messageId}: ` : ''}${messageTemplate(i.text)}`, c, i, seenA);
  }
  const sort = (m: Map<string, Cause>): Cause[] => [...m.values()].sort((a, b) => b.payloads - a.payloads || b.count - a.count);
  return { referenceOnly: sort(ref), adsOnly: sort(ads) };
}
