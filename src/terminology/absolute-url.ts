/** The reference's test of an absolute URI (Utilities.isAbsoluteUrl): a lower-case token scheme (or http, https, urn) and no spaces. */
export function isAbsoluteUrl(ref: string): boolean {
  const colon = ref.indexOf(':');
  if (colon <= 0) return false;
  const scheme = ref.slice(0, colon);
  const details = ref.slice(colon + 1);
  const schemeOk = ['http', 'https', 'urn'].includes(scheme) || (/^[A-Za-z][A-Za-z0-9_[\]]*$/.test(scheme) && scheme === scheme.toLowerCase());
  return schemeOk && details.length > 0 && !details.includes(' ');
}
