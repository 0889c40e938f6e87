/**
 * Hyperlinks and images in narrative XHTML, as the reference's InstanceValidator checks them
 * (checkReferences, checkImageSources): an empty href; an internal link (`#x`) must match exactly one
 * element id or XHTML id/anchor in the resource (or, when none, in the Bundle holding it); an absolute
 * link's scheme must not be active content (javascript:), must be a linkable one (not urn: or cid:) and
 * is worth a hint when not widely supported; an internal image source must match one id.
 */
import { clip } from '../../primitives.js';
import { allText, hasAttributes, readXhtml, type XElement, type XNode } from '../../xhtml-tree.js';
import type { RuleContext } from '../context.js';
import { CHECK, type HeldFindings } from './xhtml-findings.js';

/**
 * Both checks for one element of the narrative, the root div included (the reference starts them at the root):
 * `names` is the element's path from 'div', joined only for a finding.
 */
export class LinkChecks {
  private readonly targets: TargetIndex;

  constructor(
    div: string,
    root: XElement,
    private readonly at: string,
    ctx: RuleContext,
  ) {
    this.targets = new TargetIndex(ctx.scope?.resource, ctx.root, div, root);
  }

  element(node: XElement, names: string[], depth: number, found: HeldFindings): void {
    if (!hasAttributes(node)) return;
    if (node.name === 'a') {
      const href = node.attrs['href'];
      if (href !== undefined) checkReference(node, href, names, this.targets, found);
    } else if (node.name === 'img') {
      // As the reference does, the path of images below the root restarts at the element path.
      const src = node.attrs['src'];
      if (src !== undefined && src.startsWith('#')) checkImageSource(src, depth === 0 ? 'div' : `${this.at}/img`, this.targets, found);
    }
  }
}

function checkReference(node: XElement, href: string, names: string[], targets: TargetIndex, found: HeldFindings): void {
  if (href === '') {
    found.add(CHECK.links, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_EMPTY_HREF', 'error', 'invalid', `Hyperlink at '${names.join('/')}' for '${linkText(node)}' is empty`);
  } else if (href.startsWith('#') && href !== '#') {
    const count = targets.linkCount(href.slice(1));
    if (count === 0) found.add(CHECK.links, 'Type_Specific_Checks_DT_XHTML_Resolve', 'error', 'invalid', `Hyperlink '${clip(href)}' at '${names.join('/')}' for '${linkText(node)}' does not resolve`);
    else if (count > 1) found.add(CHECK.links, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_MULTIPLE_MATCHES', 'warning', 'invalid', `Hyperlink '${clip(href)}' at '${names.join('/')}' for '${linkText(node)}' resolves to multiple targets (${count})`);
  } else if (isAbsoluteUrl(href)) {
    const scheme = href.slice(0, href.indexOf(':'));
    if (scheme === 'javascript' || scheme === 'vbscript') {
      found.add(CHECK.links, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_ACTIVE_HREF', 'error', 'invalid', `Hyperlink scheme '${scheme}' in '${clip(href)}' at '${names.join('/')}' for '${linkText(node)}' has active content, which is a security risk and not allowed`);
    } else if (scheme === 'urn' || scheme === 'cid') {
      found.add(CHECK.links, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_LITERAL_HREF', 'error', 'invalid', `Hyperlink scheme '${scheme}' in '${clip(href)}' at '${names.join('/')}' for '${linkText(node)}' is not a valid hyperlinkable scheme`);
    } else if (!KNOWN_SCHEMES.has(scheme)) {
      found.add(CHECK.links, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_UNKNOWN_HREF', 'information', 'invalid', `Hyperlink scheme '${clip(scheme)}' in '${clip(href)}' at '${names.join('/')}' for '${linkText(node)}' is not a widely supported protocol and should be checked`);
    }
  }
}

/** The link's text as a finding quotes it, on one line. */
function linkText(node: XElement): string {
  return clip(allText(node).replace(/[\r\n]/g, ' ').trim());
}

const KNOWN_SCHEMES = new Set(['http', 'https', 'tel', 'mailto', 'data']);

/**
 * Whether checkReference finds nothing in this href without looking up a target: not empty, no internal link
 * (a lone '#' is none), and not an absolute URL of a scheme it reports. For the narrative scan (narrative-clean.ts).
 */
export function hrefIsQuiet(href: string): boolean {
  if (href === '') return false;
  if (href.charCodeAt(0) === 0x23 /* # */) return href === '#';
  return !isAbsoluteUrl(href) || KNOWN_SCHEMES.has(href.slice(0, href.indexOf(':')));
}

function checkImageSource(src: string, xpath: string, targets: TargetIndex, found: HeldFindings): void {
  const count = targets.imageCount(src.slice(1));
  if (count === 0) found.add(CHECK.images, 'Type_Specific_Checks_DT_XHTML_Resolve_Img', 'error', 'invalid', `Image source '${clip(src)}' at '${xpath}' does not resolve`);
  else if (count > 1) found.add(CHECK.images, 'TYPE_SPECIFIC_CHECKS_DT_XHTML_MULTIPLE_MATCHES', 'error', 'invalid', `Hyperlink '${clip(src)}' at '${xpath}' resolves to multiple targets (${count})`);
}

/** Utilities.isAbsoluteUrl: a scheme (http, https, urn or a lower-case token) and details without spaces. */
function isAbsoluteUrl(ref: string): boolean {
  const colon = ref.indexOf(':');
  if (colon < 0) return false;
  const scheme = ref.slice(0, colon);
  const details = ref.slice(colon + 1);
  const schemeOk = scheme === 'http' || scheme === 'https' || scheme === 'urn' || (/^[A-Za-z0-9_.+-]+$/.test(scheme) && scheme === scheme.toLowerCase());
  return schemeOk && details.length > 0 && !details.includes(' ');
}

/**
 * How many things in the resource an internal reference names: element and resource ids (contained
 * resources included) and, in every narrative, XHTML ids (and anchor names, for links). Built on the
 * first internal reference of a narrative; the narrative being checked is not read a second time.
 */
class TargetIndex {
  private ids: Map<string, number> | undefined;
  private names: Map<string, number> | undefined;
  private bundle: TargetIndex | undefined;

  constructor(
    private readonly resource: unknown,
    private readonly root: unknown,
    private readonly div: string,
    private readonly tree: XElement,
  ) {}

  linkCount(fragment: string): number {
    this.build();
    const count = (this.ids!.get(fragment) ?? 0) + (this.names!.get(fragment) ?? 0);
    if (count > 0 || !isBundle(this.root) || this.root === this.resource) return count;
    this.bundle ??= new TargetIndex(this.root, undefined, this.div, this.tree);
    return this.bundle.linkCount(fragment);
  }

  imageCount(fragment: string): number {
    this.build();
    return this.ids!.get(fragment) ?? 0;
  }

  private build(): void {
    if (this.ids) return;
    this.ids = new Map();
    this.names = new Map();
    this.visit(this.resource);
  }

  private visit(value: unknown): void {
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    if (typeof obj.id === 'string') add(this.ids!, obj.id);
    for (const key in obj) {
      const v = obj[key];
      if (key === 'div' && typeof v === 'string') {
        const tree = v.includes('id=') || v.includes('name=') ? (v === this.div ? this.tree : readXhtml(v)) : undefined;
        if (tree) this.visitXhtml(tree);
      } else if (v !== null && typeof v === 'object') this.visit(v);
    }
  }

  private visitXhtml(node: XNode): void {
    if (node.kind !== 'element') return;
    if (node.attrs['id'] !== undefined) add(this.ids!, node.attrs['id']);
    if (node.name === 'a' && node.attrs['name'] !== undefined) add(this.names!, node.attrs['name']);
    for (const c of node.children) this.visitXhtml(c);
  }
}

function add(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function isBundle(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { resourceType?: unknown }).resourceType === 'Bundle';
}
