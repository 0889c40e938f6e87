import type { CodeSystem, CodeSystemConcept, CodeSystemConceptProperty } from 'fhir/r4';

/** One concept of a local code system, flattened out of the nested `concept` tree. */
export interface IndexedConcept {
  code: string;
  display?: string;
  /** Display plus every designation value: the texts a Coding.display may carry. */
  displays: string[];
  /** The same texts with their language (the display takes the code system's language). */
  designations: LanguageText[];
  /** Property code -> values rendered as strings (`true`, `42`, a code, ...). */
  properties: Map<string, string[]>;
  parents: Set<string>;
  children: Set<string>;
}

/** A display or designation text and the language it is in, when known. */
export interface LanguageText {
  value: string;
  language?: string;
  /** A designation's own standards status (the structuredefinition-standards-status extension): a display no longer correct. */
  status?: string;
}

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

/** Concept properties whose values name other concepts and so define the hierarchy. */
const PARENT_PROPERTIES = new Set(['parent', 'subsumedBy']);
const CHILD_PROPERTIES = new Set(['child']);

/**
 * A CodeSystem's concepts indexed for lookups and subsumption, built once per code system.
 *
 * Hierarchy comes from nesting of `concept` and from the `parent`/`subsumedBy`/`child` properties.
 */
export class CodeSystemIndex {
  readonly url: string;
  readonly version: string | undefined;
  readonly title: string;
  /**
   * R4 leaves an absent `caseSensitive` unspecified and asks receivers to accept any case,
   * so only an explicit `true` makes lookups case sensitive.
   */
  readonly caseSensitive: boolean;
  /** `complete`, `fragment`, `example`, `not-present` or `supplement`. */
  readonly content: string;
  /** CodeSystem.language: the language of the concepts' displays. */
  readonly language: string | undefined;
  readonly concepts = new Map<string, IndexedConcept>();
  private readonly byLowerCase = new Map<string, IndexedConcept>();

  constructor(cs: CodeSystem) {
    this.url = cs.url ?? '';
    this.version = cs.version;
    this.title = cs.title ?? cs.name ?? this.url;
    this.caseSensitive = cs.caseSensitive === true;
    this.content = cs.content ?? 'complete';
    this.language = cs.language;
    for (const concept of cs.concept ?? []) this.add(concept, undefined);
    for (const concept of this.concepts.values()) {
      for (const parent of concept.parents) this.concepts.get(parent)?.children.add(concept.code);
      for (const child of concept.children) this.concepts.get(child)?.parents.add(concept.code);
    }
  }

  /** True when every concept of the system is present locally, so absence means "not a code". */
  get isComplete(): boolean {
    return this.content === 'complete';
  }

  /** True when at least some concepts are present locally. */
  get hasContent(): boolean {
    return this.concepts.size > 0 && this.content !== 'not-present' && this.content !== 'supplement';
  }

  /** Finds a concept honouring the system's case sensitivity. */
  lookup(code: string): IndexedConcept | undefined {
    const exact = this.concepts.get(code);
    if (exact || this.caseSensitive) return exact;
    return this.byLowerCase.get(code.toLowerCase());
  }

  /** Finds a concept whatever the case, to tell a tester which spelling was meant. */
  lookupIgnoringCase(code: string): IndexedConcept | undefined {
    return this.concepts.get(code) ?? this.byLowerCase.get(code.toLowerCase());
  }

  /** Codes strictly below `code` in the hierarchy. */
  descendants(code: string): Set<string> {
    return this.walk(code, (c) => c.children);
  }

  /** Codes strictly above `code` in the hierarchy. */
  ancestors(code: string): Set<string> {
    return this.walk(code, (c) => c.parents);
  }

  private walk(code: string, next: (c: IndexedConcept) => Set<string>): Set<string> {
    const seen = new Set<string>();
    const start = this.concepts.get(code);
    const stack = start ? [...next(start)] : [];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      if (seen.has(current)) continue;
      seen.add(current);
      const concept = this.concepts.get(current);
      if (concept) stack.push(...next(concept));
    }
    return seen;
  }

  private add(concept: CodeSystemConcept, parent: string | undefined): void {
    const code = concept.code;
    if (typeof code !== 'string' || code === '') return;
    let entry = this.concepts.get(code);
    if (!entry) {
      entry = { code, displays: [], designations: [], properties: new Map(), parents: new Set(), children: new Set() };
      if (concept.display !== undefined) entry.display = concept.display;
      this.concepts.set(code, entry);
      if (!this.byLowerCase.has(code.toLowerCase())) this.byLowerCase.set(code.toLowerCase(), entry);
    }
    if (concept.display) {
      entry.displays.push(concept.display);
      entry.designations.push(languageText(concept.display, this.language));
    }
    for (const d of concept.designation ?? []) {
      if (!d.value) continue;
      entry.displays.push(d.value);
      const text = languageText(d.value, d.language ?? this.language);
      const status = d.extension?.find((e) => e.url === STANDARDS_STATUS)?.valueCode;
      entry.designations.push(status ? { ...text, status } : text);
    }
    for (const p of concept.property ?? []) {
      const value = propertyValue(p);
      if (value === undefined) continue;
      const values = entry.properties.get(p.code) ?? [];
      values.push(value);
      // Filters on Coding properties name the value as system#code.
      if (p.valueCoding?.system) values.push(`${p.valueCoding.system}#${value}`);
      entry.properties.set(p.code, values);
      if (PARENT_PROPERTIES.has(p.code)) entry.parents.add(value);
      if (CHILD_PROPERTIES.has(p.code)) entry.children.add(value);
    }
    if (parent !== undefined) entry.parents.add(parent);
    for (const child of concept.concept ?? []) this.add(child, code);
  }
}

/**
 * The part of a CodeSystem its index is built from (what the constructor and `add` read), for the on-disk
 * cache: a large code system is mostly concept definitions, which the index does not keep.
 */
export function indexedPart(cs: CodeSystem): CodeSystem {
  const part: CodeSystem = { resourceType: 'CodeSystem', status: cs.status, content: cs.content };
  for (const k of ['url', 'version', 'title', 'name', 'caseSensitive', 'language'] as const) if (cs[k] !== undefined) (part as unknown as Record<string, unknown>)[k] = cs[k];
  if (cs.concept) part.concept = cs.concept.map(indexedConcept);
  return part;
}

function indexedConcept(c: CodeSystemConcept): CodeSystemConcept {
  const part: CodeSystemConcept = { code: c.code };
  if (c.display !== undefined) part.display = c.display;
  if (c.designation !== undefined) part.designation = c.designation;
  if (c.property !== undefined) part.property = c.property;
  if (c.concept !== undefined) part.concept = Array.isArray(c.concept) ? c.concept.map(indexedConcept) : c.concept;
  return part;
}

function languageText(value: string, language: string | undefined): LanguageText {
  return language ? { value, language } : { value };
}

/** Renders a concept property's value as the string a ValueSet filter compares with. */
export function propertyValue(p: CodeSystemConceptProperty): string | undefined {
  if (p.valueCode !== undefined) return p.valueCode;
  if (p.valueString !== undefined) return p.valueString;
  if (p.valueBoolean !== undefined) return String(p.valueBoolean);
  if (p.valueInteger !== undefined) return String(p.valueInteger);
  if (p.valueDecimal !== undefined) return String(p.valueDecimal);
  if (p.valueDateTime !== undefined) return p.valueDateTime;
  if (p.valueCoding !== undefined) return p.valueCoding.code;
  return undefined;
}
