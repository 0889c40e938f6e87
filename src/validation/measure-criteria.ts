/**
 * Measure authoring rules, as the reference validator's MeasureValidator.validateMeasure has them: the
 * libraries resolve, groups exist and carry codes when there are several, populations and stratifiers
 * carry codes when there are several, and each stratifier's CQL criteria names a statement of the
 * compiled logic (ELM XML) of one of the Measure's libraries. The reference reads only the ELM XML
 * (application/elm+xml), never the CQL source, so a library without it cannot be checked: that is
 * reported, not guessed at.
 */
import { fastXmlParser } from '../format/xml-read.js';
import { clip } from './primitives.js';
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;

const ELM_NAMESPACE = 'urn:hl7-org:elm:r1';

/** The compiled logic of a library: its statement names, or why it cannot be read. */
type Elm = { kind: 'none' } | { kind: 'error'; message: string } | { kind: 'invalid' } | { kind: 'ok'; statements: Set<string> };

/** A library the Measure uses and could be resolved. */
interface LogicLibrary {
  url: string;
  name: string | undefined;
  elm: Elm;
}

export function checkMeasure(measure: Obj, path: string, lookup: (url: string) => Obj | undefined, report: Report): void {
  const libraries: LogicLibrary[] = [];
  for (const ref of Array.isArray(measure.library) ? measure.library : []) {
    if (typeof ref !== 'string' || ref === '') continue;
    const lib = lookup(ref);
    if (!lib || lib.resourceType !== 'Library') {
      report('MEASURE_M_LIB_UNKNOWN', 'information', 'not-found', path, `The Library ${clip(ref)} could not be resolved, so expression validation may not be correct`);
      continue;
    }
    libraries.push({ url: typeof lib.url === 'string' ? lib.url : ref, name: typeof lib.name === 'string' ? lib.name : undefined, elm: readElm(lib) });
  }
  const groups = list(measure.group);
  if (groups.length === 0) {
    report('MEASURE_M_NO_GROUPS', 'warning', 'required', path, 'A measure should contain at least one group');
    return;
  }
  groups.forEach((g, i) => {
    const gpath = `${path}.group[${i}]`;
    if (groups.length > 1 && g.code === undefined) report('MEASURE_M_GROUP_CODE', 'warning', 'required', gpath, 'Groups should have codes when there is more than one group');
    const pops = list(g.population);
    if (pops.length === 0) report('MEASURE_M_GROUP_POP', 'warning', 'required', gpath, 'Measure Groups should have at least one population');
    pops.forEach((p, j) => {
      if (pops.length > 1 && p.code === undefined) {
        report('MEASURE_M_GROUP_POP_NO_CODE', 'warning', 'required', `${gpath}.population[${j}]`, 'A measure group population should have a code when there is more than one population');
      }
    });
    const strats = list(g.stratifier);
    strats.forEach((st, k) => {
      const spath = `${gpath}.stratifier[${k}]`;
      if (strats.length > 1 && st.code === undefined) {
        report('MEASURE_M_GROUP_STRATA_NO_CODE', 'warning', 'required', spath, 'A measure group stratifier should have a code when there is more than one population');
      }
      if (st.criteria && typeof st.criteria === 'object') checkCriteria(st.criteria as Obj, `${spath}.criteria`, libraries, report);
      // The reference looks for the components under the group (where there are none), so it never
      // checks stratifier components; neither do we.
    });
  });
}

function checkCriteria(crit: Obj, path: string, libraries: LogicLibrary[], report: Report): void {
  const language = crit.language;
  if (typeof language !== 'string' || language === '') return; // a missing language is reported elsewhere
  if (language !== 'text/cql' && language !== 'text/cql.identifier') {
    report('MEASURE_M_CRITERIA_UNKNOWN', 'warning', 'required', path, `The expression language ${clip(language)} is not supported, so can't be validated`);
    return;
  }
  let ref = typeof crit.expression === 'string' ? crit.expression : '';
  if (libraries.length === 0) {
    report('MEASURE_M_CRITERIA_CQL_NO_LIB', 'error', 'invalid', path, 'No CQL Libraries found on this Measure');
    return;
  }
  let lib: LogicLibrary | undefined;
  const dot = ref.indexOf('.');
  if (dot >= 0) {
    const name = ref.slice(0, dot);
    ref = ref.slice(dot + 1);
    for (const l of libraries) {
      if (l.name !== name) continue;
      if (lib) report('MEASURE_M_CRITERIA_CQL_LIB_DUPL', 'error', 'invalid', path, `Multiple matching libraries found for the namespace ${clip(name)}`);
      else lib = l;
    }
    if (!lib) report('MEASURE_M_CRITERIA_CQL_LIB_NOT_FOUND', 'error', 'invalid', path, `No matching Library found for the namespace ${clip(name)}`);
  } else if (libraries.length === 1) {
    lib = libraries[0];
  } else {
    report('MEASURE_M_CRITERIA_CQL_ONLY_ONE_LIB', 'error', 'invalid', path, 'If the CQL expression does not include a namespace, there can only be one Library for the measure');
  }
  if (!lib) return;
  const url = clip(lib.url);
  switch (lib.elm.kind) {
    case 'none':
      report('MEASURE_M_CRITERIA_CQL_NO_ELM', 'error', 'invalid', path, `Error in ${url}: No compiled version of CQL found`);
      return;
    case 'error':
      report('MEASURE_M_CRITERIA_CQL_ERROR', 'error', 'invalid', path, `Error in ${url}: '${clip(lib.elm.message)}'`);
      return;
    case 'invalid':
      report('MEASURE_M_CRITERIA_CQL_ELM_NOT_VALID', 'error', 'invalid', path, `= Error in ${url}: Compiled version of CQL is not valid`);
      return;
    case 'ok':
      if (!lib.elm.statements.has(ref)) report('MEASURE_M_CRITERIA_CQL_NOT_FOUND', 'error', 'invalid', path, `The function ${clip(ref)} does not exist in the library ${url}`);
  }
}

/** The library's ELM XML (the last such attachment wins, as in the reference), read for its statement names. */
export function readElm(library: Obj): Elm {
  let elm: Elm = { kind: 'none' };
  for (const c of list(library.content)) {
    if (c.contentType !== 'application/elm+xml') continue;
    const xml = typeof c.data === 'string' ? Buffer.from(c.data, 'base64').toString('utf8') : '';
    elm = parseElm(xml);
  }
  return elm;
}

function parseElm(xml: string): Elm {
  const valid = fastXmlParser().XMLValidator.validate(xml);
  if (valid !== true) return { kind: 'error', message: valid.err.msg };
  let doc: Obj;
  try {
    doc = new (fastXmlParser().XMLParser)({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: false, isArray: (name) => name === 'def' }).parse(xml) as Obj;
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  // The root must be an unprefixed <library> in the ELM namespace.
  const root = doc.library as Obj | undefined;
  if (!root || typeof root !== 'object' || root['@xmlns'] !== ELM_NAMESPACE) return { kind: 'invalid' };
  const statements = new Set<string>();
  const block = root.statements;
  if (block && typeof block === 'object') {
    for (const def of list((block as Obj).def)) if (typeof def['@name'] === 'string') statements.add(def['@name']);
  }
  return { kind: 'ok', statements };
}
