/**
 * A relative reference must read `Type/id` or `Type/id/_history/version` with a known type; absolute
 * URLs, URNs, `#` fragments and conditional references (`Type?query`) are judged elsewhere.
 */
export function looksMalformed(ref: string, isResourceType: (type: string) => boolean): boolean {
  if (ref.startsWith('#') || ref.includes('?') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref)) return false;
  const m = /^([^/]+)\/([^/]+)(?:\/_history\/([^/]+))?$/.exec(ref);
  return !m || m[2] === '_history' || !isResourceType(m[1]!);
}
