/**
 * Bundle entries (BundleValidator.validateBundle): except in transactions, batches and their responses
 * every entry has a fullUrl; a fullUrl is absolute; one that looks like a RESTful URL ends with the
 * resource's Type/id; a canonical resource whose url is the fullUrl must have the id that URL ends with.
 */
import { clip, readPrimitiveText } from '../../primitives.js';
import { isAbsoluteUrl, restfulUrl } from '../../reference-syntax.js';
import type { RuleContext } from '../context.js';

const FULLURL_OPTIONAL = new Set(['transaction', 'transaction-response', 'batch', 'batch-response']);

export function checkBundleEntries(bundle: Record<string, unknown>, path: string, ctx: RuleContext): void {
  if (!Array.isArray(bundle.entry)) return;
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const isType = (t: string) => !!ctx.registry.resourceType(t);
  // The reference reports every fullUrl finding at one location (Bundle.entry[0], docs/validation.md), where the same
  // finding twice is one issue: two entries with the same faulty fullUrl are one finding, reported at the first.
  const seen = new Set<string>();
  const reportOnce = (rule: string, at: string, message: string): void => {
    if (seen.has(`${rule}|${message}`)) return;
    seen.add(`${rule}|${message}`);
    ctx.report(rule, 'error', 'invalid', at, message);
  };
  bundle.entry.forEach((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) return;
    const entry = e as Record<string, unknown>;
    const at = `${path}.entry[${i}]`;
    const resource = entry.resource && typeof entry.resource === 'object' ? (entry.resource as Record<string, unknown>) : undefined;
    const rtype = typeof resource?.resourceType === 'string' ? resource.resourceType : undefined;
    const id = typeof resource?.id === 'string' ? resource.id : undefined;
    // As the JSON reader reads it: a fullUrl written as an object or array is no fullUrl (the reader reports it).
    const readUrl = readPrimitiveText(entry.fullUrl);
    const fullUrl = readUrl !== '' ? readUrl : undefined;
    if (fullUrl !== undefined) {
      if (!isAbsoluteUrl(fullUrl)) {
        reportOnce('BUNDLE_ENTRY_URL_ABSOLUTE', at, `The fullUrl must be an absolute URL (not '${clip(fullUrl)}')`);
      } else if (rtype !== undefined && restfulUrl(fullUrl, isType)) {
        if (id === undefined) {
          reportOnce('BUNDLE_ENTRY_URL_MATCHES_NO_ID', at, `The fullUrl '${clip(fullUrl)}' looks like a RESTful server URL, but the resource has no id`);
        } else if (!fullUrl.endsWith(`/${rtype}/${id}`)) {
          reportOnce('BUNDLE_ENTRY_URL_MATCHES_TYPE_ID', at, `The fullUrl '${clip(fullUrl)}' looks like a RESTful server URL, so it must end with the correct type and id (/${rtype}/${clip(id)})`);
        }
      }
    }
    const url = typeof resource?.url === 'string' ? resource.url : undefined;
    // v2 and v3 code systems and value sets were published at URLs that are not RESTful.
    if (url !== undefined && url === fullUrl && !(restfulUrl(url, isType) && url.endsWith(`/${id}`)) && !/^http:\/\/hl7\.org\/fhir\/v[23]\//.test(url)) {
      ctx.report('Bundle_BUNDLE_Entry_MismatchIdUrl', 'error', 'invalid', at, `The canonical URL (${clip(url)}) cannot match the fullUrl (${clip(fullUrl)}) unless the resource id (${clip(String(id))}) also matches`);
    }
    if (readUrl === undefined && !FULLURL_OPTIONAL.has(type)) {
      ctx.report('BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED', 'error', 'invalid', at, 'Except for transactions and batches, each entry in a Bundle must have a fullUrl which is the identity of the resource in the entry');
    }
  });
}
