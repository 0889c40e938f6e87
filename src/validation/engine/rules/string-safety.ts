/**
 * Security checks on primitive text, as the reference's InstanceValidator.checkPrimitive makes them:
 * bi-directional control characters left open (CVE-2021-42574, "Trojan source": a warning), and text that
 * looks like embedded HTML tags in a value that is not markdown or XHTML (a hint: rendered without care,
 * it is a risk). Both start with one regex test, so values without such characters cost nothing more.
 */
import { clip } from '../../primitives.js';
import type { RuleContext } from '../context.js';

const LRE = 0x202a, RLE = 0x202b, PDF = 0x202c, LRO = 0x202d, RLO = 0x202e;
const LRI = 0x2066, RLI = 0x2067, FSI = 0x2068, PDI = 0x2069;
const LRM = 0x200e, RLM = 0x200f, ALM = 0x061c, PARA = 0x0a;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const NAMES: Record<number, string> = { [LRE]: 'LRE', [RLE]: 'RLE', [PDF]: 'PDF', [LRO]: 'LRO', [RLO]: 'RLO', [LRI]: 'LRI', [RLI]: 'RLI', [FSI]: 'FSI', [PDI]: 'PDI', [LRM]: 'LRM', [RLM]: 'RLM', [ALM]: 'ALM' };
const EMBEDDINGS = [LRE, RLE, LRO, RLO, LRM, RLM, ALM];
const ISOLATES = [LRI, RLI, FSI];

/** UNICODE_BIDI_CONTROLS_CHARS_MATCH: a bi-di control that nothing terminates (UnicodeUtilities.checkUnicodeWellFormed). */
export function checkBidiControls(text: string, path: string, ctx: RuleContext): void {
  if (!BIDI.test(text)) return;
  const stack: { c: number; i: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PARA) stack.length = 0;
    else if (c === LRO || c === RLO || c === LRI || c === RLI || c === FSI || c === LRM || c === RLM || c === ALM) stack.push({ c, i });
    else if (c === PDF) {
      if (stack.length > 0 && EMBEDDINGS.includes(stack[stack.length - 1]!.c)) stack.pop();
    } else if (c === PDI && stack.some((t) => ISOLATES.includes(t.c))) {
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!.c;
        if (!ISOLATES.includes(top) && !EMBEDDINGS.includes(top)) break;
        stack.pop();
        if (ISOLATES.includes(top)) break;
      }
    }
  }
  const last = stack[stack.length - 1];
  if (!last) return;
  const before = last.i === 0 ? '' : ` (preceding text = '${clip(text.slice(Math.max(0, last.i - 5), last.i))}')`;
  const msg = `Unicode Character ${NAMES[last.c]} at index ${last.i} has no terminating match${before}`;
  ctx.report('UNICODE_BIDI_CONTROLS_CHARS_MATCH', 'warning', 'invalid', path, `The Unicode sequence has unterminated bi-di control characters (see CVE-2021-42574): ${msg}`);
}

const RENDERING_XHTML = 'http://hl7.org/fhir/StructureDefinition/rendering-xhtml';

/** SECURITY_STRING_CONTENT_WARNING: text with something that looks like an HTML tag (HTMLUtilities.containsHtmlTags). */
export function checkEmbeddedHtml(text: string, code: string, path: string, ctx: RuleContext): void {
  if (code === 'markdown' || code === 'xhtml' || !text.includes('<') || !containsHtmlTags(text)) return;
  // The rendering-xhtml extension carries XHTML on purpose.
  const frames = ctx.hostFrames();
  const host = frames[frames.length - 1];
  if (host?.type === 'Extension' && host.value.url === RENDERING_XHTML) return;
  ctx.report('SECURITY_STRING_CONTENT_WARNING', 'information', 'invalid', path, 'The string value contains text that looks like embedded HTML tags. If this content is rendered to HTML without appropriate post-processing, it may be a security risk');
}

/** A `<` followed by a tag name (letters, digits, _) and then `>` or whitespace, before the next `<`. */
export function containsHtmlTags(input: string): boolean {
  let rest = input;
  let start = rest.indexOf('<');
  while (start > -1) {
    rest = rest.slice(start + 1);
    start = rest.indexOf('<');
    const end = rest.indexOf('>');
    if (end > -1 && end < start && looksLikeTag(rest.slice(0, end))) return true;
  }
  return false;
}

function looksLikeTag(content: string): boolean {
  if (content === '' || !/\p{L}/u.test(content[0]!)) return false;
  let pos = 1;
  while (pos < content.length && /[\p{L}\p{N}_]/u.test(content[pos]!)) pos++;
  return pos === content.length || /\s/.test(content[pos]!);
}
