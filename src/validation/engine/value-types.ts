/**
 * What the walk asks of the type code of every complex value it meets: whether the code names a resource, the
 * type's base definition, its datatype rules. Each was a lookup by the code on every value; here they are one
 * record per code and registry, found with one lookup.
 */
import type { CompiledProfile } from '../model.js';
import type { ProfileRegistry } from '../registry.js';
import type { DatatypeRule } from './context.js';
import { datatypeRulesFor } from './rule-table.js';

export interface ValueType {
  /** `Resource`, or a resource type: the value is a resource inside the one walked. */
  readonly resource: boolean;
  readonly rules: readonly DatatypeRule[];
  /** The type's base definition: undefined until asked, null when there is none. */
  definition: CompiledProfile | null | undefined;
}

/** Type codes come from the definitions, so few; a payload's odd codes do not grow a table without end. */
const MAX_CODES = 2000;

const tables = new WeakMap<ProfileRegistry, Map<string, ValueType>>();

/** The table of one registry (what the registry answers for a code does not change). */
export function valueTypesOf(registry: ProfileRegistry): Map<string, ValueType> {
  let table = tables.get(registry);
  if (!table) tables.set(registry, (table = new Map()));
  return table;
}

export function valueType(table: Map<string, ValueType>, registry: ProfileRegistry, code: string): ValueType {
  const hit = table.get(code);
  if (hit) return hit;
  const made: ValueType = { resource: code === 'Resource' || (code !== '' && registry.resourceType(code) !== undefined), rules: datatypeRulesFor(code), definition: undefined };
  if (table.size < MAX_CODES) table.set(code, made);
  return made;
}

/** The base definition of the type (looked up on first use). */
export function definitionOf(type: ValueType, registry: ProfileRegistry, code: string): CompiledProfile | undefined {
  if (type.definition === undefined) type.definition = registry.get(code) ?? null;
  return type.definition ?? undefined;
}
