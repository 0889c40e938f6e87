import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import { TlsConfigError } from './errors.js';

/** Bytes given directly, or a file to read them from. */
export type CredentialSource = { file: string } | { data: string | Buffer };

/**
 * The client side of mutual TLS. Give either `cert` + `key` (PEM; the key may
 * be encrypted) or `pfx` (PKCS#12), with `passphrase` when protected.
 * Server certificate verification is always on and cannot be turned off.
 */
export interface ClientTlsOptions {
  /** PEM client certificate, optionally followed by its intermediates. */
  cert?: CredentialSource;
  /** PEM private key (PKCS#8, PKCS#1 or SEC1, optionally encrypted). */
  key?: CredentialSource;
  /** PKCS#12 bundle holding certificate and key. */
  pfx?: CredentialSource;
  /** Passphrase of the key or the PKCS#12 bundle. Read it from a file or the environment, not a command line. */
  passphrase?: string;
  /** PEM bundle of CAs trusted for the server certificate; the platform's roots when absent. */
  ca?: CredentialSource;
  /** Clock for the certificate validity check (tests). */
  now?: () => Date;
}

/** Checked credentials, ready to build an agent from. */
export interface ClientCredentials {
  /** Subject of the client certificate (no key material). */
  subject: string;
  /** End of the client certificate's validity. */
  validTo: Date;
  /** Options for `tls`/`https`; contains the key: never log it. */
  readonly secureContextOptions: SecureContextOptions;
}

function describe(source: CredentialSource, what: string): string {
  return 'file' in source ? `${what} file ${source.file}` : `${what} given in memory`;
}

function readSource(source: CredentialSource, what: string): Buffer {
  if ('data' in source) return Buffer.isBuffer(source.data) ? source.data : Buffer.from(source.data, 'utf8');
  try {
    return readFileSync(source.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new TlsConfigError('FILE_UNREADABLE', `${describe(source, what)} cannot be read (${code})`);
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

function parseCertificates(pem: Buffer, source: CredentialSource, what: string, code: 'INVALID_CERTIFICATE' | 'INVALID_CA_BUNDLE'): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new TlsConfigError(code, `${describe(source, what)} holds no PEM certificate`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new TlsConfigError(code, `${describe(source, what)}: certificate ${i + 1} cannot be parsed`);
    }
  });
}

function parseKey(pem: Buffer, source: CredentialSource, passphrase: string | undefined): KeyObject {
  const encrypted = ENCRYPTED_PEM.test(pem.toString('utf8'));
  if (encrypted && passphrase === undefined) throw new TlsConfigError('WRONG_PASSPHRASE', `${describe(source, 'private key')} is encrypted and no passphrase was given`);
  try {
    return createPrivateKey(passphrase !== undefined && encrypted ? { key: pem, passphrase } : { key: pem });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (encrypted && (code === 'ERR_OSSL_BAD_DECRYPT' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED')) {
      throw new TlsConfigError('WRONG_PASSPHRASE', `wrong passphrase for ${describe(source, 'private key')}`);
    }
    throw new TlsConfigError('INVALID_KEY', `${describe(source, 'private key')} is not a readable private key`);
  }
}

function checkValidity(validFrom: Date, validTo: Date, subject: string, now: Date): void {
  if (now > validTo) throw new TlsConfigError('CLIENT_CERT_EXPIRED', `client certificate ${subject} expired on ${validTo.toISOString()}`);
  if (now < validFrom) throw new TlsConfigError('CLIENT_CERT_NOT_YET_VALID', `client certificate ${subject} is not valid before ${validFrom.toISOString()}`);
}

/** Reads the local certificate out of a secure context built from a PKCS#12 bundle. */
function pfxCertificate(options: SecureContextOptions): { subject: string; validFrom: Date; validTo: Date } {
  const socket = new TLSSocket(null as never, { secureContext: createSecureContext(options) });
  try {
    const cert = socket.getCertificate();
    if (!cert || !('valid_to' in cert)) throw new TlsConfigError('INVALID_PKCS12', 'PKCS#12 bundle holds no client certificate');
    const subject = Object.entries(cert.subject ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return { subject, validFrom: new Date(cert.valid_from), validTo: new Date(cert.valid_to) };
  } finally {
    socket.destroy();
  }
}

/**
 * Reads and checks the client credentials before any connection, so that a
 * missing file, a wrong passphrase, a key that does not match the
 * certificate or an expired certificate is reported by name.
 * @throws TlsConfigError
 */
export function loadClientCredentials(options: ClientTlsOptions): ClientCredentials {
  const now = (options.now ?? (() => new Date()))();
  const ca = options.ca ? readSource(options.ca, 'CA bundle') : undefined;
  if (ca && options.ca) parseCertificates(ca, options.ca, 'CA bundle', 'INVALID_CA_BUNDLE');
  const base: SecureContextOptions = ca ? { ca } : {};

  if (options.pfx) {
    if (options.cert || options.key) throw new TlsConfigError('MISSING_CREDENTIALS', 'give either a PKCS#12 bundle or a PEM certificate and key, not both');
    const pfx = readSource(options.pfx, 'PKCS#12 bundle');
    const secureContextOptions: SecureContextOptions = { ...base, pfx, ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}) };
    let info: ReturnType<typeof pfxCertificate>;
    try {
      info = pfxCertificate(secureContextOptions);
    } catch (e) {
      if (e instanceof TlsConfigError) throw e;
      const message = (e as Error).message ?? '';
      if (/mac verify failure|bad decrypt/i.test(message)) throw new TlsConfigError('WRONG_PASSPHRASE', `wrong passphrase for ${describe(options.pfx, 'PKCS#12 bundle')}`);
      if ((e as NodeJS.ErrnoException).code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH') {
        throw new TlsConfigError('KEY_CERT_MISMATCH', `the key in ${describe(options.pfx, 'PKCS#12 bundle')} does not match its certificate`);
      }
      throw new TlsConfigError('INVALID_PKCS12', `${describe(options.pfx, 'PKCS#12 bundle')} is not a readable PKCS#12 bundle`);
    }
    checkValidity(info.validFrom, info.validTo, info.subject, now);
    return { subject: info.subject, validTo: info.validTo, secureContextOptions };
  }

  if (!options.cert || !options.key) throw new TlsConfigError('MISSING_CREDENTIALS', 'a client certificate and its private key (or a PKCS#12 bundle) are required for mutual TLS');
  const certPem = readSource(options.cert, 'client certificate');
  const keyPem = readSource(options.key, 'private key');
  const [leaf] = parseCertificates(certPem, options.cert, 'client certificate', 'INVALID_CERTIFICATE');
  const key = parseKey(keyPem, options.key, options.passphrase);
  if (!leaf!.checkPrivateKey(key)) {
    throw new TlsConfigError('KEY_CERT_MISMATCH', `${describe(options.key, 'private key')} does not match ${describe(options.cert, 'client certificate')}`);
  }
  const validTo = new Date(leaf!.validTo);
  checkValidity(new Date(leaf!.validFrom), validTo, leaf!.subject.replace(/\n/g, ', '), now);
  // The decrypted key object goes to TLS, so the passphrase is not kept around.
  return {
    subject: leaf!.subject.replace(/\n/g, ', '),
    validTo,
    secureContextOptions: { ...base, cert: certPem, key: key.export({ format: 'pem', type: 'pkcs8' }) },
  };
}
