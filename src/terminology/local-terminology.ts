import type { CodeSystem, ValueSet, ValueSetComposeInclude, ValueSetComposeIncludeFilter } from 'fhir/r4';
import type { ConformanceResolver } from '../packages/types.js';
import { CodeSystemIndex, indexedPart } from './code-system-index.js';
import {
  type CodeSet,
  DifferenceSet,
  EnumeratedSet,
  type ExpandedCode,
  IntersectionSet,
  OpenSystemSet,
  UnionSet,
  UnknownSet,
  WithShippedExpansion,
} from './code-sets.js';
import { EXTERNAL_SYSTEMS, systemName } from './external-systems.js';
import { codeShape, syntacticSyntax } from './system-syntax.js';
import { eclProblem } from './ecl.js';
import { applyFilter } from './filters.js';
import { LOINC_SYSTEM } from '../systems/index.js';
import { codeStamp, type DerivedCache } from '../packages/derived-cache.js';
import { fromValueSetForm, toValueSetForm, VALUE_SET_FORM_MODULE } from './value-set-form.js';

/** How the reason of a value set import cycle begins (the reference's VALUESET_CIRCULAR_REFERENCE). */
export const CIRCULARITY = 'Found a circularity pointing to';

/** How the reason of an import that cannot be found begins (the reference's Unable_to_resolve_value_Set_). */
export const UNRESOLVED_VALUE_SET = 'A definition for the value Set';

/** How the problem of a value set import cycle begins. */
const CIRCULAR_IMPORT = 'circular import of';

/** The modules that compile value sets and write their cached form: the stamp of the value-set cache (codeStamp). */
export const VALUE_SET_COMPILER_MODULES: readonly string[] = [import.meta.url, VALUE_SET_FORM_MODULE];

let compilerStamp: string | undefined;

/** Code systems are cached beside the value sets, under this prefix (canonicals hold no spaces). */
const CODE_SYSTEM_KEY = 'code-system ';

/** The extension by which a value set requires a code system supplement. */
const VALUESET_SUPPLEMENT = 'http://hl7.org/fhir/StructureDefinition/valueset-supplement';

/** A value set compiled once into a membership test. */
export interface CompiledValueSet {
  url: string;
  /** Title (or name) for messages. */
  title: string;
  codes: CodeSet;
  /** Parts of the definition that could not be honoured locally (unknown imports, bad filters, ...). */
  problems: string[];
  /**
   * Code system supplements the value set requires (the valueset-supplement extension) that are not
   * loaded: without them its codes cannot be judged as the value set means them.
   */
  missingSupplements?: string[];
  /**
   * Filters that make the value set unusable, as a terminology server reports them when asked to expand
   * it: ECL that does not parse (INVALID_ECL), a regex that does not compile (INVALID_REGEX), a filter a
   * loaded code system does not support (FILTER_NOT_UNDERSTOOD).
   */
  filterErrors?: { rule: string; message: string }[];
  /** `compose.inactive = false`: inactive codes of the included code systems are not members. */
  activeOnly?: boolean;
}

/** The result of a local expansion. */
export interface LocalExpansion {
  url: string;
  /** Every member; only present when the whole value set is known offline. */
  contains?: ExpandedCode[];
  problems: string[];
}

/**
 * Terminology answered from the conformance resources alone: code system indexes and compiled value
 * sets, each built on first use and kept for the life of the instance (compile once, test many).
 */
export class LocalTerminology {
  private readonly codeSystems = new Map<string, CodeSystemIndex | null>();
  private readonly valueSets = new Map<string, CompiledValueSet | null>();
  private readonly givenValueSets = new WeakMap<ValueSet, CompiledValueSet>();
  private implicitValueSets: Map<string, string> | undefined;

  constructor(readonly resolver: ConformanceResolver) {}

  /** The on-disk cache of compiled value sets, when the resolver has one (the package store does): opened on first use. */
  private disk: DerivedCache | null | undefined;

  private get diskCache(): DerivedCache | undefined {
    if (this.disk === undefined) {
      try {
        const source = this.resolver as { derivedCache?: (kind: string, code: string) => DerivedCache | undefined };
        this.disk = typeof source.derivedCache === 'function' ? (source.derivedCache('value-sets', (compilerStamp ??= codeStamp(VALUE_SET_COMPILER_MODULES))) ?? null) : null;
      } catch {
        this.disk = null;
      }
    }
    return this.disk ?? undefined;
  }

  /** The indexed local code system for a canonical URL, or undefined when none is loaded. */
  codeSystem(canonical: string): CodeSystemIndex | undefined {
    let index = this.codeSystems.get(canonical);
    if (index === undefined) {
      index = this.storedCodeSystem(canonical);
      if (index === undefined) {
        const cs = this.resolver.codeSystem(canonical);
        index = cs && cs.content !== 'supplement' ? new CodeSystemIndex(cs) : null;
        // What the index is built from, for a later process (most of a large code system is definitions).
        if (cs && index) this.diskCache?.set(`${CODE_SYSTEM_KEY}${canonical}`, indexedPart(cs));
      }
      this.codeSystems.set(canonical, index);
    }
    return index ?? undefined;
  }

  /** The index of a code system from the part of it an earlier process stored; undefined on a miss or an unreadable entry. */
  private storedCodeSystem(canonical: string): CodeSystemIndex | undefined {
    const stored = this.diskCache?.get(`${CODE_SYSTEM_KEY}${canonical}`) as CodeSystem | undefined;
    if (!stored || typeof stored !== 'object' || stored.resourceType !== 'CodeSystem' || stored.content === 'supplement') return undefined;
    try {
      return new CodeSystemIndex(stored);
    } catch {
      return undefined;
    }
  }

  /** The compiled value set for a canonical URL (`url` or `url|version`), or undefined when unknown. */
  valueSet(canonical: string): CompiledValueSet | undefined {
    // The compiled one first: every bound value asks, and compile() would be handed a new import stack each time.
    const cached = this.valueSets.get(canonical);
    if (cached !== undefined) return cached ?? undefined;
    return this.compile(canonical, []) ?? undefined;
  }

  /**
   * Compiles a value set handed over as a resource rather than a canonical URL: one contained in the
   * profile that binds it (`#id`). Compiled once per resource object.
   */
  valueSetResource(vs: ValueSet): CompiledValueSet {
    let compiled = this.givenValueSets.get(vs);
    if (!compiled) {
      compiled = this.compileResource(vs, [vs.url ?? `#${vs.id ?? ''}`]);
      this.givenValueSets.set(vs, compiled);
    }
    return compiled;
  }

  /** Expands a value set locally; `contains` is omitted when some part needs a terminology server. */
  expand(canonical: string): LocalExpansion | undefined {
    const vs = this.valueSet(canonical);
    if (!vs) return undefined;
    const contains = vs.codes.enumerate();
    return contains ? { url: vs.url, contains, problems: vs.problems } : { url: vs.url, problems: vs.problems };
  }

  private compile(canonical: string, stack: string[]): CompiledValueSet | null {
    const cached = this.valueSets.get(canonical);
    if (cached !== undefined) return cached;
    // Compiled by an earlier process from the same packages with the same code: read, not compiled again.
    const stored = fromValueSetForm(this.diskCache?.get(canonical));
    if (stored) {
      this.valueSets.set(canonical, stored);
      return stored;
    }
    const vs = this.resolver.valueSet(canonical);
    let compiled: CompiledValueSet | null;
    if (vs) {
      compiled = this.compileResource(vs, [...stack, canonical]);
    } else {
      const implicit = this.implicitSystem(canonical);
      compiled = implicit === undefined ? null : { url: canonical, title: canonical, codes: this.wholeSystem(implicit), problems: [] };
    }
    this.valueSets.set(canonical, compiled);
    // A value set in an import cycle compiles to what the first one asked for made of the cycle (the pathway
    // in the reason), so it is kept out of the cache that any later process may read first.
    if (compiled && !compiled.problems.some((p) => p.startsWith(CIRCULAR_IMPORT))) {
      const form = toValueSetForm(compiled);
      if (form !== undefined) this.diskCache?.set(canonical, form);
    }
    return compiled;
  }

  private compileResource(vs: ValueSet, stack: string[]): CompiledValueSet {
    const compiled = this.compileDefinition(vs, stack);
    const missing = (vs.extension ?? []).flatMap((e) => {
      const wanted = e.url === VALUESET_SUPPLEMENT ? (e.valueCanonical ?? e.valueUri) : undefined;
      return wanted && !this.resolver.codeSystem(wanted) ? [wanted] : [];
    });
    if (missing.length > 0) compiled.missingSupplements = missing;
    return compiled;
  }

  private compileDefinition(vs: ValueSet, stack: string[]): CompiledValueSet {
    const problems: string[] = [];
    const errors: FilterError[] = [];
    const url = vs.url ?? stack[stack.length - 1] ?? '';
    const title = vs.title ?? vs.name ?? url;
    const shipped = vs.expansion?.contains ? this.shippedExpansion(vs) : undefined;
    const compose = vs.compose;
    if (!compose) {
      return { url, title, codes: shipped ?? new UnknownSet(`value set ${url} has neither a definition nor an expansion`), problems };
    }
    const include = new UnionSet((compose.include ?? []).map((inc) => this.compileInclude(inc, stack, problems, errors)));
    const excludes = (compose.exclude ?? []).map((inc) => this.compileInclude(inc, stack, problems, errors));
    const definition = excludes.length > 0 ? new DifferenceSet(include, new UnionSet(excludes)) : include;
    const compiled: CompiledValueSet = { url, title, codes: shipped ? new WithShippedExpansion(definition, shipped) : definition, problems };
    if (errors.length > 0) compiled.filterErrors = errors;
    if (compose.inactive === false) compiled.activeOnly = true;
    return compiled;
  }

  private compileInclude(inc: ValueSetComposeInclude, stack: string[], problems: string[], errors: FilterError[]): CodeSet {
    const parts: CodeSet[] = [];
    if (inc.system) {
      errors.push(...filterErrors(inc.system, inc.filter ?? []));
      parts.push(this.systemPart(inc, inc.system, problems, errors));
    }
    for (const ref of inc.valueSet ?? []) {
      if (stack.includes(ref)) {
        problems.push(`${CIRCULAR_IMPORT} ${ref}`);
        // Worded as the reference's VALUESET_CIRCULAR_REFERENCE, which binding checks report from this reason.
        parts.push(new UnknownSet(`${CIRCULARITY} ${ref} processing ValueSet with pathway [${stack.join(', ')}]`));
        continue;
      }
      const imported = this.compile(ref, stack);
      if (!imported) problems.push(`imported value set ${ref} is not available`);
      else {
        problems.push(...imported.problems);
        errors.push(...(imported.filterErrors ?? []));
      }
      // Worded as the reference's Unable_to_resolve_value_Set_, which binding checks report from this reason.
      parts.push(imported ? imported.codes : new UnknownSet(`${UNRESOLVED_VALUE_SET} '${ref}' could not be found`));
    }
    if (parts.length === 0) return new UnknownSet('an include names neither a system nor a value set');
    return parts.length === 1 ? (parts[0] as CodeSet) : new IntersectionSet(parts);
  }

  private systemPart(inc: ValueSetComposeInclude, system: string, problems: string[], errors: FilterError[]): CodeSet {
    const cs = this.codeSystem(system);
    if (inc.concept) {
      // An enumerated list is decidable even for SNOMED CT: membership needs only the list.
      const set = new EnumeratedSet(system, cs?.caseSensitive ?? true);
      for (const c of inc.concept) {
        const local = cs?.lookup(c.code);
        const displays = [c.display, ...(c.designation ?? []).map((d) => d.value), ...(local?.displays ?? [])];
        set.add(c.code, displays.filter((d): d is string => typeof d === 'string'));
      }
      return set;
    }
    const filters = inc.filter ?? [];
    const syntax = syntacticSyntax(system, filters.length === 0);
    if (syntax && !cs?.hasContent) return new OpenSystemSet(system, `${syntax.label} filters cannot be evaluated offline`, syntax);
    if (!cs || !cs.hasContent) return new OpenSystemSet(system, noContentReason(system, cs), codeShape(system, filters));
    if (filters.length === 0) return this.wholeSystem(system);
    let selected: Set<string> | undefined;
    for (const filter of filters) {
      const result = applyFilter(cs, filter);
      if ('unsupported' in result) {
        problems.push(`${system}: ${result.unsupported}`);
        if (filter.op !== 'regex') errors.push({ rule: 'FILTER_NOT_UNDERSTOOD', message: `The filter "${String(filter.property)} ${String(filter.op)} ${String(filter.value)}" is not understood or supported` });
        return new OpenSystemSet(system, `the value set uses ${result.unsupported}, which is not evaluated offline`);
      }
      selected = selected ? new Set([...selected].filter((c) => result.codes.has(c))) : result.codes;
    }
    return enumerate(cs, selected ?? new Set());
  }

  private wholeSystem(system: string): CodeSet {
    const cs = this.codeSystem(system);
    const syntax = syntacticSyntax(system, true);
    if (syntax && !cs?.hasContent) return new OpenSystemSet(system, '', syntax);
    if (!cs || !cs.hasContent) return new OpenSystemSet(system, noContentReason(system, cs), codeShape(system, []));
    return enumerate(cs, new Set(cs.concepts.keys()));
  }

  private shippedExpansion(vs: ValueSet): CodeSet {
    const bySystem = new Map<string, EnumeratedSet>();
    const stack = [...(vs.expansion?.contains ?? [])];
    while (stack.length > 0) {
      const c = stack.pop();
      if (!c) continue;
      stack.push(...(c.contains ?? []));
      if (!c.system || !c.code) continue;
      let set = bySystem.get(c.system);
      if (!set) bySystem.set(c.system, (set = new EnumeratedSet(c.system, this.codeSystem(c.system)?.caseSensitive ?? true)));
      const displays = [c.display, ...(c.designation ?? []).map((d) => d.value)];
      set.add(c.code, displays.filter((d): d is string => typeof d === 'string' && d !== ''));
    }
    return new UnionSet([...bySystem.values()]);
  }

  /** The code system behind an implicit value set URL (`CodeSystem.valueSet`, `...?fhir_vs`). */
  private implicitSystem(canonical: string): string | undefined {
    const url = canonical.split('|')[0] ?? canonical;
    const q = url.indexOf('?fhir_vs');
    if (q > 0) return url.slice(0, q);
    if (url === `${LOINC_SYSTEM}/vs`) return LOINC_SYSTEM;
    if (!this.implicitValueSets) {
      this.implicitValueSets = new Map();
      for (const cs of this.resolver.all<CodeSystem>('CodeSystem')) {
        if (cs.valueSet && cs.url) this.implicitValueSets.set(cs.valueSet, cs.url);
      }
    }
    return this.implicitValueSets.get(url);
  }
}

type FilterError = { rule: string; message: string };

/** Filters no terminology service can evaluate, whatever the code system's content: bad ECL, bad regexes. */
function filterErrors(system: string, filters: ValueSetComposeIncludeFilter[]): FilterError[] {
  const out: FilterError[] = [];
  for (const f of filters) {
    if (typeof f?.value !== 'string') continue;
    if (system === 'http://snomed.info/sct' && f.property === 'constraint') {
      const why = eclProblem(f.value);
      if (why) out.push({ rule: 'INVALID_ECL', message: `Invalid ECL expression: '${f.value}': (${why})` });
    }
    if (f.op === 'regex') {
      try {
        new RegExp(f.value);
      } catch (e) {
        out.push({ rule: 'INVALID_REGEX', message: `The regex '${f.value}' is not valid: ${e instanceof Error ? e.message : 'invalid'}` });
      }
    }
  }
  return out;
}

function enumerate(cs: CodeSystemIndex, codes: Set<string>): EnumeratedSet {
  const partial = cs.isComplete ? undefined : `CodeSystem ${cs.url} is only a ${cs.content} locally`;
  const set = new EnumeratedSet(cs.url, cs.caseSensitive, partial);
  for (const code of codes) set.add(code, cs.concepts.get(code)?.displays ?? []);
  return set;
}

function noContentReason(system: string, cs: CodeSystemIndex | undefined): string {
  if (EXTERNAL_SYSTEMS[system]) return `${systemName(system)} content is not available offline`;
  if (cs) return `CodeSystem ${system} has no local content (content = ${cs.content})`;
  return `CodeSystem ${system} is not known locally`;
}
