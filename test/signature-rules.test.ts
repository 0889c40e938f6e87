/**
 * Bundle.signature checks (the reference validator's BundleValidator.validateSignature): formats, JWS
 * headers, certificates, signer, detached payloads and verification, and the XML DigSig structure. Keys and
 * certificates are made at run time (test/helpers/x509.ts); signatures are made with the jose library and
 * node:crypto over a canonical form written out here by hand. Rule id, severity and location asserted.
 */
import { sign } from 'node:crypto';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { Validator } from '../src/validation/validator.js';
import { selfSignedCertificate, type TestCertificate } from './helpers/x509.js';
import { MemoryResolver } from './support/memory-resolver.js';

type Obj = Record<string, unknown>;
const validator = new Validator(new MemoryResolver(readCoreR4()));

const WHEN = '2026-12-07T04:00:00Z';
const UUID = 'urn:uuid:0b4f5a2e-3c1d-4e8a-9f6b-1a2b3c4d5e6f';
const content: Obj = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: UUID, resource: { resourceType: 'Basic', id: 'b1', code: { text: 'handover' } } }] };
/** The Bundle above in FHIR canonical JSON (sorted properties, no whitespace), signature left out. */
const CANONICAL = `{"entry":[{"fullUrl":"${UUID}","resource":{"code":{"text":"handover"},"id":"b1","resourceType":"Basic"}}],"resourceType":"Bundle","type":"collection"}`;
const SIGNER = 'CN=Dr Signer,O=Example Ambulance Trust';
const PURPOSE = { system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1', display: "Author's Signature" };

let cert: TestCertificate;
let rsaCert: TestCertificate;
beforeAll(() => {
  cert = selfSignedCertificate({ subject: [['O', 'Example Ambulance Trust'], ['CN', 'Dr Signer']] });
  rsaCert = selfSignedCertificate({ subject: [['CN', 'RSA Signer']], rsa: true });
});

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** A compact JWS over `payload` with the given protected header, signed with jose. */
async function jws(header: Obj, payload: string, key = cert): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'ES256', ...header } as { alg: string }).sign(key.privateKey);
}
const detached = (compact: string) => compact.replace(/\.[^.]*\./, '..');

const JSON_TARGET = 'application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json';

/** The Bundle with a signature; targetFormat names the JSON canonicalization unless `signature` says otherwise (null: none). */
function signed(signature: Obj, bundle: Obj = content): Obj {
  const sig: Obj = { type: [PURPOSE], targetFormat: JSON_TARGET, when: WHEN, who: { identifier: { value: SIGNER } }, ...signature };
  for (const k of Object.keys(sig)) if (sig[k] === null) delete sig[k];
  return { ...bundle, signature: sig };
}

/** [severity, rule] of each signature finding, all of which sit at the Bundle. */
function found(bundle: Obj): string[][] {
  const issues = validator.validateToIssues(bundle).filter((i) => i.rule.startsWith('BUNDLE_SIGNATURE_'));
  expect(issues.every((i) => i.expression === 'Bundle')).toBe(true);
  return issues.map((i) => [i.severity, i.rule]);
}
const rules = (bundle: Obj) => found(bundle).map((f) => f[1]);

describe('Bundle.signature: format and data', () => {
  it('says nothing of a signature that is a picture or a PDF', () => {
    expect(found(signed({ sigFormat: 'image/png', data: b64('png') }))).toEqual([]);
  });

  it('notes formats it does not check, and signatures without data', () => {
    expect(found(signed({ sigFormat: 'application/signature+xml', data: b64('x') }))).toEqual([['information', 'BUNDLE_SIGNATURE_NOT_CHECKED_KIND']]);
    expect(found(signed({ sigFormat: 'application/jose' }))).toEqual([['information', 'BUNDLE_SIGNATURE_NOT_CHECKED_DATA']]);
  });

  it('reports data that is not base64', () => {
    expect(found(signed({ sigFormat: 'application/pkcs7-signature', data: 'not base64!' }))).toEqual([['warning', 'BUNDLE_SIGNATURE_NOT_CHECKED_DATA_B64']]);
    expect(found(signed({ sigFormat: 'application/jose', data: 'not base64!' }))).toEqual([['error', 'BUNDLE_SIGNATURE_NOT_CHECKED_DATA_B64']]);
  });

  it('recognises a JWS without sigFormat, and checks a JWS that was not base64-encoded', async () => {
    const compact = detached(await jws({ x5c: [cert.der], sigT: WHEN }, CANONICAL));
    expect(rules(signed({ data: b64(compact) })).slice(0, 3)).toEqual(['BUNDLE_SIGNATURE_NO_SIG_FORMAT', 'BUNDLE_SIGNATURE_SIG_FORMAT_JOSE', 'BUNDLE_SIGNATURE_SIG_OK']);
    expect(rules(signed({ sigFormat: 'application/jose', data: compact })).slice(0, 2)).toEqual(['BUNDLE_SIGNATURE_CHECKED_DATA_B64', 'BUNDLE_SIGNATURE_SIG_OK']);
  });
});

describe('Bundle.signature: a detached JWS verified against the Bundle', () => {
  it('verifies a good signature and reports what it verified', async () => {
    const compact = detached(await jws({ x5c: [cert.der], sigT: WHEN, srCms: [{ commId: { id: `urn:oid:${PURPOSE.code}`, desc: PURPOSE.display } }] }, CANONICAL));
    expect(found(signed({ sigFormat: 'application/jose', data: b64(compact) }))).toEqual([
      ['information', 'BUNDLE_SIGNATURE_SIG_OK'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_BY_VERIFIED'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_AT_VERIFIED'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_FOR_VERIFIED'],
      ['information', 'BUNDLE_SIGNATURE_CERT_DETAILS'],
      ['information', 'BUNDLE_SIGNATURE_CERT_SOURCE'],
    ]);
  });

  it('verifies an RSA signature with the default canonicalization', async () => {
    const compact = detached(await jws({ alg: 'RS256', x5c: [rsaCert.der], sigT: WHEN }, CANONICAL, rsaCert));
    const got = found(signed({ sigFormat: 'application/jose', targetFormat: null, data: b64(compact), who: { identifier: { value: 'CN=RSA Signer' } } }));
    expect(got.slice(0, 2)).toEqual([['information', 'BUNDLE_SIGNATURE_PAYLOAD_CANON_DEFAULT'], ['information', 'BUNDLE_SIGNATURE_SIG_OK']]);
  });

  it('fails a signature over other content, and says only what is claimed', async () => {
    const compact = detached(await jws({ x5c: [cert.der], sigT: WHEN, canon: 'http://hl7.org/fhir/canonicalization/json' }, CANONICAL));
    const changed = { ...content, type: 'searchset', total: 1 };
    expect(found(signed({ sigFormat: 'application/jose', data: b64(compact) }, changed))).toEqual([
      ['error', 'BUNDLE_SIGNATURE_SIG_FAIL_CERT'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_BY'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_AT'],
      ['information', 'BUNDLE_SIGNATURE_SIGNED_FOR'],
      ['information', 'BUNDLE_SIGNATURE_CERT_DETAILS'],
      ['information', 'BUNDLE_SIGNATURE_CERT_SOURCE'],
    ]);
  });

  it('fails a signature cut short, rather than erring', async () => {
    const compact = detached(await jws({ x5c: [cert.der], sigT: WHEN }, CANONICAL));
    expect(rules(signed({ sigFormat: 'application/jose', data: b64(compact.slice(0, -8)) }))[0]).toBe('BUNDLE_SIGNATURE_SIG_FAIL_CERT');
  });

  it('reports an algorithm the certificate key cannot verify', async () => {
    const compact = detached(await jws({ x5c: [cert.der], sigT: WHEN }, CANONICAL));
    const header = JSON.parse(Buffer.from(compact.split('.')[0]!, 'base64url').toString()) as Obj;
    const forged = `${b64url(JSON.stringify({ ...header, alg: 'RS256' }))}..${compact.split('.')[2]}`;
    expect(rules(signed({ sigFormat: 'application/jose', data: b64(forged) }))).toEqual(['BUNDLE_SIGNATURE_SIG_ERROR']);
  });
});

describe('Bundle.signature: JWS headers', () => {
  const jose = async (header: Obj, signature: Obj = {}) => found(signed({ sigFormat: 'application/jose', data: b64(detached(await jws(header, CANONICAL))), ...signature }));

  it('reports a header that is not JSON', () => {
    expect(found(signed({ sigFormat: 'application/jose', data: b64(`${b64url('{not json')}..c2ln`) }))).toEqual([['error', 'BUNDLE_SIGNATURE_HEADER_PARSE']]);
  });

  it('wants a signing time in ISO form that agrees with Signature.when', async () => {
    const epoch = String(Date.parse(WHEN) / 1000);
    expect((await jose({ x5c: [cert.der], sigT: epoch })).slice(0, 2)).toEqual([['warning', 'BUNDLE_SIGNATURE_HEADER_SIG_TIME_WRONG_FORMAT'], ['information', 'BUNDLE_SIGNATURE_SIG_OK']]);
    expect((await jose({ x5c: [cert.der] }))[0]).toEqual(['warning', 'BUNDLE_SIGNATURE_HEADER_NO_SIG_TIME']);
    expect((await jose({ x5c: [cert.der], iat: Date.parse(WHEN) / 1000 }))[0]).toEqual(['information', 'BUNDLE_SIGNATURE_SIG_OK']);
    expect((await jose({ x5c: [cert.der], sigT: '2026-12-07T05:00:00Z' }))[0]).toEqual(['error', 'BUNDLE_SIGNATURE_HEADER_WHEN_MISMATCH']);
  });

  it('compares the canonicalization of the header and of targetFormat', async () => {
    const header = { x5c: [cert.der], sigT: WHEN, canon: 'http://hl7.org/fhir/canonicalization/json' };
    expect((await jose(header, { targetFormat: 'application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json#document' }))[0]).toEqual(['warning', 'BUNDLE_SIGNATURE_CANON_DIFF']);
    expect((await jose(header, { targetFormat: 'application/fhir+json;canonicalization' }))[0]).toEqual(['error', 'BUNDLE_SIGNATURE_CANON_ERROR']);
  });

  it('needs a certificate to verify with', async () => {
    expect(await jose({ x5c: [b64('not a certificate')], sigT: WHEN })).toEqual([['error', 'BUNDLE_SIGNATURE_HEADER_X509_ERROR'], ['information', 'BUNDLE_SIGNATURE_WHO_NOT_IN_CERT']]);
    expect(await jose({ kid: 'key-1', sigT: WHEN })).toEqual([['warning', 'BUNDLE_SIGNATURE_HEADER_CERT_NOT_FOUND'], ['information', 'BUNDLE_SIGNATURE_WHO_NOT_IN_CERT']]);
    expect(await jose({ sigT: WHEN }, { who: null })).toEqual([['warning', 'BUNDLE_SIGNATURE_HEADER_NO_KID_OR_CERT'], ['information', 'BUNDLE_SIGNATURE_WHO_NO_INFO']]);
  });

  it('compares Signature.who with the certificate subject', async () => {
    expect((await jose({ x5c: [cert.der], sigT: WHEN }, { who: { identifier: { value: 'CN=Someone Else' } } }))[0]).toEqual(['information', 'BUNDLE_SIGNATURE_WHO_MISMATCH']);
    expect((await jose({ x5c: [cert.der], sigT: WHEN }, { who: { reference: 'Practitioner/p1' } }))[0]).toEqual(['information', 'BUNDLE_SIGNATURE_WHO_RECOMMENDED']);
  });
});

describe('Bundle.signature: a JWS that carries its payload', () => {
  /** A JWS whose payload part is `payloadPart` as given, signed over exactly that. */
  const withPayload = (payloadPart: string) => {
    const head = b64url(JSON.stringify({ alg: 'ES256', x5c: [cert.der], sigT: WHEN }));
    const sig = sign('sha256', Buffer.from(`${head}.${payloadPart}`), { key: cert.privateKey, dsaEncoding: 'ieee-p1363' });
    return found(signed({ sigFormat: 'application/jose', data: b64(`${head}.${payloadPart}.${b64url(sig)}`) }));
  };

  it('warns that the signature should be detached, and verifies the payload that is the content', () => {
    expect(withPayload(b64url(CANONICAL)).slice(0, 2)).toEqual([['warning', 'BUNDLE_SIGNATURE_PAYLOAD_PRESENT'], ['information', 'BUNDLE_SIGNATURE_SIG_OK']]);
  });

  it('explains a failure by the payload signed', () => {
    const pretty = JSON.stringify(JSON.parse(CANONICAL), null, 2);
    expect(withPayload(b64url(pretty)).slice(1, 4).map((f) => f[1])).toEqual(['BUNDLE_SIGNATURE_SIG_FAIL_CERT', 'BUNDLE_SIGNATURE_PAYLOAD_MISMATCH', 'BUNDLE_SIGNATURE_PAYLOAD_JSON_MATCHES']);
    expect(withPayload(b64url('{"resourceType":"Bundle","type":"batch"}')).slice(1, 4).map((f) => f[1])).toEqual(['BUNDLE_SIGNATURE_SIG_FAIL_CERT', 'BUNDLE_SIGNATURE_PAYLOAD_MISMATCH', 'BUNDLE_SIGNATURE_PAYLOAD_JSON_NO_MATCH']);
    expect(withPayload(b64url('not json')).slice(1, 4).map((f) => f[1])).toEqual(['BUNDLE_SIGNATURE_SIG_FAIL_CERT', 'BUNDLE_SIGNATURE_PAYLOAD_MISMATCH', 'BUNDLE_SIGNATURE_PAYLOAD_INVALID_JSON']);
    expect(withPayload(Buffer.from(CANONICAL).toString('base64')).slice(1, 3).map((f) => f[1])).toEqual(['BUNDLE_SIGNATURE_SIG_FAIL_CERT', 'BUNDLE_SIGNATURE_PAYLOAD_BASE64_DIFF']);
  });
});

describe('Bundle.signature: XML digital signature structure', () => {
  const DS = 'http://www.w3.org/2000/09/xmldsig#';
  const ref = (uri: string, type = '') => `<Reference URI="${uri}"${type ? ` Type="${type}"` : ''}><Transforms><Transform Algorithm="http://hl7.org/fhir/canonicalization/xml"/></Transforms><DigestValue>AA==</DigestValue></Reference>`;
  const xmlSig = (o: { refs?: string[]; time?: string; cert?: string | null; value?: boolean }) =>
    `<Signature xmlns="${DS}"><SignedInfo>${(o.refs ?? [ref('#')]).join('')}</SignedInfo>${o.value === false ? '' : '<SignatureValue>AAAA</SignatureValue>'}` +
    `${o.cert === null ? '' : `<KeyInfo><X509Data><X509Certificate>${o.cert ?? cert.der}</X509Certificate></X509Data></KeyInfo>`}` +
    `${o.time ? `<Object><SignatureProperties><SignatureProperty><SigningTime>${o.time}</SigningTime></SignatureProperty></SignatureProperties></Object>` : ''}</Signature>`;
  const digsig = (xml: string, extra: Obj = {}) => found(signed({ sigFormat: 'application/pkcs7-signature', targetFormat: 'application/fhir+xml;canonicalization=http://hl7.org/fhir/canonicalization/xml', data: b64(xml), ...extra }));

  it('reports a signature that is not XML', () => {
    expect(digsig('<Signature><SignedInfo></Signature>')).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_INVALID']]);
  });

  it('checks the signing time, the certificate and the references', () => {
    expect(digsig(xmlSig({ time: WHEN }))).toEqual([]);
    expect(digsig(xmlSig({}))).toEqual([['warning', 'BUNDLE_SIGNATURE_DIGSIG_NO_SIG_TIME']]);
    expect(digsig(xmlSig({ time: '2026-01-01T00:00:00Z' }))).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_WHEN_MISMATCH']]);
    expect(digsig(xmlSig({ time: WHEN, cert: null }))).toEqual([['warning', 'BUNDLE_SIGNATURE_DIGSIG_NO_CERT'], ['information', 'BUNDLE_SIGNATURE_WHO_NOT_IN_CERT']]);
    expect(digsig(xmlSig({ time: WHEN, cert: b64('junk') }))).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_X509_ERROR'], ['information', 'BUNDLE_SIGNATURE_WHO_NOT_IN_CERT']]);
    expect(digsig(xmlSig({ time: WHEN, refs: [] }))).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_NO_REFERENCES']]);
    expect(digsig(xmlSig({ time: WHEN, refs: [ref('#'), ref('#'), ref('#')] }))).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_REFERENCES_TOO_MANY']]);
    expect(digsig(xmlSig({ time: WHEN, refs: [ref('#x'), ref('#sp', 'http://example.org/other')] }))).toEqual([
      ['error', 'BUNDLE_SIGNATURE_DIGSIG_REFERENCE_NOT_UNDERSTOOD'],
      ['error', 'BUNDLE_SIGNATURE_DIGSIG_REFERENCE_TYPE_NOT_UNDERSTOOD'],
    ]);
    expect(digsig(xmlSig({ time: WHEN, value: false }))).toEqual([['error', 'BUNDLE_SIGNATURE_DIGSIG_NO_SV']]);
  });
});
