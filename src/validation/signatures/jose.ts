/**
 * A JWS (application/jose) Bundle signature, as the reference validator's BundleValidator checks it: the
 * protected header (signing time sigT or iat, canonicalization, purpose srCms, certificate x5c or kid), a
 * detached payload, then the signature verified with node:crypto against the Bundle in canonical JSON.
 * Certificates are read from x5c only: ads-fhir keeps no certificate store to look a kid up in.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import { clip } from '../primitives.js';
import { jsonDifference, signableBundle, type Json } from './canonical-json.js';
import { readCertificate, type SigningCertificate } from './certificate.js';
import { canonicalization, checkWhen, checkWho, purposeOf, reportClaims, type SigReport } from './signature-parts.js';

type Obj = Record<string, unknown>;

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

export function checkJose(bundle: Obj, sig: Obj, jws: string, report: SigReport): void {
  const parts = jws.split('.');
  const [protectedPart = '', payloadPart = '', signaturePart = ''] = parts;
  let header: Obj;
  try {
    const parsed: unknown = JSON.parse(b64(protectedPart).toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the header is not a JSON object');
    header = parsed as Obj;
  } catch (e) {
    report('BUNDLE_SIGNATURE_HEADER_PARSE', 'error', 'invalid', `Error parsing the digital signature header: ${clip(message(e))}`);
    return;
  }
  const sigT = signingTime(header, report);
  if (sigT === undefined) report('BUNDLE_SIGNATURE_HEADER_NO_SIG_TIME', 'warning', 'not-found', 'The signature does not have a signing time (sigT in the header)');
  checkWhen(sigT, sig.when, 'BUNDLE_SIGNATURE_HEADER_WHEN_MISMATCH', report);
  const { canon, xml } = canonicalization(sig, typeof header.canon === 'string' ? header.canon : undefined, bundle.type, report);
  const commitment = commitmentOf(header);
  const purpose = purposeOf(sig, commitment.id, commitment.desc);

  let cert: SigningCertificate | undefined;
  if (Array.isArray(header.x5c)) {
    try {
      cert = readCertificate(String(header.x5c[0]));
    } catch (e) {
      report('BUNDLE_SIGNATURE_HEADER_X509_ERROR', 'error', 'invalid', `Unable to parse X509 Certificate: ${clip(message(e))}`);
    }
  } else if (header.kid !== undefined) {
    report('BUNDLE_SIGNATURE_HEADER_CERT_NOT_FOUND', 'warning', 'not-found', `Didn't find a matching certificate for the 'kid' ${clip(String(header.kid))} in the header, so can't verify the signature`);
  } else {
    report('BUNDLE_SIGNATURE_HEADER_NO_KID_OR_CERT', 'warning', 'not-found', "Didn't find a provided certificate or a 'kid' in the header, so can't verify the signature");
  }
  checkWho(sig, cert, report);
  if (payloadPart !== '') report('BUNDLE_SIGNATURE_PAYLOAD_PRESENT', 'warning', 'value', 'The signature has a payload, but the signature should be a detached signature with no payload');
  // Only JSON canonical forms are produced here; an XML-canonicalized JWS is not verified.
  if (!cert || xml) return;

  const toSign = signableBundle(bundle, canon);
  let verified: boolean;
  try {
    verified = verifyJws(header, `${protectedPart}.${toSign.toString('base64url')}`, b64(signaturePart), cert.publicKey);
  } catch (e) {
    report('BUNDLE_SIGNATURE_SIG_ERROR', 'error', 'exception', `Error verifying the signature against the certificate: ${clip(message(e))}`);
    return;
  }
  if (verified) {
    report('BUNDLE_SIGNATURE_SIG_OK', 'information', 'informational', 'The signature verified OK');
  } else {
    report('BUNDLE_SIGNATURE_SIG_FAIL_CERT', 'error', 'value', 'The signature did not verify against the provided certificate');
    if (payloadPart !== '') explainPayload(toSign, payloadPart, report);
  }
  reportClaims({ signer: [...cert.names].sort().join(','), verifiedSigner: verified, ...(sigT !== undefined ? { at: sigT } : {}), verifiedAt: verified, ...purpose, verifiedPurpose: verified && purpose.agreed }, report);
  report('BUNDLE_SIGNATURE_CERT_DETAILS', 'information', 'informational', `Signing Certificate Details: Subject='${clip(cert.subject)}', Issuer='${clip(cert.issuer)}', Serial='${cert.serial}'`);
  report('BUNDLE_SIGNATURE_CERT_SOURCE', 'information', 'informational', `Signing Certificate Source: ${cert.pemLine}`);
}

/** sigT (JAdES), else iat; a sigT given as epoch seconds is warned about and read as such. */
function signingTime(header: Obj, report: SigReport): string | undefined {
  let sigT = header.sigT === undefined || header.sigT === null ? undefined : String(header.sigT);
  if (sigT !== undefined && /^-?\d+$/.test(sigT)) {
    report('BUNDLE_SIGNATURE_HEADER_SIG_TIME_WRONG_FORMAT', 'warning', 'invalid', `The sigT header has the wrong format: ${clip(sigT)}`);
    sigT = isoInstant(Number(sigT));
  }
  if (sigT === undefined && (typeof header.iat === 'number' || (typeof header.iat === 'string' && /^-?\d+$/.test(header.iat)))) sigT = isoInstant(Number(header.iat));
  return sigT;
}

/** An instant as Java's ISO_INSTANT writes it: no fraction when whole seconds. */
function isoInstant(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The commitment (purpose) of a JAdES signature: srCms[0].commId.id and desc. */
function commitmentOf(header: Obj): { id?: string; desc?: string } {
  const first = Array.isArray(header.srCms) ? (header.srCms[0] as Obj | undefined) : undefined;
  const commId = first && typeof first === 'object' ? (first.commId as Obj | undefined) : undefined;
  if (!commId || typeof commId !== 'object') return {};
  return { ...(typeof commId.id === 'string' ? { id: commId.id } : {}), ...(typeof commId.desc === 'string' ? { desc: commId.desc } : {}) };
}

/** Why verification failed when the signature carried its own payload: is it the content, or only its form? */
function explainPayload(toSign: Buffer, payloadPart: string, report: SigReport): void {
  const signed = Buffer.from(payloadPart, 'base64');
  if (toSign.equals(signed)) {
    if (payloadPart !== toSign.toString('base64url')) report('BUNDLE_SIGNATURE_PAYLOAD_BASE64_DIFF', 'error', 'value', 'The signed bytes are identical, but the base64 representations differ');
    return;
  }
  report('BUNDLE_SIGNATURE_PAYLOAD_MISMATCH', 'error', 'value', `The signature cannot be valid because the content to sign (${toSign.length} bytes} is not the same as the signed content (${signed.length} bytes)`);
  let signedJson: Json;
  try {
    signedJson = JSON.parse(signed.toString('utf8')) as Json;
  } catch (e) {
    report('BUNDLE_SIGNATURE_PAYLOAD_INVALID_JSON', 'error', 'invalid', `The payload provided could not be read - invalid JSON Structure (${clip(message(e))})`);
    return;
  }
  const diff = jsonDifference(JSON.parse(toSign.toString('utf8')) as Json, signedJson);
  if (diff === undefined) report('BUNDLE_SIGNATURE_PAYLOAD_JSON_MATCHES', 'information', 'informational', 'The actual JSON structures of payload and canonicalized form do match, so the issue is in the canonicalization');
  else report('BUNDLE_SIGNATURE_PAYLOAD_JSON_NO_MATCH', 'information', 'value', `The actual JSON structures of payload and canonicalized form do not match: ${clip(diff)}`);
}

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1' };
const ES_LENGTHS: Record<string, number> = { ES256: 64, ES384: 96, ES512: 132 };

/**
 * Verifies a JWS signing input with the certificate's key. Throws (a verification error, not a failed
 * signature) when the algorithm is not one the key can verify, as the reference's JOSE library does.
 */
function verifyJws(header: Obj, signingInput: string, signature: Buffer, key: KeyObject): boolean {
  const alg = String(header.alg ?? '');
  const m = /^(RS|PS|ES)(256|384|512)$/.exec(alg);
  if (!m) throw new Error(`Unsupported JWS algorithm ${alg}`);
  const hash = HASHES[m[2]!]!;
  const data = Buffer.from(signingInput, 'ascii');
  if (m[1] === 'ES') {
    if (key.asymmetricKeyType !== 'ec') throw new Error(`Unsupported JWS algorithm ${alg} for a ${String(key.asymmetricKeyType)} key`);
    if (key.asymmetricKeyDetails?.namedCurve !== CURVES[alg]) throw new Error(`The key's curve does not suit ${alg}`);
    // A signature of the wrong length for the curve simply does not verify.
    if (signature.length !== ES_LENGTHS[alg]) return false;
    return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`Unsupported JWS algorithm ${alg} for a ${String(key.asymmetricKeyType)} key`);
  if (m[1] === 'PS') return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(m[2]) / 8 }, signature);
  return verify(hash, data, key, signature);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

