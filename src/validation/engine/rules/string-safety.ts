/**
 * Checks on the characters of primitive text, as the reference's InstanceValidator.checkPrimitive makes them:
 * bi-directional control characters left open (CVE-2021-42574, "Trojan source": a warning), control characters
 * XML cannot hold (a warning), and text that looks like embedded HTML tags in a value that is not markdown or
 * XHTML (a hint: rendered without care, it is a risk). One regex test over the value finds whether it holds
 * any character one of them looks at: nearly no value does, and then none of them runs.
 */
import { clip, isUriType, NO_ASCII_WHITESPACE, NO_CONTROL_CHARACTERS } from '../../primitives.js';
import type { RuleContext } from '../context.js';

const LRE = 0x202a, RLE = 0x202b, PDF = 0x202c, LRO = 0x202d, RLO = 0x202e;
const LRI = 0x2066, RLI = 0x2067, FSI = 0x2068, PDI = 0x2069;
const LRM = 0x200e, RLM = 0x200f, ALM = 0x061c, PARA = 0x0a;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
/** A control character other than tab, line feed and carriage return. */
const CONTROL_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;
/** Any character of BIDI or CONTROL_CHARACTER, or '<' (where an HTML tag starts). */
const LOOKED_AT = /[\x00-\x08\x0B\x0C\x0E-\x1F<\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/** LOOKED_AT, or ASCII whitespace (space, tab, line feed, carriage return). */
const LOOKED_AT_OR_SPACE = /[\x00-\x20<\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/**
 * What a scan of the value's characters tells, as the bits of primitives.ts: {@link NO_CONTROL_CHARACTERS} when
 * none of the characters the checks below look at is there (LOOKED_AT), and with it {@link NO_ASCII_WHITESPACE} when
 * there is no space, tab, line feed or carriage return either (the URI checks ask that of every value). 0 when a
 * character they look at is there. Most values hold none of them: one regex test tells (measured faster than a loop
 * over the characters, even for short values); only a value with one is tested again.
 */
export function characterFacts(text: string): number {
  if (!LOOKED_AT_OR_SPACE.test(text)) return NO_CONTROL_CHARACTERS | NO_ASCII_WHITESPACE;
  return LOOKED_AT.test(text) ? 0 : NO_CONTROL_CHARACTERS;
}

/**
 * The checks on the characters of a value of type `code`, in the reference's order. Returns what the scan found
 * of the value ({@link characterFacts}), for the checks of its form.
 */
export function checkCharacters(text: string, code: string, path: string, ctx: RuleContext): number {
  // Only the URI types' checks ask whether there is ASCII whitespace: for the others (descriptions, names, displays,
  // most with spaces) one test of the characters looked at is the whole scan.
  const facts = isUriType(code) ? characterFacts(text) : LOOKED_AT.test(text) ? 0 : NO_CONTROL_CHARACTERS;
  if (facts !== 0) return facts;
  checkBidiControls(text, path, ctx);
  checkControlCharacters(text, path, ctx);
  checkEmbeddedHtml(text, code, path, ctx);
  return 0;
}
const NAMES: Record<number, string> = { [LRE]: 'LRE', [RLE]: 'RLE', [PDF]: 'PDF', [LRO]: 'LRO', [RLO]: 'RLO', [LRI]: 'LRI', [RLI]: 'RLI', [FSI]: 'FSI', [PDI]: 'PDI', [LRM]: 'LRM', [RLM]: 'RLM', [ALM]: 'ALM' };
const EMBEDDINGS = [LRE, RLE, LRO, RLO, LRM, RLM, ALM];
const ISOLATES = [LRI, RLI, FSI];

/** UNICODE_BIDI_CONTROLS_CHARS_MATCH: a bi-di control that nothing terminates (UnicodeUtilities.checkUnicodeWellFormed). */
function checkBidiControls(text: string, path: string, ctx: RuleContext): void {
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

/** Control characters (other than tab, CR and LF) cannot be written in XML and have no use. */
function checkControlCharacters(text: string, path: string, ctx: RuleContext): void {
  if (!CONTROL_CHARACTER.test(text)) return;
  let bad: Set<string> | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) (bad ??= new Set()).add(c.toString(16));
  }
  if (!bad) return;
  const list = `[${[...bad].join(', ')}]`;
  ctx.report('UNICODE_XML_BAD_CHARS', 'warning', 'invalid', path, bad.size === 1
    ? `This content includes the character ${list} (hex value). This character is illegal in the XML version of FHIR, and there is generally no valid use for such characters`
    : `This content includes the characters ${list} (hex values). These characters are illegal in the XML version of FHIR, and there is generally no valid use for such characters`);
}

/** SECURITY_STRING_CONTENT_WARNING: text with something that looks like an HTML tag (HTMLUtilities.containsHtmlTags). */
function checkEmbeddedHtml(text: string, code: string, path: string, ctx: RuleContext): void {
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
