/**
 * Measure rules on CQL criteria: a stratifier's criteria must name an expression that the Measure's
 * library defines. Definitions are read from the library's ELM (XML or JSON) when it carries one, else
 * from its CQL source, as the Java validator reads the compiled ELM.
 */
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;

const CQL_LANGUAGES = new Set(['text/cql', 'text/cql.identifier', 'text/cql-identifier']);


/** A library the Measure uses: its name and the names its statements define (undefined: no readable logic). */
interface LogicLibrary {
  url: string;
  name: string | undefined;
  definitions: Set<string> | undefined;
}

export function checkMeasureCriteria(measure: Obj, path: string, lookup: (url: string) => Obj | undefined, report: Report): void {
  const libraries = (Array.isArray(measure.library) ? measure.library : [])
    .filter((u): u is string => typeof u === 'string')
    .flatMap((url): LogicLibrary[] => {
      const lib = lookup(url);
      return lib && lib.resourceType === 'Library' ? [{ url, name: typeof lib.name === 'string' ? lib.name : undefined, definitions: definedNames(lib) }] : [];
    });
  if (libraries.length === 0) return;
  list(measure.group).forEach((g, i) => {
    list(g.stratifier).forEach((st, j) => {
      const spath = `${path}.group[${i}].stratifier[${j}]`;
      checkCriteria(st.criteria, `${spath}.criteria`, libraries, report);
      list(st.component).forEach((c, k) => checkCriteria(c.criteria, `${spath}.component[${k}].criteria`, libraries, report));
    });
  });
}

function checkCriteria(criteria: unknown, path: string, libraries: LogicLibrary[], report: Report): void {
  if (!criteria || typeof criteria !== 'object') return;
  const { language, expression } = criteria as { language?: unknown; expression?: unknown };
  if (typeof language !== 'string' || !CQL_LANGUAGES.has(language) || typeof expression !== 'string') return;
  const dot = expression.indexOf('.');
  let library: LogicLibrary | undefined;
  let name = expression;
  if (dot > 0) {
    const prefix = expression.slice(0, dot);
    library = libraries.find((l) => l.name === prefix);
    if (library) name = expression.slice(dot + 1);
  } else if (libraries.length === 1) library = libraries[0];
  if (!library?.definitions) return;
  const bare = name.replace(/^"(.*)"$/, '$1');
  if (!library.definitions.has(bare)) {
    report('MEASURE_M_CRITERIA_CQL_NOT_FOUND', 'error', 'invalid', path, `The criteria names the CQL expression '${clip(bare)}', but the library ${clip(library.url)} does not define it`);
  }
}

/** Names defined by the library's statements, from its ELM when present, else from its CQL text. */
export function definedNames(library: Obj): Set<string> | undefined {
  const contents = list(library.content);
  const decoded = (type: string): string | undefined => {
    const c = contents.find((x) => x.contentType === type && typeof x.data === 'string');
    if (!c) return undefined;
    try {
      return Buffer.from(c.data as string, 'base64').toString('utf8');
    } catch {
      return undefined;
    }
  };
  const elmXml = decoded('application/elm+xml');
  if (elmXml !== undefined) return elmXmlStatements(elmXml);
  const elmJson = decoded('application/elm+json');
  if (elmJson !== undefined) return elmJsonStatements(elmJson);
  const cql = decoded('text/cql');
  return cql === undefined ? undefined : cqlDefinitions(cql);
}

function elmXmlStatements(xml: string): Set<string> | undefined {
  const block = /<(?:\w+:)?statements\b[^>]*>([\s\S]*?)<\/(?:\w+:)?statements>/.exec(xml);
  if (!block) return /<(?:\w+:)?library\b/.test(xml) ? new Set() : undefined;
  const names = new Set<string>();
  for (const m of (block[1] ?? '').matchAll(/<(?:\w+:)?def\b[^>]*?\bname\s*=\s*"([^"]*)"/g)) names.add(unescapeXml(m[1] ?? ''));
  return names;
}

function elmJsonStatements(text: string): Set<string> | undefined {
  try {
    const elm = JSON.parse(text) as { library?: { statements?: { def?: { name?: unknown }[] } } };
    const defs = elm.library?.statements?.def;
    if (!elm.library) return undefined;
    return new Set((defs ?? []).map((d) => d.name).filter((n): n is string => typeof n === 'string'));
  } catch {
    return undefined;
  }
}

/** `define [public|private] ["Name"|Name]:` and `define [fluent] function ["Name"|Name](`. */
function cqlDefinitions(cql: string): Set<string> {
  const names = new Set<string>();
  const source = cql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const pattern = /\bdefine\s+(?:(?:public|private)\s+)?(?:fluent\s+)?(?:function\s+)?(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w]*))/g;
  for (const m of source.matchAll(pattern)) names.add(m[1] ?? m[2] ?? '');
  return names;
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
