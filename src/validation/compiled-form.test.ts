import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { bundledPackage, PackageStore } from '../packages/index.js';
import { testCacheDir } from '../packages/test-fixtures.js';
import { fromCompiledForm, toCompiledForm } from './compiled-form.js';
import type { CompiledProfile, ElementNode } from './model.js';
import { ProfileRegistry } from './registry.js';

/** Everything the engine reads from a compiled tree, written out: two trees that print alike validate alike. */
function describeTree(profile: CompiledProfile): unknown[] {
  const index = new Map<ElementNode, number>();
  const list: ElementNode[] = [];
  const visit = (n: ElementNode): void => {
    if (index.has(n)) return;
    index.set(n, list.length);
    list.push(n);
    [...n.children, ...n.slices, ...(n.contentTarget ? [n.contentTarget] : [])].forEach(visit);
  };
  visit(profile.root);
  const ref = (n: ElementNode | undefined) => (n ? index.get(n) : undefined);
  const { root, ...rest } = profile;
  return [
    JSON.stringify(rest),
    root.owner === profile,
    ...list.map((n) => {
      const { children, slices, contentTarget, childByKey, required, keys, owner: _owner, ...fields } = n;
      return {
        fields: JSON.stringify(fields, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v)),
        children: children.map(ref),
        slices: slices.map(ref),
        contentTarget: ref(contentTarget),
        childByKey: [...childByKey].map(([k, e]) => [k, ref(e.node), e.key, e.ukey, JSON.stringify(e.type), e.node.types.indexOf(e.type!)]),
        required: required.map((r) => [ref(r.node), r.keys]),
        keys,
      };
    }),
  ];
}

describe('compiled profiles as data (the on-disk cache form)', () => {
  it('read back exactly as compiled, for every profile of core R4, UK Core and ADS', async () => {
    const store = await PackageStore.create({ packages: [bundledPackage('ads')], cacheDir: testCacheDir });
    const registry = new ProfileRegistry({ structureDefinition: (c) => store.structureDefinition(c), resolve: (c) => store.resolve(c) });
    let checked = 0;
    for (const sd of store.all<StructureDefinition>('StructureDefinition')) {
      if (sd.kind === 'logical') continue;
      const compiled = registry.get(sd.url);
      if (!compiled) continue;
      const back = fromCompiledForm(JSON.parse(JSON.stringify(toCompiledForm(compiled))));
      expect(back, sd.url).toBeDefined();
      expect(describeTree(back!), sd.url).toEqual(describeTree(compiled));
      checked++;
    }
    expect(checked).toBeGreaterThan(800);
  }, 240_000);

  it('rejects data that is not a compiled form', () => {
    for (const junk of [null, 1, 'x', {}, { nodes: [] }, { profile: {}, nodes: [{ f: {}, c: [7] }] }]) expect(fromCompiledForm(junk)).toBeUndefined();
  });
});
