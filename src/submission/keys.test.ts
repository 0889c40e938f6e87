import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { submissionConfigFromEnv, createSubmissionClient } from './config.js';
import { resolveEndpoints } from './environments.js';
import { KeyError, SubmissionError } from './errors.js';
import { loadPrivateKey } from './keys.js';

const dir = mkdtempSync(join(tmpdir(), 'ads-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();

describe('loadPrivateKey', () => {
  it('reads a PKCS#1 PEM file (as ssh-keygen -m PEM writes it)', () => {
    writeFileSync(join(dir, 'k.pem'), pkcs1, { mode: 0o600 });
    expect(loadPrivateKey({ file: join(dir, 'k.pem') }).asymmetricKeyType).toBe('rsa');
  });

  it('reads PEM text from an environment variable, with literal \\n sequences', () => {
    const key = loadPrivateKey({ env: 'KEY', environment: { KEY: pkcs1.replace(/\n/g, '\\n') } });
    expect(key.type).toBe('private');
  });

  it('names the source and never the content when it fails', () => {
    const broken = pkcs1.slice(0, 300);
    const error = (() => {
      try {
        loadPrivateKey({ env: 'KEY', environment: { KEY: broken } });
      } catch (e) {
        return e as KeyError;
      }
    })()!;
    expect(error).toBeInstanceOf(KeyError);
    expect(error.message).toBe('the private key from environment variable KEY is not a readable PEM private key');
    expect(() => loadPrivateKey({ file: join(dir, 'missing.pem') })).toThrow(/cannot read the private key file .*ENOENT/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => loadPrivateKey({ pem: ec })).toThrow('is ec, RS512 needs RSA');
  });
});

describe('environments and configuration', () => {
  it('resolves the published environments and local', () => {
    expect(resolveEndpoints('integration')).toEqual({
      baseUrl: 'https://int.api.service.nhs.uk/ambulance-data-submission',
      tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
      requiresAuth: true,
    });
    expect(resolveEndpoints('sandbox').requiresAuth).toBe(false);
    expect(resolveEndpoints('production').baseUrl).toBe('https://api.service.nhs.uk/ambulance-data-submission');
    expect(resolveEndpoints('local', { baseUrl: 'http://127.0.0.1:9000/x/' }).baseUrl).toBe('http://127.0.0.1:9000/x');
    expect(() => resolveEndpoints('local')).toThrow(/base URL/);
  });

  it('reads ADS_* variables and refuses bad ones with a typed error', () => {
    const config = submissionConfigFromEnv({ ADS_ENVIRONMENT: 'integration', ADS_API_KEY: 'k', ADS_KID: 'kid', ADS_PATH: 'submission' });
    expect(config).toMatchObject({ environment: 'integration', apiKey: 'k', kid: 'kid', path: 'submission' });
    expect(() => submissionConfigFromEnv({ ADS_ENVIRONMENT: 'staging' })).toThrow(SubmissionError);
    expect(() => submissionConfigFromEnv({ ADS_RATE_LIMIT: '-1' })).toThrow(/ADS_RATE_LIMIT/);
  });

  it('needs credentials for integration and production, none for the sandbox', () => {
    expect(() => createSubmissionClient({ environment: 'integration' })).toThrow(/needs an API key/);
    expect(createSubmissionClient({ environment: 'sandbox' }).endpoint).toBe(
      'https://sandbox.api.service.nhs.uk/ambulance-data-submission/$process-message',
    );
    expect(createSubmissionClient({ environment: 'sandbox', path: 'submission' }).endpoint).toMatch(/\/submission$/);
  });
});
