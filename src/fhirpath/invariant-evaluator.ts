import type { InvariantEvaluator, PreparedInvariant, ValidationIssue } from '../plugin-types/index.js';
import { fhirPathBase } from './base-path.js';
import { fhirpathJs, r4Model } from './fhirpath-js.js';
import { functionNames, isKnownFunction } from './expression-check.js';
import {
  type ConformsToHook,
  conformsToFunction,
  type EvaluationScope,
  type FhirPathFunction,
  matchesWhole,
  type MemberOfHook,
  memberOfFunction,
  patchFunctions,
  replaceMatches,
  resolveFunction,
  resolveLocally,
} from './functions.js';
import { NATIVE_INVARIANTS, type NativeInvariant } from './native-invariants.js';
import { CORE_R4_PATCHES, type InvariantPatch, patchedExpression } from './patches.js';
import { compileFast, type FastExpression, NeedsFullEngine } from './fast/compile.js';
import { lenientSystemCasts } from './system-casts.js';

export interface FhirPathInvariantEvaluatorOptions {
  /** Answers `memberOf()`; see `memberOfHook` in src/terminology. Without it memberOf() is empty (unknown). */
  memberOf?: MemberOfHook;
  /** Answers `conformsTo()`; without it core type profiles are checked by type and others assumed true. */
  conformsTo?: ConformsToHook;
  /** Extra functions by name, e.g. the UK identifier checks (`ukFhirPathFunctions`, registered by the validation service). */
  functions?: Record<string, FhirPathFunction>;
  /** Replacements for published expressions; default {@link CORE_R4_PATCHES}. */
  patches?: readonly InvariantPatch[];
  /** Use the hand-written core invariants (ele-1, ext-1, dom-3, cpt-2, qty-3, txt-1, txt-2). Default true. */
  native?: boolean;
  /**
   * Run expressions in the common FHIRPath subset as closures over the JSON (src/fhirpath/fast), with
   * fhirpath.js for everything else and for values the closures cannot judge. Default true; the
   * results are the same either way (test/fast-fhirpath-agreement.test.ts), only the time differs.
   */
  fast?: boolean;
}

/** A compiled FHIRPath expression: the node and the environment variables in, the result collection out. */
export type CompiledFhirPath = (data: unknown, env: Record<string, unknown>) => unknown[];

/** One invariant ready to run: a compiled FHIRPath function, a native check, or the reason it cannot run. */
export type CompiledInvariant = { kind: 'fhirpath'; run: CompiledFhirPath; fast?: FastExpression; expression: string; usesRootResource: boolean; usesScope?: boolean } | { kind: 'native'; run: NativeInvariant } | { kind: 'broken'; error: string; expression: string };

/** The base-independent compilation of an expression for its first key, and for any other key it comes with. */
interface IndependentEntry {
  key: string;
  compiled: CompiledInvariant | null;
  otherKeys?: Map<string, CompiledInvariant | null>;
}

const silentTrace = (): void => {};

/** The answer for an invariant that holds; shared, so a passing check allocates nothing. */
const NO_ISSUES: ValidationIssue[] = Object.freeze([]) as unknown as ValidationIssue[];

/**
 * Evaluates ElementDefinition.constraint expressions with fhirpath.js and its R4 model.
 *
 * Each (key, expression, base type) is compiled once and cached. `%resource` is the nearest resource,
 * `%rootResource` the outermost one (the Bundle), `%context` the node. A constraint holds when the result
 * is a single `true` or a non-empty non-boolean collection (as in the Java validator); an empty result fails.
 * Errors never escape: an expression that cannot be compiled or run yields a warning naming the invariant.
 */
export class FhirPathInvariantEvaluator implements InvariantEvaluator {
  private readonly cache = new Map<string, Map<string, Map<string, CompiledInvariant>>>();
  private compiled = 0;
  /** expression -> its native check or fast closure per key, which serve every base type (null: it needs fhirpath.js). */
  private readonly baseIndependent = new Map<string, IndependentEntry>();
  private readonly functions: Record<string, FhirPathFunction>;
  /** The caller's own functions, which the fast closures may call too (the built-in ones need fhirpath.js's scope). */
  private readonly callerFunctions: Readonly<Record<string, FhirPathFunction>> | undefined;
  private readonly patches: readonly InvariantPatch[];
  private readonly native: boolean;
  private readonly fast: boolean;
  private readonly scope: EvaluationScope = { resource: undefined, root: undefined, notes: [] };
  private readonly env: { resource: unknown; rootResource: unknown; extension?: unknown } = { resource: undefined, rootResource: undefined };
  /** resolve() for the fast closures: the same lookup as the fhirpath.js function, in the current scope. */
  private readonly resolveInScope = (reference: string): unknown => resolveLocally(reference, this.scope.resource, this.scope.root);

  constructor(options: FhirPathInvariantEvaluatorOptions = {}) {
    const scope = (): EvaluationScope => this.scope;
    this.functions = {
      matches: matchesWhole,
      replaceMatches,
      resolve: resolveFunction(scope),
      memberOf: memberOfFunction(options.memberOf, scope),
      conformsTo: conformsToFunction(options.conformsTo, scope),
      ...patchFunctions,
      ...options.functions,
    };
    this.callerFunctions = options.functions;
    this.patches = options.patches ?? CORE_R4_PATCHES;
    this.native = options.native ?? true;
    this.fast = options.fast ?? true;
  }

  /** The custom functions available to expressions (built-ins of fhirpath.js excluded). */
  get customFunctions(): Readonly<Record<string, FhirPathFunction>> {
    return this.functions;
  }

  /** Number of compiled invariants held. */
  get compiledCount(): number {
    return this.compiled;
  }

  /**
   * The invariant as a native check or a fast closure, which read the JSON as it is and so serve every base
   * type; undefined when it needs fhirpath.js. Compiled once per (key, expression) without loading fhirpath.js.
   */
  private compileIndependent(key: string, expression: string): CompiledInvariant | undefined {
    // One map lookup per evaluation: an expression almost always comes with one key.
    const entry = this.baseIndependent.get(expression);
    if (entry !== undefined) {
      if (entry.key === key) return entry.compiled ?? undefined;
      const other = entry.otherKeys?.get(key);
      if (other !== undefined) return other ?? undefined;
    }
    const compiled = this.compileForAllBases(key, expression);
    if (entry === undefined) this.baseIndependent.set(expression, { key, compiled });
    else (entry.otherKeys ??= new Map()).set(key, compiled);
    if (compiled) this.compiled++;
    return compiled ?? undefined;
  }

  private compileForAllBases(key: string, expression: string): CompiledInvariant | null {
    const nativeCheck = this.native ? NATIVE_INVARIANTS.get(`${key}\0${expression}`) : undefined;
    let compiled: CompiledInvariant | null = null;
    if (nativeCheck) compiled = { kind: 'native', run: nativeCheck };
    else if (this.fast) {
      const text = lenientSystemCasts(patchedExpression(key, expression, this.patches));
      let fast: FastExpression | undefined;
      try {
        fast = compileFast(text, this.callerFunctions, this.resolveInScope);
      } catch {
        fast = undefined; // left to fhirpath.js, which reports what is wrong with it
      }
      // fhirpath.js is compiled only if a value ever needs it (see runFhirPath).
      const full: CompiledFhirPath = (data, env) => this.fullEngineRun(key, expression, '')(data, env);
      // resolve() reads the scope, which only the general path below sets.
      if (fast) compiled = { kind: 'fhirpath', run: full, fast, expression: text, usesRootResource: text.includes('%rootResource'), usesScope: /\bresolve\s*\(/.test(text) };
    }
    return compiled;
  }

  /** fhirpath.js's compiled function for a base, or a function that throws why the expression cannot run. */
  private fullEngineRun(key: string, expression: string, base: string): CompiledFhirPath {
    const exact = this.compile(key, expression, base);
    if (exact.kind === 'fhirpath') return exact.run;
    const error = exact.kind === 'broken' ? exact.error : 'not a FHIRPath invariant';
    return () => {
      throw new Error(error);
    };
  }

  /** Compiles (or fetches) an invariant with fhirpath.js, for nodes of the given FHIRPath base type or path. */
  compile(key: string, expression: string, base: string): CompiledInvariant {
    // Nested maps rather than one concatenated key: this runs for every node an invariant applies to.
    let byKey = this.cache.get(expression);
    if (!byKey) this.cache.set(expression, (byKey = new Map()));
    let byBase = byKey.get(key);
    if (!byBase) byKey.set(key, (byBase = new Map()));
    let compiled = byBase.get(base);
    if (compiled) return compiled;
    const nativeCheck = this.native ? NATIVE_INVARIANTS.get(`${key}\0${expression}`) : undefined;
    const text = lenientSystemCasts(patchedExpression(key, expression, this.patches));
    if (nativeCheck) {
      compiled = { kind: 'native', run: nativeCheck };
    } else {
      try {
        const run = fhirpathJs().compile(base ? { base, expression: text } : text, r4Model() as never, {
          userInvocationTable: this.functions as never,
          traceFn: silentTrace,
        }) as unknown as CompiledFhirPath;
        const unknown = functionNames(text).filter((name) => !isKnownFunction(name, this.functions));
        compiled =
          unknown.length > 0
            ? { kind: 'broken', error: `unsupported function(s) ${unknown.map((n) => `${n}()`).join(', ')}`, expression: text }
            : { kind: 'fhirpath', run, expression: text, usesRootResource: text.includes('%rootResource') };
      } catch (e) {
        compiled = { kind: 'broken', error: errorText(e), expression: text };
      }
    }
    byBase.set(base, compiled);
    this.compiled++;
    return compiled;
  }

  /** The fast closure's verdict, or undefined when it hands the value to fhirpath.js. */
  private runFast(fast: FastExpression, args: Parameters<InvariantEvaluator['evaluate']>[0]): boolean | undefined {
    this.env.resource = args.resource;
    this.env.rootResource = args.resource;
    try {
      return toBoolean(fast(args.node, this.env));
    } catch {
      // NeedsFullEngine, or an error the general path reports as "could not be evaluated".
      return undefined;
    } finally {
      this.env.resource = this.env.rootResource = undefined;
    }
  }

  /** The FHIRPath base for fhirpath.js: the node's type, or its definition path for backbone elements. */
  private baseOf(args: Parameters<InvariantEvaluator['evaluate']>[0]): string {
    const resourceType = (args.resource as { resourceType?: unknown } | null)?.resourceType;
    // fhirpath.js fails on a number at the root of a typed evaluation (ctx.getDecimal is set after the
    // root node is built), so numeric primitives are evaluated untyped, as System.Decimal/Integer.
    return typeof args.node === 'number' ? '' : fhirPathBase(args.elementType, args.path, typeof resourceType === 'string' ? resourceType : undefined);
  }

  /** The fast closure when there is one and it can judge the value, else fhirpath.js compiled for this node's base. */
  private runFhirPath(compiled: Extract<CompiledInvariant, { kind: 'fhirpath' }>, args: Parameters<InvariantEvaluator['evaluate']>[0]): unknown[] {
    if (compiled.fast) {
      try {
        return compiled.fast(args.node, this.env);
      } catch (e) {
        if (!(e instanceof NeedsFullEngine)) throw e;
      }
    }
    const run = this.fullEngineRun(args.key, args.expression, this.baseOf(args));
    // An error raised while fhirpath.js evaluates is reported by its message alone (cannotEvaluate): capturing
    // its stack, deep inside the walk, cost about three quarters of such a run.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return run(args.node, this.env);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /**
   * The check of one constraint the validator keeps with its element definition: a native check or a fast
   * closure that needs no scope of the custom functions, which answers `true` exactly when {@link evaluate}
   * would return no issues (anything else, an error included, sends the node to evaluate). Undefined for
   * expressions that need fhirpath.js or the scope.
   */
  prepare(key: string, expression: string): PreparedInvariant | undefined {
    const known = this.compileIndependent(key, expression);
    if (known?.kind === 'native') {
      const run = known.run;
      const check = (node: unknown, resource: unknown): boolean => {
        try {
          return run(node, resource) === true;
        } catch {
          return false;
        }
      };
      return run.holdsWithout ? Object.assign(check, { holdsWithout: run.holdsWithout }) : check;
    }
    if (known?.kind !== 'fhirpath' || !known.fast || known.usesRootResource || known.usesScope) return undefined;
    const fast = known.fast;
    const env = this.env;
    const check = (node: unknown, resource: unknown): boolean => {
      env.resource = env.rootResource = resource;
      let holds: boolean;
      try {
        holds = toBoolean(fast(node, env)) === true;
      } catch {
        holds = false; // NeedsFullEngine, or an error evaluate reports
      }
      env.resource = env.rootResource = undefined;
      return holds;
    };
    // An expression that reads the node only through some of its keys gives on a node without them what it gives on {}.
    return fast.reads && check({}, undefined) ? Object.assign(check, { holdsWithout: fast.reads }) : check;
  }

  evaluate(args: Parameters<InvariantEvaluator['evaluate']>[0]): ValidationIssue[] {
    if (args.extension === undefined) return this.evaluateIn(args);
    // `%extension` for both engines (fhirpath.js reads the same variables object), only during this call: elsewhere
    // the variable stays unknown, as fhirpath.js reports it.
    this.env.extension = args.extension;
    try {
      return this.evaluateIn(args);
    } finally {
      delete this.env.extension;
    }
  }

  private evaluateIn(args: Parameters<InvariantEvaluator['evaluate']>[0]): ValidationIssue[] {
    const known = this.compileIndependent(args.key, args.expression);
    if (known?.kind === 'fhirpath' && known.fast && !known.usesRootResource && !known.usesScope) {
      // The common case, kept lean: a closure that needs none of the custom functions' scope.
      const holds = this.runFast(known.fast, args);
      if (holds === true) return NO_ISSUES;
      if (holds === false) return [failed(args)];
    }
    const compiled = known ?? this.compile(args.key, args.expression, this.baseOf(args));
    if (compiled.kind === 'broken') return [cannotEvaluate(args.key, compiled.error, args.path)];
    let holds: boolean;
    const scope = this.scope;
    scope.notes.length = 0;
    try {
      if (compiled.kind === 'native') {
        const result = compiled.run(args.node, args.resource);
        if (typeof result !== 'boolean') {
          return result.map((f) => ({ rule: args.rule ?? args.key, severity: args.severity, code: 'invariant', message: `Constraint failed: ${args.key}: ${f.message}`, expression: `${args.path}.${f.at}` }));
        }
        holds = result;
      } else {
        scope.resource = args.resource;
        scope.root = args.root;
        // fhirpath.js reads the variables only during this synchronous call, so one object is reused.
        this.env.resource = args.resource;
        this.env.rootResource = compiled.usesRootResource ? containerOf(args.root, args.path, args.resource) : args.resource;
        holds = toBoolean(this.runFhirPath(compiled, args));
      }
    } catch (e) {
      return [cannotEvaluate(args.key, errorText(e), args.path)];
    } finally {
      scope.resource = scope.root = undefined;
      this.env.resource = this.env.rootResource = undefined;
    }
    if (holds && scope.notes.length === 0) return NO_ISSUES;
    const issues: ValidationIssue[] = scope.notes.map((n) => ({ rule: 'ADSFHIR_INVARIANT_NOTE', severity: 'information', code: 'informational', message: `Invariant ${args.key}: ${n}`, expression: args.path }));
    if (!holds) issues.push(failed(args));
    return issues;
  }
}

const SEGMENT = /^([^[\]]+)(?:\[(\d+)\])?$/;

/**
 * `%rootResource` as FHIR defines it: the resource that contains `%resource` when that is a contained
 * resource, else `%resource` itself (a Bundle entry's resource is its own root). Found by walking the
 * instance path from the outermost resource; falls back to `%resource`.
 */
export function containerOf(root: unknown, path: string, resource: unknown): unknown {
  if (resource === root) return root;
  let current: unknown = root;
  let container: unknown = root;
  const segments = path.split('.');
  for (let i = 1; i < segments.length; i++) {
    const m = SEGMENT.exec(segments[i] as string);
    if (!m || typeof current !== 'object' || current === null) return resource;
    const name = m[1] as string;
    current = (current as Record<string, unknown>)[name];
    if (m[2] !== undefined) current = Array.isArray(current) ? current[Number(m[2])] : undefined;
    if (typeof current === 'object' && current !== null && 'resourceType' in current && name !== 'contained') container = current;
    if (current === resource) return container;
  }
  return resource;
}

/** Java validator semantics: a single boolean is its value; empty is false; anything else is true. */
function failed(args: Parameters<InvariantEvaluator['evaluate']>[0]): ValidationIssue {
  return { rule: args.rule ?? args.key, severity: args.severity, code: 'invariant', message: `Constraint failed: ${args.key}: '${args.human}'`, expression: args.path };
}

function toBoolean(result: unknown[]): boolean {
  if (result.length === 1 && typeof result[0] === 'boolean') return result[0];
  return result.length > 0;
}

function cannotEvaluate(key: string, error: string, path: string): ValidationIssue {
  return { rule: 'ADSFHIR_INVARIANT_NOT_EVALUATED', severity: 'warning', code: 'invariant', message: `Invariant ${key} could not be evaluated: ${error}`, expression: path };
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}
