/**
 * An XML digital signature (application/pkcs7-signature carrying an XML DigSig / XAdES Signature), as far
 * as the reference validator's BundleValidator checks it before verifying: the signing time against
 * Signature.when, canonicalization, the certificate in KeyInfo, the signer, the SignedInfo references and
 * the SignatureValue. Verifying needs the Bundle in canonical FHIR XML, which ads-fhir does not produce,
 * so an XML signature is checked but not verified (no verified/unverified claims are reported).
 */
import { fastXmlParser } from '../../format/xml-read.js';
import { clip } from '../primitives.js';
import { readCertificate, type SigningCertificate } from './certificate.js';
import { canonicalization, checkWhen, checkWho, type SigReport } from './signature-parts.js';

type Obj = Record<string, unknown>;

const XADES_SIGNED_PROPERTIES = 'http://uri.etsi.org/01903#SignedProperties';

export function checkDigSig(bundle: Obj, sig: Obj, xml: string, report: SigReport): void {
  const root = parseSignature(xml);
  if (typeof root === 'string') {
    report('BUNDLE_SIGNATURE_DIGSIG_INVALID', 'error', 'invalid', `The digital signature is invalid XML: ${clip(root)}`);
    return;
  }
  const object = child(root, 'Object');
  const signedProps = child(child(object, 'QualifyingProperties'), 'SignedProperties');
  const sigT = text(child(child(signedProps, 'SignedSignatureProperties'), 'SigningTime')) ?? text(child(child(child(object, 'SignatureProperties'), 'SignatureProperty'), 'SigningTime'));
  if (sigT === undefined) report('BUNDLE_SIGNATURE_DIGSIG_NO_SIG_TIME', 'warning', 'not-found', 'No SigningTime element found in the digital signature');
  checkWhen(sigT, sig.when, 'BUNDLE_SIGNATURE_DIGSIG_WHEN_MISMATCH', report);
  const signedInfo = child(root, 'SignedInfo');
  const references = children(signedInfo, 'Reference');
  const transform = child(child(references[0], 'Transforms'), 'Transform');
  const stated = typeof transform?.['@Algorithm'] === 'string' ? transform['@Algorithm'] : undefined;
  const { canon } = canonicalization(sig, stated, bundle.type, report);

  let cert: SigningCertificate | undefined;
  const x509 = text(child(child(child(root, 'KeyInfo'), 'X509Data'), 'X509Certificate'));
  if (x509 === undefined) {
    report('BUNDLE_SIGNATURE_DIGSIG_NO_CERT', 'warning', 'not-found', "Didn't find a provided X509 certificate in the digital signature, so can't verify the signature");
  } else {
    try {
      cert = readCertificate(x509);
    } catch (e) {
      report('BUNDLE_SIGNATURE_DIGSIG_X509_ERROR', 'error', 'invalid', `Unable to parse X509 Certificate: ${clip(e instanceof Error ? e.message : String(e))}`);
    }
  }
  checkWho(sig, cert, report);

  const notUnderstood = (uri: unknown) =>
    report('BUNDLE_SIGNATURE_DIGSIG_REFERENCE_NOT_UNDERSTOOD', 'error', 'not-supported', `The reference in the SignedInfo in the digital signature is '${clip(String(uri ?? ''))}' which is not understood (or correct?)`);
  if (references.length === 0) {
    report('BUNDLE_SIGNATURE_DIGSIG_NO_REFERENCES', 'error', 'not-supported', 'No references found in the digital signature SignedInfo');
  } else if (references.length > 2) {
    report('BUNDLE_SIGNATURE_DIGSIG_REFERENCES_TOO_MANY', 'error', 'not-supported', 'Too many references found in the digital signature SignedInfo - not understood');
  } else {
    if (references[0]!['@URI'] !== '#') notUnderstood(references[0]!['@URI']);
    if (references.length === 2 && references[1]!['@Type'] !== XADES_SIGNED_PROPERTIES) {
      report('BUNDLE_SIGNATURE_DIGSIG_REFERENCE_TYPE_NOT_UNDERSTOOD', 'error', 'not-supported',
        `The second reference in the SignedInfo in the digital signature has type '${clip(String(references[1]!['@Type'] ?? ''))}' which is not understood (or correct?)`);
    }
  }
  if (cert && canon && text(child(root, 'SignatureValue')) === undefined) {
    report('BUNDLE_SIGNATURE_DIGSIG_NO_SV', 'error', 'not-found', "Didn't find a provided signedValue in the digital signature, so can't verify the signature");
  }
}

/** The document element of the signature, or why the XML cannot be read. */
function parseSignature(xml: string): Obj | string {
  const valid = fastXmlParser().XMLValidator.validate(xml);
  if (valid !== true) return valid.err.msg;
  const doc = new (fastXmlParser().XMLParser)({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === 'Reference' }).parse(xml) as Obj;
  const name = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = name ? doc[name] : undefined;
  return root && typeof root === 'object' ? (root as Obj) : {};
}

function children(e: Obj | undefined, name: string): Obj[] {
  const v = e?.[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => (x && typeof x === 'object' ? (x as Obj) : { '#text': x }));
}

function child(e: Obj | undefined, name: string): Obj | undefined {
  return children(e, name)[0];
}

function text(e: Obj | undefined): string | undefined {
  const t = e?.['#text'];
  return t === undefined || t === null || t === '' ? undefined : String(t).trim();
}
