/**
 * The signing certificate of a digital signature, read with node:crypto: the names it gives its subject
 * (to compare with Signature.who), and the details the reference validator reports about it.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

export interface SigningCertificate {
  /** The subject as RFC 2253 writes it (most specific part first, comma separated), as Java's getName() does. */
  subject: string;
  issuer: string;
  /** Serial number in upper-case hex without leading zeros. */
  serial: string;
  /** Every name the subject goes by: the distinguished name in its written forms, and URI alternative names. */
  names: Set<string>;
  publicKey: KeyObject;
  /** The certificate as PEM on one line. */
  pemLine: string;
}

/** Reads a DER certificate (base64, as x5c and X509Certificate carry it). Throws when it is not one. */
export function readCertificate(base64Der: string): SigningCertificate {
  const der = Buffer.from(base64Der.replace(/\s+/g, ''), 'base64');
  const cert = new X509Certificate(der);
  const parts = dnParts(cert.subject);
  const subject = parts.slice().reverse().join(',');
  const names = new Set<string>([subject, parts.slice().reverse().join(', '), subject.toLowerCase()]);
  for (const m of (cert.subjectAltName ?? '').matchAll(/(?:^|,\s*)URI:([^,]+)/g)) names.add(m[1]!.trim());
  return {
    subject,
    issuer: dnParts(cert.issuer).reverse().join(','),
    serial: cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, ''),
    names,
    publicKey: cert.publicKey,
    pemLine: `-----BEGIN CERTIFICATE-----${der.toString('base64')}-----END CERTIFICATE-----`,
  };
}

/** node:crypto writes a distinguished name one attribute a line, in the certificate's order. */
function dnParts(dn: string): string[] {
  return dn.split('\n').map((s) => s.trim()).filter((s) => s !== '');
}
