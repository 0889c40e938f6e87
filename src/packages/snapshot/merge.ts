import type { ElementDefinition, ElementDefinitionConstraint, ElementDefinitionMapping } from 'fhir/r4';

/** Keys of a differential element that say where it is, not what it constrains. */
const LOCATING_KEYS = new Set(['id', 'path', 'sliceName']);

function profileKey(el: ElementDefinition): string {
  return JSON.stringify((el.type ?? []).map((t) => [t.code, t.profile ?? []]));
}

/**
 * Applies a differential element to the snapshot element it constrains, per the FHIR rules:
 * everything stated in the differential replaces the base, constraints and mappings add up,
 * bindings and slicing merge field by field. Returns true when the element's type profile changed
 * (its children must then come from the new profile).
 */
export function mergeElement(target: ElementDefinition, diff: ElementDefinition): boolean {
  const before = profileKey(target);
  const t = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(diff)) {
    if (LOCATING_KEYS.has(key) || value === undefined) continue;
    switch (key) {
      case 'constraint':
        target.constraint = mergeConstraints(target.constraint, value as ElementDefinitionConstraint[]);
        break;
      case 'mapping':
        target.mapping = mergeMappings(target.mapping, value as ElementDefinitionMapping[]);
        break;
      case 'condition':
        target.condition = [...new Set([...(target.condition ?? []), ...(value as string[])])];
        break;
      case 'binding':
        target.binding = { ...target.binding, ...(value as ElementDefinition['binding']) } as ElementDefinition['binding'];
        break;
      case 'slicing':
        target.slicing = { ...target.slicing, ...(value as ElementDefinition['slicing']) } as ElementDefinition['slicing'];
        break;
      default:
        if (key.startsWith('fixed') || key.startsWith('pattern')) removeValueConstraints(t);
        t[key] = structuredClone(value);
    }
  }
  return profileKey(target) !== before && (diff.type ?? []).some((ty) => ty.profile?.length);
}

function removeValueConstraints(t: Record<string, unknown>): void {
  for (const k of Object.keys(t)) if (k.startsWith('fixed') || k.startsWith('pattern')) delete t[k];
}

function mergeConstraints(base: ElementDefinitionConstraint[] | undefined, added: ElementDefinitionConstraint[]): ElementDefinitionConstraint[] {
  const out = [...(base ?? [])];
  for (const c of added) {
    const i = out.findIndex((o) => o.key === c.key);
    if (i >= 0) out[i] = structuredClone(c);
    else out.push(structuredClone(c));
  }
  return out;
}

function mergeMappings(base: ElementDefinitionMapping[] | undefined, added: ElementDefinitionMapping[]): ElementDefinitionMapping[] {
  const out = [...(base ?? [])];
  for (const m of added) if (!out.some((o) => o.identity === m.identity && o.map === m.map)) out.push(structuredClone(m));
  return out;
}
