import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths of a certificate and its key. */
export interface CertFiles {
  cert: string;
  key: string;
}

/** Everything the mutual TLS tests need, created with the openssl CLI at test time. */
export interface TestPki {
  ca: CertFiles;
  otherCa: CertFiles;
  server: CertFiles;
  serverWrongHost: CertFiles;
  serverOtherCa: CertFiles;
  client: CertFiles;
  clientOtherCa: CertFiles;
  clientExpired: CertFiles;
  /** The client key encrypted with {@link TestPki.passphrase}. */
  clientEncryptedKey: string;
  /** The client certificate and key as PKCS#12, protected by {@link TestPki.passphrase}. */
  clientPfx: string;
  /** A key that matches no certificate. */
  strayKey: string;
  passphrase: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(path: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
}

function makeCa(dir: string, name: string): CertFiles {
  const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  newKey(files.key);
  openssl(['req', '-x509', '-new', '-key', files.key, '-out', files.cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return files;
}

function issue(dir: string, name: string, ca: CertFiles, ext: string, days: number): CertFiles {
  const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  newKey(files.key);
  writeFileSync(extFile, `${ext}\nbasicConstraints=CA:FALSE\n`);
  openssl(['req', '-new', '-key', files.key, '-out', csr, '-subj', `/CN=${name}`]);
  // A negative day count puts notAfter in the past: an expired certificate.
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', files.cert, '-days', String(days), '-extfile', extFile]);
  return files;
}

/** Creates a fresh test PKI in `dir` (a temporary folder owned by the test). */
export function createTestPki(dir: string): TestPki {
  const passphrase = 'test-passphrase-7Qv';
  const ca = makeCa(dir, 'test-ca');
  const otherCa = makeCa(dir, 'other-ca');
  const serverExt = 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth';
  const clientExt = 'extendedKeyUsage=clientAuth';
  const client = issue(dir, 'client', ca, clientExt, 2);
  const clientEncryptedKey = join(dir, 'client-encrypted.key');
  openssl(['pkey', '-in', client.key, '-aes256', '-passout', `pass:${passphrase}`, '-out', clientEncryptedKey]);
  const clientPfx = join(dir, 'client.p12');
  openssl(['pkcs12', '-export', '-in', client.cert, '-inkey', client.key, '-out', clientPfx, '-passout', `pass:${passphrase}`]);
  const strayKey = join(dir, 'stray.key');
  newKey(strayKey);
  return {
    ca,
    otherCa,
    server: issue(dir, 'server', ca, serverExt, 2),
    serverWrongHost: issue(dir, 'server-wrong-host', ca, 'subjectAltName=DNS:wrong-host.invalid\nextendedKeyUsage=serverAuth', 2),
    serverOtherCa: issue(dir, 'server-other-ca', otherCa, serverExt, 2),
    client,
    clientOtherCa: issue(dir, 'client-other-ca', otherCa, clientExt, 2),
    clientExpired: issue(dir, 'client-expired', ca, clientExt, -1),
    clientEncryptedKey,
    clientPfx,
    strayKey,
    passphrase,
  };
}
