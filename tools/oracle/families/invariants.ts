/**
 * Breaks one invariant of core R4 with a targeted change: per-1 (Period start after end), qty-3 (Quantity code
 * without system), ext-1 (extension with a value and nested extensions), ele-1 (an empty element), dom-2/dom-4
 * (contained resource with contained or meta.versionId), dom-3 (contained resource nothing refers to), obs-6
 * (Observation value with dataAbsentReason), pat-1 (Patient contact with no details), bdl-1/bdl-2 (total or
 * search outside a search set), txt-1 (script in the narrative).
 */
import type { Family, MutationContext } from './types.js';
import { isObject } from './util.js';

type Breaker = { key: string; apply(ctx: MutationContext): string | undefined };

const BASIC = { resourceType: 'Basic', id: 'orphan1', code: { text: 'orphan' } };

const BREAKERS: Breaker[] = [
  {
    key: 'per-1',
    apply({ walk, rng }) {
      const periods = walk.sites.filter((s) => s.type === 'Period' && isObject(s.value) && typeof s.value.start === 'string');
      if (!periods.length) return undefined;
      const p = rng.pick(periods);
      const v = p.value as Record<string, unknown>;
      v.end = '1900-01-01';
      return `${p.instancePath}.end before start`;
    },
  },
  {
    key: 'qty-3',
    apply({ walk, rng }) {
      const qs = walk.sites.filter((s) => /Quantity|Age|Duration|Distance|Count|Money/.test(s.type) && isObject(s.value) && typeof s.value.code === 'string' && typeof s.value.system === 'string');
      if (!qs.length) return undefined;
      const q = rng.pick(qs);
      delete (q.value as Record<string, unknown>).system;
      return `${q.instancePath}.system removed while code stays`;
    },
  },
  {
    key: 'ext-1',
    apply({ walk, rng }) {
      const exts = walk.sites.filter((s) => s.type === 'Extension' && isObject(s.value) && Object.keys(s.value).some((k) => k.startsWith('value')));
      if (!exts.length) return undefined;
      const e = rng.pick(exts);
      (e.value as Record<string, unknown>).extension = [{ url: 'http://example.org/fhir/StructureDefinition/inner', valueString: 'x' }];
      return `${e.instancePath}: value and nested extension`;
    },
  },
  {
    key: 'ele-1',
    apply({ walk, rng }) {
      const arrays = walk.sites.filter((s) => s.index !== undefined && isObject(s.value) && !/^[a-z]/.test(s.type) && s.type !== 'Resource' && s.key !== 'contained' && s.key !== 'entry');
      if (!arrays.length) return undefined;
      const s = rng.pick(arrays);
      (s.parent[s.key] as unknown[]).push({});
      return `${s.instancePath.replace(/\[\d+\]$/, '')}: an empty element added`;
    },
  },
  {
    key: 'dom-2/dom-4',
    apply({ walk, rng }) {
      const roots = walk.objects.filter((o) => o.resourceType && o.children.some((c) => c.path.endsWith('.contained')));
      if (!roots.length) return undefined;
      const o = rng.pick(roots);
      const inner = rng.chance(0.5) ? { ...BASIC, contained: [{ ...BASIC, id: 'inner1' }] } : { ...BASIC, meta: { versionId: '3' } };
      const list = Array.isArray(o.obj.contained) ? (o.obj.contained as unknown[]) : [];
      list.push(inner);
      o.obj.contained = list;
      return `${o.instancePath}.contained: a resource with ${'contained' in inner ? 'contained' : 'meta.versionId'}`;
    },
  },
  {
    key: 'dom-3',
    apply({ walk, rng }) {
      const roots = walk.objects.filter((o) => o.resourceType && o.children.some((c) => c.path.endsWith('.contained')));
      if (!roots.length) return undefined;
      const o = rng.pick(roots);
      const list = Array.isArray(o.obj.contained) ? (o.obj.contained as unknown[]) : [];
      list.push({ ...BASIC });
      o.obj.contained = list;
      return `${o.instancePath}.contained: a resource nothing refers to`;
    },
  },
  {
    key: 'obs-6',
    apply({ walk, rng }) {
      const obs = walk.objects.filter((o) => o.resourceType === 'Observation' && Object.keys(o.obj).some((k) => k.startsWith('value')));
      if (!obs.length) return undefined;
      const o = rng.pick(obs);
      o.obj.dataAbsentReason = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'unknown' }] };
      return `${o.instancePath}: value and dataAbsentReason`;
    },
  },
  {
    key: 'pat-1',
    apply({ walk, rng }) {
      const pats = walk.objects.filter((o) => o.resourceType === 'Patient');
      if (!pats.length) return undefined;
      const o = rng.pick(pats);
      const contact = Array.isArray(o.obj.contact) ? (o.obj.contact as unknown[]) : [];
      contact.push({ gender: 'female' });
      o.obj.contact = contact;
      return `${o.instancePath}.contact with no name, telecom, address or organization`;
    },
  },
  {
    key: 'bdl-1/bdl-2',
    apply({ walk, rng }) {
      const bundles = walk.objects.filter((o) => o.resourceType === 'Bundle' && o.obj.type !== 'searchset' && o.obj.type !== 'history');
      if (!bundles.length) return undefined;
      const b = rng.pick(bundles);
      const entry = Array.isArray(b.obj.entry) ? (b.obj.entry as unknown[]).find(isObject) : undefined;
      if (entry && rng.chance(0.5)) {
        entry.search = { mode: 'match' };
        return `${b.instancePath}.entry: search in a ${String(b.obj.type)} Bundle`;
      }
      b.obj.total = 1;
      return `${b.instancePath}.total in a ${String(b.obj.type)} Bundle`;
    },
  },
  {
    key: 'txt-1',
    apply({ walk, rng }) {
      const texts = walk.sites.filter((s) => s.type === 'Narrative' && isObject(s.value) && typeof s.value.div === 'string');
      if (!texts.length) return undefined;
      const t = rng.pick(texts);
      const n = t.value as Record<string, unknown>;
      n.div = (n.div as string).replace(/<\/div>\s*$/, '<script>alert(1)</script></div>');
      return `${t.instancePath}.div: a script element`;
    },
  },
];

export const invariants: Family = {
  name: 'invariant',
  summary: 'breaks one core invariant with a targeted change: per-1, qty-3, ext-1, ele-1, dom-2/3/4, obs-6, pat-1, bdl-1/2, txt-1',
  apply(ctx) {
    const order = [...BREAKERS];
    while (order.length) {
      const b = order.splice(ctx.rng.int(order.length), 1)[0];
      const did = b?.apply(ctx);
      if (did) return `${b?.key}: ${did}`;
    }
    return undefined;
  },
};
