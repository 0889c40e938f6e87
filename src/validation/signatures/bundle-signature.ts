/**
 * Bundle.signature as the reference validator's BundleValidator.validateSignature checks it: which format
 * the signature is in (stated by sigFormat, or recognised as a JWS), whether there is data to check, and
 * then the JWS or XML signature itself. Every finding is reported at the Bundle, as the reference does.
 */
import { clip } from '../primitives.js';
import type { Report } from '../../plugin-types/index.js';
import { checkDigSig } from './digsig.js';
import { checkJose } from './jose.js';
import type { SigReport } from './signature-parts.js';

type Obj = Record<string, unknown>;

/** Base64 as the reference's test accepts it: either alphabet, padding and white space. */
const BASE64ISH = /^[A-Za-z0-9+/=_\-\s]*$/;

export function checkBundleSignature(bundle: Obj, path: string, report: Report): void {
  const sig = bundle.signature;
  if (!sig || typeof sig !== 'object' || Array.isArray(sig)) return;
  const s = sig as Obj;
  const at: SigReport = (rule, severity, code, message) => report(rule, severity, code, path, message);
  const data = typeof s.data === 'string' ? s.data : undefined;
  let format = typeof s.sigFormat === 'string' && s.sigFormat !== '' ? s.sigFormat : undefined;
  if (format === undefined && data !== undefined) {
    at('BUNDLE_SIGNATURE_NO_SIG_FORMAT', 'information', 'not-supported', 'There is no value for sigFormat. In the absence of a stated signature format, the signature cannot be interpreted reliably (or validated)');
    // ...but a JWS can be recognised by its header (the reference notes any JSON header it reads, and takes one with an algorithm as JOSE).
    const header = joseHeader(data);
    if (header !== undefined) {
      if ('alg' in header) format = 'application/jose';
      at('BUNDLE_SIGNATURE_SIG_FORMAT_JOSE', 'information', 'not-supported', 'Signature looks like application/jose, so validating accordingly');
    }
  }
  if (format === undefined || format.startsWith('image/') || format.startsWith('application/pdf')) return; // not a digital signature
  if (format !== 'application/jose' && format !== 'application/pkcs7-signature') {
    at('BUNDLE_SIGNATURE_NOT_CHECKED_KIND', 'information', 'not-supported', `The signature format '${clip(format)}' is not checked (known formats: application/jose and application/pkcs7-signature)`);
    return;
  }
  if (data === undefined) {
    at('BUNDLE_SIGNATURE_NOT_CHECKED_DATA', 'information', 'not-found', `There is no actual signature data, so the ${format} signature cannot be checked`);
    return;
  }
  if (format === 'application/pkcs7-signature') {
    if (!BASE64ISH.test(data)) {
      at('BUNDLE_SIGNATURE_NOT_CHECKED_DATA_B64', 'warning', 'invalid', 'The signature data is not valid base64 content, so the signature cannot be checked');
      return;
    }
    checkDigSig(bundle, s, Buffer.from(data, 'base64').toString('utf8'), at);
    return;
  }
  let jws: string;
  if (BASE64ISH.test(data)) {
    jws = Buffer.from(data, 'base64').toString('utf8');
  } else if (data.split('.').length === 3) {
    // A compact JWS put in as it is rather than base64-encoded: wrong, but checked anyway.
    at('BUNDLE_SIGNATURE_CHECKED_DATA_B64', 'error', 'invalid', 'The signature data is not valid base64 content, but it looks like native application/jose, so it will be checked anyway');
    jws = data;
  } else {
    at('BUNDLE_SIGNATURE_NOT_CHECKED_DATA_B64', 'error', 'invalid', 'The signature data is not valid base64 content, so the signature cannot be checked');
    return;
  }
  checkJose(bundle, s, jws, at);
}

/** The JSON object the data decodes to, or the header of the JWS it decodes to; undefined when neither. */
function joseHeader(data: string): object | undefined {
  let d = Buffer.from(data, 'base64').toString('utf8');
  if ((d.match(/\./g) ?? []).length === 2) d = Buffer.from(d.split('.')[0]!, 'base64').toString('utf8');
  try {
    const header: unknown = JSON.parse(d);
    return header && typeof header === 'object' && !Array.isArray(header) ? header : undefined;
  } catch {
    return undefined;
  }
}
