/**
 * The type side of StructureMap checking, after the reference validator's StructureMapValidator: variables
 * (group inputs, rule sources and targets) with the StructureDefinition and element they stand for, and the
 * elements a path step from such a variable can reach, read from the definitions' snapshots.
 */
import type { ConformanceContext } from './context.js';

export type Json = Record<string, unknown>;

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

export const isAbsoluteUrl = (s: string) => /^(https?|urn|file):/.test(s);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object' && !Array.isArray(x)) : []);
/** A name the reference accepts for groups, variables and contexts. */
export const idIsValid = (name: string | undefined) => name !== undefined && /^[a-zA-Z][a-zA-Z0-9]*$/.test(name);

/** An element definition and the StructureDefinition whose snapshot holds it. */
export interface ElementSource {
  sd: Json;
  ed: Json;
}

export function elementsOf(sd: Json): Json[] {
  return arr((sd.snapshot as Json | undefined)?.element);
}

/** The working code of a type reference (the FHIR type for FHIRPath system types). */
export function workingCode(tr: Json): string {
  for (const e of arr(tr.extension)) {
    if (e.url === FHIR_TYPE_EXT) {
      const v = str(e.valueUrl) ?? str(e.valueUri);
      if (v) return v;
    }
  }
  return str(tr.code) ?? '';
}

export const typesOf = (ed: Json | undefined): Json[] => arr(ed?.type);
/** The last step of the element's path without `[x]`. */
const nameBase = (ed: Json) => {
  const path = str(ed.path) ?? '';
  const last = path.slice(path.lastIndexOf('.') + 1);
  return last.endsWith('[x]') ? last.slice(0, -3) : last;
};

/** Definitions and type lookups over the loaded StructureDefinitions. */
export class TypeLookup {
  constructor(private readonly cx: ConformanceContext, private readonly typeUrl: (name: string) => string | undefined) {}

  /** A StructureDefinition by canonical URL. */
  structure(url: string): Json | undefined {
    const r = this.cx.lookup(url);
    return r && r.resourceType === 'StructureDefinition' ? r : undefined;
  }

  /** The definition of a type by name or URL (as the reference's fetchTypeDefinition). */
  typeDefinition(type: string | undefined): Json | undefined {
    if (!type) return undefined;
    if (isAbsoluteUrl(type)) return this.structure(type);
    return this.structure(`${CORE}${type}`) ?? this.structure(this.typeUrl(type) ?? `${CORE}${type}`);
  }

  /** The base definition of a StructureDefinition. */
  base(sd: Json): Json | undefined {
    const b = str(sd.baseDefinition);
    return b ? this.structure(b) : undefined;
  }

  isAbstractType(types: Json[]): boolean {
    if (types.length !== 1) return false;
    const sd = this.typeDefinition(str(types[0]!.code));
    return !!sd && sd.abstract === true;
  }

  /** Direct children of `ed` in `sd`'s snapshot (as ProfileUtilities.getChildList). */
  childList(sd: Json, ed: Json): Json[] {
    const path = str(ed.path) ?? '';
    const id = str(ed.id);
    const out: Json[] = [];
    let capturing = id === undefined;
    for (const e of elementsOf(sd)) {
      if (!capturing && (e === ed || (id !== undefined && e.id === id))) capturing = true;
      // A sliced element's children end where the next slice starts.
      if (capturing && id !== undefined && e.id !== undefined && e.id !== id && e.path === path) break;
      if (!capturing) continue;
      const p = str(e.path) ?? '';
      if (p.startsWith(`${path}.`) && !p.slice(path.length + 1).includes('.')) out.push(e);
    }
    return out;
  }

  /** The elements `element` names under the variable's element (getElementDefinitions). */
  elementDefinitions(sd: Json, ed: Json, type: string | undefined, element: string): ElementSource[] {
    const result: ElementSource[] = [];
    const children = this.childList(sd, ed);
    if (children.length === 0) {
      for (const td of typesOf(ed)) {
        const tn = workingCode(td);
        const sdt = this.typeDefinition(tn);
        if (!sdt) continue;
        if (this.isSpecialisation(sdt, type)) this.addElements(result, type, element, tn, this.typeDefinition(type));
        else this.addElements(result, type, element, tn, sdt);
      }
      return result;
    }
    for (const t of children) {
      if (nameBase(t) !== element) continue;
      const ref = str(t.contentReference);
      if (ref) {
        const hash = ref.indexOf('#');
        const url = ref.slice(0, hash);
        const path = ref.slice(hash + 1);
        const sdt = url === '' || url === sd.url ? sd : this.structure(url);
        const t2 = sdt ? elementsOf(sdt).find((e) => e.path === path) ?? elementsOf(sdt).find((e) => e.id === path) : undefined;
        if (sdt && t2) result.push({ sd: sdt, ed: t2 });
      } else result.push({ sd, ed: t });
    }
    return result;
  }

  private addElements(result: ElementSource[], type: string | undefined, element: string, tn: string, sdt: Json | undefined): void {
    if (type === undefined || typeMatches(tn, type) || (sdt !== undefined && sdt.type === type)) {
      for (const t of sdt ? elementsOf(sdt) : []) {
        const path = str(t.path) ?? '';
        if (path.split('.').length === 2 && nameBase(t) === element) result.push({ sd: sdt!, ed: t });
      }
    }
  }

  /** True when `type` is `sdt` or derives from it. */
  isSpecialisation(sdt: Json, type: string | undefined): boolean {
    let t = this.typeDefinition(type);
    for (let depth = 0; t && depth < 20; depth++) {
      if (t === sdt || (t.url !== undefined && t.url === sdt.url)) return true;
      t = this.base(t);
    }
    return false;
  }

  /** True when one of the element's types is `type` or `type` derives from it (hasType). */
  hasType(ed: Json, type: string): boolean {
    for (const td of typesOf(ed)) {
      const sd = this.typeDefinition(workingCode(td));
      if (sd && type === sd.type) return true;
      let sdt = this.typeDefinition(type);
      for (let depth = 0; sdt && depth < 20; depth++) {
        if (sd && sdt.type === sd.type) return true;
        sdt = this.base(sdt);
      }
    }
    return false;
  }
}

/** The reference's typeMatches: only the first type is made absolute (its own quirk, kept). */
export function typeMatches(t1: string, t2: string): boolean {
  return (isAbsoluteUrl(t1) ? t1 : `${CORE}${t1}`) === t2;
}

export function sameTypes(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return (isAbsoluteUrl(a) ? a : `${CORE}${a}`) === (isAbsoluteUrl(b) ? b : `${CORE}${b}`);
}

/** A variable of the map: a group input, or what a source or target names. */
export class Variable {
  max = 1;
  sd: Json | undefined;
  ed: Json | undefined;
  type: string | undefined;

  constructor(public name: string, public mode: string, private readonly types: TypeLookup) {}

  setType(max: number, sd: Json | undefined, ed: Json | undefined, type: string | undefined): this {
    this.max = max;
    this.sd = sd;
    this.ed = ed;
    this.type = type;
    return this;
  }

  copy(name = this.name): Variable {
    return new Variable(name, this.mode, this.types).setType(this.max, this.sd, this.ed, this.type);
  }

  hasTypeInfo(): boolean {
    return this.sd !== undefined;
  }

  workingType(): string | undefined {
    if (this.type !== undefined) {
      for (const td of typesOf(this.ed)) {
        const sd = this.types.typeDefinition(workingCode(td));
        if (sd && sd.type === this.type) return workingCode(td);
      }
      return this.type;
    }
    if (this.ed) {
      const path = str(this.ed.path) ?? '';
      const types = typesOf(this.ed);
      if (!path.includes('.')) return path;
      if (this.types.isAbstractType(types)) return `${String(this.sd?.url)}#${path}`;
      if (types.length === 1) return workingCode(types[0]!);
    }
    return undefined;
  }

  summary(): string {
    return `${this.name} : ${this.workingType() ?? 'null'} (${this.mode})`;
  }

  matches(other: Variable): boolean {
    if (this.name !== other.name || this.mode !== other.mode) return false;
    if (!this.sd && !other.sd) return true;
    if (!this.sd || !other.sd) return false;
    return this.sd.url === other.sd.url && this.ed?.path === other.ed?.path && this.type === other.type;
  }
}

/** The variables in scope: names may repeat once per mode. */
export class VariableSet {
  list: Variable[] = [];

  has(name: string, source?: boolean): boolean {
    return this.list.some((v) => v.name === name && (source === undefined || source === (v.mode === 'source')));
  }

  add(name: string, mode: string, types: TypeLookup): Variable {
    this.list = this.list.filter((v) => !(v.name === name && v.mode === mode));
    const v = new Variable(name, mode, types);
    this.list.push(v);
    return v;
  }

  addCopy(name: string, v: Variable): void {
    this.list.push(v.copy(name));
  }

  get(name: string, source: boolean): Variable | undefined {
    return this.list.find((v) => v.name === name && source === (v.mode === 'source'));
  }

  copy(): VariableSet {
    const set = new VariableSet();
    set.list = this.list.map((v) => v.copy());
    return set;
  }

  summary(): string {
    return this.list.map((v) => v.summary()).join(', ');
  }

  matches(other: VariableSet): boolean {
    return this.list.length === other.list.length && this.list.every((v, i) => v.matches(other.list[i]!));
  }
}
