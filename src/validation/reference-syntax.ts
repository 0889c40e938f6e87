/**
 * The shapes of reference URLs, as the HL7 Java validator reads them (Utilities.isAbsoluteUrl,
 * InstanceValidator.tryParse / isSuspiciousReference, BaseValidator.isSearchUrl, the RESTful URL
 * pattern Constants.URI_REGEX_XVER). Each takes the test for a resource type name, so the R4 list of
 * types comes from the loaded definitions.
 */
export type IsResourceType = (type: string) => boolean;

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TOKEN = /^[A-Za-z][A-Za-z0-9_[\]]*$/;

/** Utilities.isAbsoluteUrl: a scheme (http, https, urn or any lower-case token) and a non-empty tail without spaces. */
export function isAbsoluteUrl(ref: string): boolean {
  const colon = ref.indexOf(':');
  if (colon < 0) return false;
  const scheme = ref.slice(0, colon);
  const details = ref.slice(colon + 1);
  const schemeOk = scheme === 'http' || scheme === 'https' || scheme === 'urn' || (TOKEN.test(scheme) && scheme === scheme.toLowerCase());
  return schemeOk && details.length > 0 && !details.includes(' ');
}

/** Utilities.isAbsoluteUrlLinkable: an absolute http, https or ftp URL a browser can follow. */
export function isLinkableUrl(ref: string): boolean {
  const colon = ref.indexOf(':');
  if (colon < 0) return false;
  const scheme = ref.slice(0, colon);
  const details = ref.slice(colon + 1);
  return (scheme === 'http' || scheme === 'https' || scheme === 'ftp') && details.length > 0 && !details.includes(' ');
}

/** A valid resource id (RegexConstants.ID_REGEX). */
export function isValidId(id: string): boolean {
  return ID.test(id);
}

/** The resource type a reference URL names (`Type/id`, `.../Type/id`, `.../Type/id/_history/v`), if it is a known type. */
export function typeOfReference(ref: string, isResourceType: IsResourceType): string | undefined {
  // The segment before the last '/' names the type, or the one two further back before `_history/v`. Read from
  // the end by position: most references are read on every validation, and splitting them all cost a list each.
  const last = ref.lastIndexOf('/');
  if (last < 0) return undefined;
  const before = slashBefore(ref, last);
  let type = ref.slice(before + 1, last);
  if (type === '_history' && before >= 0) {
    const third = slashBefore(ref, before);
    if (third >= 0) type = ref.slice(slashBefore(ref, third) + 1, third);
  }
  return isResourceType(type) ? type : undefined;
}

/** The position of the last '/' before position `at`, or -1. */
function slashBefore(ref: string, at: number): number {
  return at <= 0 ? -1 : ref.lastIndexOf('/', at - 1);
}

/**
 * A relative reference that is neither `Type/id` nor `Type/id/_history/version` with a known type
 * (isSuspiciousReference; the reference validator applies it only when told to assume valid RESTful references).
 */
export function looksMalformed(ref: string, isResourceType: IsResourceType): boolean {
  if (isAbsoluteUrl(ref) || ref.startsWith('#')) return false;
  const parts = ref.split('/');
  if (parts.length === 2 && isResourceType(parts[0]!) && isValidId(parts[1]!)) return false;
  if (parts.length === 4 && isResourceType(parts[0]!) && isValidId(parts[1]!) && parts[2] === '_history' && isValidId(parts[3]!)) return false;
  return true;
}

const PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.:-]*$/;

/** `Type?name=value&...` with a known type and well-formed parameters (BaseValidator.isSearchUrl). */
export function isSearchUrl(ref: string, isResourceType: IsResourceType): boolean {
  const q = ref.indexOf('?');
  if (q < 0 || !isResourceType(ref.slice(0, q))) return false;
  const pairs = ref.slice(q + 1).split(/[&;]/).filter((p) => p.length > 0);
  if (pairs.length === 0) return false;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) return false;
    const name = decode(pair.slice(0, eq));
    const value = decode(pair.slice(eq + 1));
    if (name === undefined || value === undefined || !PARAM_NAME.test(name) || /[=&]/.test(value)) return false;
  }
  return true;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** A fullUrl or reference in the RESTful form `[http(s)://base/]Type/id[/_history/version]`. */
export interface RestfulUrl {
  /** Everything before `Type/` (empty for a relative URL). */
  base: string;
  type: string;
  id: string;
  version: string | undefined;
}

const RESTFUL = /^((?:https?):\/\/(?:[A-Za-z0-9\\.:%$\-_]*\/)*?)?([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/** Parses a RESTful URL (Constants.URI_REGEX_XVER with the R4 resource names); undefined when it is not one. */
export function restfulUrl(url: string, isResourceType: IsResourceType): RestfulUrl | undefined {
  const m = RESTFUL.exec(url);
  if (!m || !isResourceType(m[2]!)) return undefined;
  return { base: m[1] ?? '', type: m[2]!, id: m[3]!, version: m[4] };
}
