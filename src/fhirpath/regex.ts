const compiled = new Map<string, RegExp>();
const MAX_CACHED = 2_000;

/**
 * Compiles a regular expression from a FHIR definition.
 *
 * Definitions are written for Java/XML Schema regexes and often escape characters that need no escape
 * (`\@`, `\'`, `\:`), which JavaScript's unicode mode rejects. Unicode mode is tried first and the
 * permissive mode second, so such patterns work unchanged. `s` (dotAll) follows FHIRPath's single-line rule.
 */
export function definitionRegex(pattern: string, flags = ''): RegExp {
  const cacheKey = `${flags}/${pattern}`;
  let re = compiled.get(cacheKey);
  if (!re) {
    try {
      re = new RegExp(pattern, `${flags}su`);
    } catch {
      re = new RegExp(pattern, `${flags}s`);
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(cacheKey, re);
  }
  return re;
}
