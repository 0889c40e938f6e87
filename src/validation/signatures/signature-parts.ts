/**
 * What the JOSE and XML signature checks share, as the reference validator's BundleValidator has it:
 * the signing time against Signature.when, the canonicalization (the signature's own, targetFormat's, or
 * the default), the purpose (signature commitment type against Signature.type), and the signer
 * (the certificate's names against Signature.who.identifier). All findings are reported at the Bundle.
 */
import { clip } from '../primitives.js';
import type { SigningCertificate } from './certificate.js';

type Obj = Record<string, unknown>;

/** Reports one signature finding at the Bundle. */
export type SigReport = (rule: string, severity: 'error' | 'warning' | 'information', code: string, message: string) => void;

/** The time the signature claims against Signature.when (a missing when is reported with the mismatch rule, as the reference does). */
export function checkWhen(sigT: string | undefined, when: unknown, mismatchRule: string, report: SigReport): void {
  if (when === undefined) {
    report('BUNDLE_SIGNATURE_HEADER_WHEN_MISMATCH', 'error', 'not-found', 'The signature has no stated time (Signature.when) to compare with the time in the signature');
  } else if (sigT !== undefined && sigT !== String(when)) {
    report(mismatchRule, 'error', 'business-rule', `The time in the signature ${clip(sigT)} is not the same as the stated time ${clip(String(when))}`);
  }
}

/** The canonicalization to verify under: the signature's own, else targetFormat's, else the default for the format. */
export function canonicalization(sig: Obj, stated: string | undefined, bundleType: unknown, report: SigReport): { canon: string; xml: boolean } {
  let xml = false;
  let target: string | undefined;
  if (typeof sig.targetFormat === 'string') {
    const parsed = parseMimeType(sig.targetFormat);
    if ('error' in parsed) {
      report('BUNDLE_SIGNATURE_CANON_ERROR', 'error', 'invalid', `Error parsing the targetFormat '${clip(sig.targetFormat)}': ${parsed.error}`);
    } else {
      xml = parsed.base.includes('xml');
      target = parsed.params.get('canonicalization');
    }
  }
  if (stated === undefined) {
    if (target !== undefined) return { canon: target, xml };
    const canon = `http://hl7.org/fhir/canonicalization/${xml ? 'xml' : 'json'}${bundleType === 'document' ? '#document' : ''}`;
    report('BUNDLE_SIGNATURE_PAYLOAD_CANON_DEFAULT', 'information', 'informational', `No canonicalization found, so using ${canon}`);
    return { canon, xml };
  }
  if (target !== undefined && target !== stated) {
    report('BUNDLE_SIGNATURE_CANON_DIFF', 'warning', 'not-found', `The canonicalization in the digital signature is ${clip(stated)} which doesn't match the value ${clip(target)} found in the targetFormat`);
  }
  return { canon: stated, xml: stated.includes('xml') };
}

/** A mime type with parameters, split as the reference's MimeType does (a parameter without '=' is an error). */
function parseMimeType(s: string): { base: string; params: Map<string, string> } | { error: string } {
  const [first, ...rest] = s.split(';').map((p) => p.trim());
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) return { error: `the parameter '${clip(p)}' has no value` };
    params.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const aliases: Record<string, string> = { xml: 'application/fhir+xml', json: 'application/fhir+json', ttl: 'application/fhir+ttl' };
  return { base: aliases[first ?? ''] ?? first ?? '', params };
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** The purpose the signature states, and whether a Signature.type says the same. */
export function purposeOf(sig: Obj, stated: string | undefined, statedDesc: string | undefined): { purpose?: string; desc?: string; agreed: boolean } {
  let purpose = stated;
  for (const t of Array.isArray(sig.type) ? (sig.type as Obj[]) : []) {
    if (!t || typeof t !== 'object') continue;
    const code = String(t.code ?? 'null');
    const p = OID.test(code) ? `urn:oid:${code}` : `${String(t.system ?? 'null')}#${code}`;
    if (purpose === undefined) {
      purpose = p;
      return { purpose, ...(typeof t.display === 'string' ? { desc: t.display } : {}), agreed: false };
    }
    if (purpose === p) return { purpose, ...(statedDesc ?? t.display ? { desc: String(statedDesc ?? t.display) } : {}), agreed: true };
  }
  return { ...(purpose !== undefined ? { purpose } : {}), ...(statedDesc !== undefined ? { desc: statedDesc } : {}), agreed: false };
}

/** Signature.who against the certificate's names. Returns who.identifier.value and whether the certificate names it. */
export function checkWho(sig: Obj, cert: SigningCertificate | undefined, report: SigReport): { idv?: string; matches: boolean } {
  const who = sig.who && typeof sig.who === 'object' ? (sig.who as Obj) : undefined;
  if (cert) {
    const id = who?.identifier as Obj | undefined;
    const idv = typeof id?.value === 'string' ? id.value : undefined;
    if (idv === undefined) {
      report('BUNDLE_SIGNATURE_WHO_RECOMMENDED', 'information', 'informational', `A certificate subject identifier should also be found in Signature.who.identifier (one of ${clip(cert.subject)})`);
      return { matches: false };
    }
    const matches = cert.names.has(idv);
    if (!matches) {
      report('BUNDLE_SIGNATURE_WHO_MISMATCH', 'information', 'informational',
        `The  Signature.who.identifier '${clip(idv)}' does not match a subject value from the certificate (one of ${clip([...cert.names].map((n) => `'${n}'`).join(','))})`);
    }
    return { idv, matches };
  }
  if (!who) report('BUNDLE_SIGNATURE_WHO_NO_INFO', 'information', 'informational', 'Neither the digital signature nor Signature.who are provided to identify the signer');
  else report('BUNDLE_SIGNATURE_WHO_NOT_IN_CERT', 'information', 'informational', 'The Signature.who value is not found in the digital signature');
  return { matches: false };
}

/** Signed-by, signed-at and signed-for information, verified or only claimed. */
export function reportClaims(claims: { signer?: string; verifiedSigner: boolean; at?: string; verifiedAt: boolean; purpose?: string; desc?: string; verifiedPurpose: boolean }, report: SigReport): void {
  if (claims.signer !== undefined) {
    if (claims.verifiedSigner) report('BUNDLE_SIGNATURE_SIGNED_BY_VERIFIED', 'information', 'informational', `The content was signed by ${clip(claims.signer)} (and this has been verified by the signature)`);
    else report('BUNDLE_SIGNATURE_SIGNED_BY', 'information', 'informational', `The content claims to have been signed by ${clip(claims.signer)}, but this has not been verified`);
  }
  if (claims.at !== undefined) {
    if (claims.verifiedAt) report('BUNDLE_SIGNATURE_SIGNED_AT_VERIFIED', 'information', 'informational', `The content was signed at ${clip(claims.at)} (and this has been verified by the signature)`);
    else report('BUNDLE_SIGNATURE_SIGNED_AT', 'information', 'informational', `The content claims to have been signed at ${clip(claims.at)}, but this has not been verified`);
  }
  if (claims.purpose !== undefined) {
    const what = `${clip(String(claims.desc ?? 'null'))} (${clip(claims.purpose)})`;
    if (claims.verifiedPurpose) report('BUNDLE_SIGNATURE_SIGNED_FOR_VERIFIED', 'information', 'informational', `The content was signed for the purpose of ${what} (and this has been verified by the signature)`);
    else report('BUNDLE_SIGNATURE_SIGNED_FOR', 'information', 'informational', `The content claims that it was signed for the purpose of ${what}, but this has not been verified`);
  }
}
