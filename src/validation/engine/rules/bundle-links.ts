/**
 * Bundle.link (BundleValidator.validateLink): paging relations (first, previous, next, last) belong to
 * search sets and histories only; `self` (and, in those, each paging relation) occurs once; a
 * document's stylesheet is the HL7 one or an entry of the document.
 */
import { clip } from '../../primitives.js';
import { isAbsoluteUrl, isLinkableUrl } from '../../reference-syntax.js';
import type { RuleContext } from '../context.js';

const PAGING = new Set(['first', 'previous', 'next', 'last']);
const HL7_STYLESHEET = 'https://hl7.org/fhir/fhir.css';
/** Bundle types whose links are checked, and how (other types are unknown: their type is reported elsewhere). */
const NON_SEARCH = new Set(['document', 'message', 'collection', 'subscription-notification', 'transaction', 'transaction-response', 'batch', 'batch-response']);

interface Link {
  relation: unknown;
  url: unknown;
}

export function checkBundleLinks(bundle: Record<string, unknown>, path: string, ctx: RuleContext): void {
  const links = bundle.link;
  if (!Array.isArray(links) || links.length === 0) return;
  const type = typeof bundle.type === 'string' ? bundle.type : '';
  const isSearch = type === 'searchset' || type === 'history';
  if (!isSearch && !NON_SEARCH.has(type)) return;
  const list = links.map((l) => (l && typeof l === 'object' ? (l as Link) : { relation: undefined, url: undefined }));
  list.forEach((link, i) => {
    const rel = typeof link.relation === 'string' ? link.relation : undefined;
    const at = `${path}.link[${i}]`;
    // Reported once, at the second and later links of a relation.
    const repeated = rel !== undefined && list.slice(0, i).some((l) => l.relation === rel);
    if (isSearch) {
      if (rel !== undefined && (PAGING.has(rel) || rel === 'self') && repeated) ctx.report('BUNDLE_LINK_SEARCH_NO_DUPLICATES', 'error', 'invalid', at, `The link relationship type '${clip(rel)}' can only occur once`);
      return;
    }
    if (rel === undefined) return;
    if (PAGING.has(rel)) ctx.report('BUNDLE_LINK_SEARCH_PROHIBITED', 'error', 'invalid', `${at}.relation`, `The link relationship type '${clip(rel)}' used in search sets is prohibited in this context`);
    if (rel === 'self' && repeated) ctx.report('BUNDLE_LINK_SEARCH_NO_DUPLICATES', 'error', 'invalid', `${at}.relation`, `The link relationship type '${clip(rel)}' can only occur once`);
    if (type === 'document' && rel === 'stylesheet' && typeof link.url === 'string') checkStylesheet(bundle, link.url, `${at}.url`, ctx);
  });
}

/** A stylesheet is the HL7 one, or an entry of the document named by Type/id. */
function checkStylesheet(bundle: Record<string, unknown>, url: string, at: string, ctx: RuleContext): void {
  if (isAbsoluteUrl(url)) {
    if (url === HL7_STYLESHEET) return;
    ctx.report('BUNDLE_LINK_STYELSHEET_EXTERNAL', 'warning', 'business-rule', at, `External Stylesheets other than ${HL7_STYLESHEET} SHOULD not be used`);
    if (url.startsWith('http://')) ctx.report('BUNDLE_LINK_STYELSHEET_INSECURE', 'warning', 'business-rule', at, 'The stylesheet reference is not secure');
    if (!isLinkableUrl(url)) ctx.report('BUNDLE_LINK_STYELSHEET_LINKABLE', 'warning', 'business-rule', at, 'The stylesheet reference is not a resolvable link');
    return;
  }
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const found = entries.some((e) => {
    const r = e && typeof e === 'object' ? ((e as { resource?: unknown }).resource as { resourceType?: unknown; id?: unknown } | undefined) : undefined;
    return !!r && typeof r === 'object' && `${String(r.resourceType)}/${String(r.id)}` === url;
  });
  if (!found) ctx.report('BUNDLE_LINK_STYELSHEET_NOT_FOUND', 'error', 'not-found', at, 'The stylesheet reference could not be resolved in this bundle');
}
