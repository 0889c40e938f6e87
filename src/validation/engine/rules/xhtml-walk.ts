/**
 * One walk over a narrative's tree for all the checks of its content: XhtmlValidator's (xhtml-content.ts),
 * txt-1 (narrative-txt1.ts) and the hyperlink and image checks (xhtml-links.ts). Each node is visited once;
 * what each check finds is held and reported check by check, as the reference runs them (xhtml-findings.ts).
 */
import { tagOf } from '../../xhtml-names.js';
import type { XElement } from '../../xhtml-tree.js';
import type { RuleContext } from '../context.js';
import { checkContentComment, checkContentElement, checkMixedLangs, IdTally } from './xhtml-content.js';
import { HeldFindings } from './xhtml-findings.js';
import { LinkChecks } from './xhtml-links.js';
import { txt1AllowsComment, txt1AllowsElement } from './narrative-txt1.js';

export interface NarrativeFindings {
  found: HeldFindings;
  /** txt-1 (htmlChecks()) holds: every element, attribute and comment is one it allows. */
  txt1: boolean;
}

/** Walks the tree of the narrative `div` (read into `root`), whose findings are at `at`. */
export function walkNarrative(div: string, root: XElement, at: string, ctx: RuleContext): NarrativeFindings {
  const walk = new Walk(new LinkChecks(div, root, at, ctx));
  walk.visit(root, root, 0, false);
  checkMixedLangs(root.children, walk.found);
  walk.ids.report(walk.found);
  return { found: walk.found, txt1: walk.txt1 };
}

class Walk {
  readonly found = new HeldFindings();
  readonly ids = new IdTally();
  txt1 = true;
  /** The path from the root to the element visited, as the reference writes it (the root is always 'div'). */
  private readonly names = ['div'];

  constructor(private readonly links: LinkChecks) {}

  /**
   * `el` at `depth` below the root (whose own content checks the caller makes), under `parent`; `inPara`: below
   * a `p` that is itself below the root.
   */
  visit(el: XElement, parent: XElement, depth: number, inPara: boolean): void {
    // The element's name is looked up once, for the tag the checks' tables are indexed by.
    const tag = tagOf(el.name);
    if (depth > 0) {
      checkContentElement(el, tag, parent, this.names, inPara, this.found);
      this.ids.note(el);
    }
    if (this.txt1 && !txt1AllowsElement(el, tag, depth)) this.txt1 = false;
    this.links.element(el, this.names, depth, this.found);
    const childInPara = depth > 0 && (inPara || el.name === 'p');
    for (const c of el.children) {
      if (c.kind === 'element') {
        this.names.push(c.name);
        this.visit(c, el, depth + 1, childInPara);
        this.names.pop();
      } else if (c.kind === 'comment') {
        checkContentComment(c.text, this.found);
        if (this.txt1 && !txt1AllowsComment(c.text)) this.txt1 = false;
      }
    }
  }
}
