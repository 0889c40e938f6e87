import { choiceAsProperty } from '../validation/discriminator.js';

/** A pretty-printed JSON payload, one entry per line, with the FHIRPath location each line starts. */
export interface AnnotatedJson {
  lines: Array<{ text: string; path?: string }>;
  /** FHIRPath location -> index of the line where it starts. */
  index: Map<string, number>;
}

/**
 * Pretty-prints a FHIR JSON value (two-space indent, as JSON.stringify does) and records, for each
 * property and array item, its FHIRPath location (`Bundle.entry[0].resource.subject`), so that an
 * issue's expression can be pointed at the line that holds it. `_x` primitive siblings share their
 * primitive's location.
 */
export function annotateJson(value: unknown): AnnotatedJson {
  const lines: AnnotatedJson['lines'] = [];
  const index = new Map<string, number>();
  const root = isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : '';

  const mark = (path: string) => {
    if (path && !index.has(path)) index.set(path, lines.length);
    return path || undefined;
  };

  const emit = (v: unknown, path: string, indent: string, prefix: string, suffix: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) {
        lines.push({ text: `${indent}${prefix}[]${suffix}`, path: mark(path) });
        return;
      }
      lines.push({ text: `${indent}${prefix}[`, path: mark(path) });
      v.forEach((item, i) => emit(item, `${path}[${i}]`, indent + '  ', '', i < v.length - 1 ? ',' : ''));
      lines.push({ text: `${indent}]${suffix}` });
      return;
    }
    if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0) {
        lines.push({ text: `${indent}${prefix}{}${suffix}`, path: mark(path) });
        return;
      }
      // A resource nested in a Bundle entry or `contained` starts a new FHIRPath root below its slot.
      lines.push({ text: `${indent}${prefix}{`, path: mark(path) });
      keys.forEach((key, i) => {
        const name = key.startsWith('_') ? key.slice(1) : key;
        const childPath = key === 'resourceType' ? path : path ? `${path}.${name}` : name;
        emit(v[key], childPath, indent + '  ', `${JSON.stringify(key)}: `, i < keys.length - 1 ? ',' : '');
      });
      lines.push({ text: `${indent}}${suffix}` });
      return;
    }
    lines.push({ text: `${indent}${prefix}${JSON.stringify(v) ?? 'null'}${suffix}`, path: mark(path) });
  };

  emit(value, root, '', '', '');
  return { lines, index };
}

/**
 * The line an issue's expression points at: the expression itself, or its nearest ancestor that
 * the payload holds (a missing element is reported at its parent). Comments such as
 * `/*Patient/1*\/` and `.ofType(X)` steps are ignored.
 */
export function lineForExpression(annotated: AnnotatedJson, expression: string | undefined): number | undefined {
  if (!expression) return undefined;
  let path = choiceAsProperty(expression.replace(/\/\*.*?\*\//g, ''));
  for (;;) {
    const hit = annotated.index.get(path) ?? annotated.index.get(path.replace(/\[0\]$/, ''));
    if (hit !== undefined) return hit;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut <= 0) return annotated.index.get(path);
    path = path.slice(0, cut);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
