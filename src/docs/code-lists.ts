import type { CodeSystem, CodeSystemConcept, ValueSet } from 'fhir/r4';
import type { ConformanceResolver } from '../packages/types.js';

/** One code a value set allows, with its display. */
export interface AllowedCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** What a value set allows, as far as the loaded packages say, for a reader. */
export interface CodeList {
  /** Canonical URL of the value set (without a version). */
  readonly url: string;
  /** Its name for people: title, else name, else the last part of the URL. */
  readonly title: string;
  /** Id used for the value set's section in the pages (`vs-ADS-CallOrigin`). */
  readonly anchor: string;
  readonly codes: readonly AllowedCode[];
  /** Set when the list is not complete: why (a filter, a code system not loaded, a value set not found, too many codes). */
  readonly note?: string;
}

/** Above this many codes a list is cut, with a note (a page is not a terminology browser). */
export const MAX_LISTED_CODES = 60;

const lastSegment = (url: string) => url.slice(url.lastIndexOf('/') + 1);

function flatten(concepts: readonly CodeSystemConcept[] | undefined): CodeSystemConcept[] {
  return (concepts ?? []).flatMap((c) => [c, ...flatten(c.concept)]);
}

/**
 * The codes of a value set, from the resolver's packages: its expansion when it carries one, else its `compose`
 * includes (listed concepts, or every concept of a complete code system the resolver holds). Filters, other
 * value sets included by reference and code systems not loaded are not expanded: the list says so in `note`.
 */
export function codeListOf(resolver: ConformanceResolver, valueSetUrl: string): CodeList {
  const url = valueSetUrl.split('|')[0]!;
  const vs = resolver.valueSet(valueSetUrl) as ValueSet | undefined;
  const title = vs?.title ?? vs?.name ?? lastSegment(url);
  const anchor = `vs-${lastSegment(url).replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (!vs) return { url, title, anchor, codes: [], note: 'the value set is not in the packages the pages were generated from' };
  const codes: AllowedCode[] = [];
  const gaps: string[] = [];
  if (vs.expansion?.contains?.length) {
    for (const c of vs.expansion.contains) if (c.code) codes.push({ system: c.system ?? '', code: c.code, display: c.display ?? '' });
  } else {
    for (const include of vs.compose?.include ?? []) {
      const system = include.system ?? '';
      const cs = system ? (resolver.codeSystem(system) as CodeSystem | undefined) : undefined;
      const displayOf = (code: string) => flatten(cs?.concept).find((c) => c.code === code)?.display ?? '';
      if (include.valueSet?.length) gaps.push(`also the codes of ${include.valueSet.map(lastSegment).join(', ')}`);
      if (include.filter?.length) {
        gaps.push(`codes of ${system || 'any system'} where ${include.filter.map((f) => `${f.property} ${f.op} ${f.value}`).join(' and ')}`);
        continue;
      }
      if (include.concept?.length) {
        for (const c of include.concept) codes.push({ system, code: c.code, display: c.display ?? displayOf(c.code) });
      } else if (cs?.concept?.length && cs.content !== 'not-present' && cs.content !== 'fragment') {
        for (const c of flatten(cs.concept)) codes.push({ system, code: c.code, display: c.display ?? '' });
      } else if (system) gaps.push(`every code of ${system}${cs ? '' : ' (not loaded here)'}`);
    }
  }
  if (codes.length > MAX_LISTED_CODES) gaps.unshift(`${codes.length} codes, the first ${MAX_LISTED_CODES} listed`);
  return { url, title, anchor, codes: codes.slice(0, MAX_LISTED_CODES), ...(gaps.length ? { note: gaps.join('; ') } : {}) };
}
