/**
 * FHIRPath extension contexts (StructureDefinition.context.type = fhirpath): the context is every element
 * the expression selects when evaluated on the resource (InstanceValidator.checkExtensionContext:
 * `fpe.evaluate(resource, expression).contains(container)`), so the element holding the extension must
 * be among the results.
 */
// fhirpath.js is loaded on the first FHIRPath context met, not with the engine (see fhirpath-js.ts).
import { fhirpathJs, r4Model } from '../../../fhirpath/fhirpath-js.js';

type Select = (resource: unknown, env: Record<string, unknown>) => unknown[];

/** Compiled expressions by text (a definition's few contexts are met again and again). */
const compiled = new Map<string, Select | null>();
const MAX_CACHED = 2_000;

function compile(expression: string): Select | null {
  const hit = compiled.get(expression);
  if (hit !== undefined) return hit;
  let fn: Select | null;
  try {
    fn = fhirpathJs().compile(expression, r4Model() as never, { resolveInternalTypes: false }) as unknown as Select;
  } catch {
    fn = null;
  }
  if (compiled.size < MAX_CACHED) compiled.set(expression, fn);
  return fn;
}

/** A result node of fhirpath.js: its JSON value and, for a primitive, the `_x` companion. */
interface ResultNode {
  data?: unknown;
  _data?: unknown;
}

/**
 * True when `expression`, evaluated on `resource`, selects the element whose JSON object (for a
 * primitive: its `_x` companion) is `host`; undefined when the expression cannot be evaluated.
 */
export function fhirPathSelects(expression: string, resource: unknown, root: unknown, host: unknown): boolean | undefined {
  const fn = compile(expression);
  if (!fn) return undefined;
  let results: unknown[];
  try {
    results = fn(resource, { resource, rootResource: root });
  } catch {
    return undefined;
  }
  for (const r of results) {
    if (r === host) return true;
    if (r !== null && typeof r === 'object') {
      const n = r as ResultNode;
      if (n.data === host || (n._data !== undefined && n._data === host)) return true;
    }
  }
  return false;
}
