import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RedactedError } from './errors.js';
import { excerpt, redact, registerSecret } from './redact.js';

describe('redact', () => {
  it('removes PEM blocks, JWTs, bearer tokens and form secrets', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const jwt = 'eyJhbGciOiJSUzUxMiJ9.eyJpc3MiOiJrZXkifQ.c2lnbmF0dXJl';
    const text = `key ${pem} jwt ${jwt} header Bearer abc.def-123 form client_assertion=${jwt}&x=1 {"access_token":"tok123456"}`;
    const out = redact(text);
    expect(out).not.toContain('PRIVATE KEY-----\n');
    expect(out).not.toContain(pem.split('\n')[1]!);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('abc.def-123');
    expect(out).not.toContain('tok123456');
  });

  it('hides registered secrets in error messages', () => {
    registerSecret('opaque-token-value-42');
    const error = new RedactedError('failed with opaque-token-value-42 in it');
    expect(error.message).toBe('failed with [REDACTED] in it');
  });

  it('shortens server text to one line', () => {
    expect(excerpt('a\n\nb'.repeat(200), 20)).toHaveLength(21);
  });
});
