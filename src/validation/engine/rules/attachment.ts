/**
 * Attachment rules, as the reference validator's checkAttachment has them: a stated size is a whole
 * number that matches the decoded data, a stated hash is the base64 SHA-1 of the data, the data fits
 * the element's maxSize, and an attachment with neither data nor url says at least what it would be.
 *
 * Content behind a `url` is never fetched (the validator works offline), so size and hash are only
 * checked against inline data; the reference does not report that either (it only notes it internally).
 */
import { createHash } from 'node:crypto';
import { clip, looksLikeBase64 } from '../../primitives.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

type Obj = Record<string, unknown>;

export function checkAttachment(obj: Obj, path: string, def: ElementNode, ctx: RuleContext): void {
  const size = statedSize(obj, path, ctx);
  let hash: Uint8Array | undefined;
  if (typeof obj.hash === 'string') hash = decodeOrReport(obj.hash, 'hash', path, ctx);
  let content: Uint8Array | undefined;
  // Data that is not base64 at all is the base64Binary primitive's finding; only data that passes that
  // coarse test and still does not decode is reported here.
  if (typeof obj.data === 'string' && looksLikeBase64(obj.data)) content = decodeOrReport(obj.data, 'data', path, ctx);
  checkAttachmentContent(obj, path, def, ctx);
  if (content === undefined) return;
  if (def.maxSize !== undefined && content.length > def.maxSize) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_TOO_LONG', 'error', 'structure', path, `Attachment size is ${content.length} bytes which exceeds the stated limit of ${def.maxSize} bytes`);
  }
  if (size !== undefined && content.length !== size) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_CORRECT', 'error', 'structure', path, `Stated Attachment Size ${size} does not match actual attachment size ${content.length}`);
  }
  if (hash !== undefined) {
    const actual = createHash('sha1').update(content).digest();
    if (!actual.equals(hash)) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_HASH_MISMATCH', 'error', 'structure', path, `The hash of the data did not match the data (stated: '${clip(String(obj.hash))}', actual: '${actual.toString('base64')}')`);
    }
  }
}

/** Attachments have data and/or url, or else SHOULD say their contentType or language. */
function checkAttachmentContent(obj: Obj, path: string, _def: ElementNode, ctx: RuleContext): void {
  if (obj.data === undefined && obj.url === undefined && obj.contentType === undefined && obj.language === undefined) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_NO_CONTENT', 'warning', 'invalid', path, 'Attachments have data and/or url, or else SHOULD have either contentType and/or language');
  }
}

/** Attachment.size as a whole, non-negative number of bytes; anything else is reported. */
function statedSize(obj: Obj, path: string, ctx: RuleContext): number | undefined {
  if (obj.size === undefined) return undefined;
  const s = obj.size;
  if (typeof s === 'number' && Number.isSafeInteger(s) && s >= 0) return s;
  if (typeof s === 'number') {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_INVALID', 'error', 'structure', path, `Stated Attachment Size ${clip(String(s))} is not valid`);
  }
  return undefined;
}

function decodeOrReport(text: string, name: 'data' | 'hash', path: string, ctx: RuleContext): Uint8Array | undefined {
  const decoded = decodeBase64Strict(text);
  if (typeof decoded === 'string') {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', 'error', 'structure', path, `The base64 content in the ${name} element is not valid base64: ${decoded}`);
    return undefined;
  }
  return decoded;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
VALUE[61] = -2; // '='

/**
 * Strict RFC 4648 base64 (no whitespace, padding optional but correct when present), decoded the way the
 * reference decodes attachment data and hashes; returns the bytes, or why the text is not base64 in the
 * words of that decoder.
 */
function decodeBase64Strict(text: string): Uint8Array | string {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let bits = 0;
  let shift = 18;
  let i = 0;
  while (i < text.length) {
    const c = latin1(text.charCodeAt(i++));
    const v = VALUE[c]!;
    if (v === -2) {
      // '=' ends the data: only after two or three characters of a unit, and 'xx' needs '=='.
      if (shift === 18 || (shift === 6 && (i === text.length || text.charCodeAt(i++) !== 61))) return 'Input byte array has wrong 4-byte ending unit';
      break;
    }
    if (v < 0) return `Illegal base64 character ${c > 127 ? '-' + (256 - c).toString(16) : c.toString(16)}`;
    bits |= v << shift;
    shift -= 6;
    if (shift < 0) {
      out[n++] = (bits >> 16) & 0xff;
      out[n++] = (bits >> 8) & 0xff;
      out[n++] = bits & 0xff;
      shift = 18;
      bits = 0;
    }
  }
  if (shift === 6) out[n++] = (bits >> 16) & 0xff;
  else if (shift === 0) {
    out[n++] = (bits >> 16) & 0xff;
    out[n++] = (bits >> 8) & 0xff;
  } else if (shift === 12) return 'Last unit does not have enough valid bits';
  if (i < text.length) return `Input byte array has incorrect ending byte at ${i}`;
  return out.subarray(0, n);
}

/** The byte a character becomes in ISO-8859-1 (the reference's encoding of the text): '?' beyond it. */
function latin1(code: number): number {
  return code > 255 ? 63 : code;
}
