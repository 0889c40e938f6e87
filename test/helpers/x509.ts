/**
 * Self-signed X.509 certificates made at test time with node:crypto alone (a minimal DER encoder), so that
 * signature tests need no committed keys and no openssl binary.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const integer = (b: Buffer) => tlv(0x02, (b[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), b]) : b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function name(parts: [string, string][]): Buffer {
  const OIDS: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11' };
  return seq(...parts.map(([k, v]) => set(seq(oid(OIDS[k]!), utf8(v)))));
}

export interface TestCertificate {
  /** The certificate, DER in base64 (as x5c and XML DigSig carry it). */
  der: string;
  privateKey: KeyObject;
}

/** A self-signed certificate for a new EC P-256 (or RSA 2048) key; `subject` in certificate order, `uri` as a subject alternative name. */
export function selfSignedCertificate(options: { subject: [string, string][]; uri?: string; rsa?: boolean }): TestCertificate {
  const { privateKey, publicKey } = options.rsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const algId = options.rsa ? seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00])) : seq(oid('1.2.840.10045.4.3.2'));
  const dn = name(options.subject);
  const now = Date.now();
  // DER wants an integer in its fewest bytes: a serial starting with a zero byte (one in 256) would be refused by
  // the certificate parser and fail the test that happened to draw it. First byte 0x01-0x7f: positive and minimal.
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const extensions = options.uri ? [tlv(0xa3, seq(seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0x86, Buffer.from(options.uri, 'ascii')))))))] : [];
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algId,
    dn,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 86_400_000))),
    dn,
    publicKey.export({ type: 'spki', format: 'der' }),
    ...extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, algId, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return { der: cert.toString('base64'), privateKey };
}
