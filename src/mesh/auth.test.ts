import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithShared } from '../../test/support/shared.js';
import {
  buildMeshAuthHeader,
  formatMeshTimestamp,
  MeshTokenGenerator,
  parseMeshAuthHeader,
  parseMeshTimestamp,
  verifyMeshAuthHash,
} from './auth.js';


interface Vector {
  mailbox_id: string;
  mailbox_password: string;
  shared_key: string;
  nonce: string;
  nonce_count: string;
  timestamp: string;
  expected_authorization: string;
}

describeWithShared('NHSMESH authorization header', ['apis', 'specs', 'mesh-auth-test-vector.json'], (vectorFile) => {
  const vector = JSON.parse(readFileSync(vectorFile, 'utf8')) as Vector;

  it('reproduces the published test vector exactly', () => {
    const header = buildMeshAuthHeader({
      mailboxId: vector.mailbox_id,
      mailboxPassword: vector.mailbox_password,
      sharedKey: vector.shared_key,
      nonce: vector.nonce,
      nonceCount: vector.nonce_count,
      timestamp: vector.timestamp,
    });
    expect(header).toBe(vector.expected_authorization);
  });

  it('parses the vector and verifies its hash only with the right secrets', () => {
    const token = parseMeshAuthHeader(vector.expected_authorization);
    expect(token).toMatchObject({ mailboxId: 'X26', nonceCount: '1', timestamp: '202210241155' });
    expect(verifyMeshAuthHash(token!, vector.mailbox_password, vector.shared_key)).toBe(true);
    expect(verifyMeshAuthHash(token!, 'wrong', vector.shared_key)).toBe(false);
    expect(verifyMeshAuthHash(token!, vector.mailbox_password, 'wrong')).toBe(false);
    // Hash comparison is case-insensitive, as the reference sandbox does.
    const upper = { ...token!, hash: token!.hash.toUpperCase() };
    expect(verifyMeshAuthHash(upper, vector.mailbox_password, vector.shared_key)).toBe(true);
  });

  it('rejects malformed headers', () => {
    const good = vector.expected_authorization;
    expect(parseMeshAuthHeader(undefined)).toBeUndefined();
    expect(parseMeshAuthHeader(good.replace('NHSMESH ', 'NHSMESH'))).toBeUndefined();
    expect(parseMeshAuthHeader(good.replace('NHSMESH ', 'NHSMESH:'))).toBeUndefined();
    expect(parseMeshAuthHeader(good.replace(':1:', ':one:'))).toBeUndefined();
    expect(parseMeshAuthHeader(good.replace(':202210241155:', ':2022102411:'))).toBeUndefined();
    expect(parseMeshAuthHeader(`${good}:extra`)).toBeUndefined();
  });

  it('formats and parses the 12-digit UTC timestamp', () => {
    const d = new Date(Date.UTC(2022, 9, 24, 11, 55, 42));
    expect(formatMeshTimestamp(d)).toBe('202210241155');
    expect(parseMeshTimestamp('202210241155')?.toISOString()).toBe('2022-10-24T11:55:00.000Z');
    expect(parseMeshTimestamp('202213241155')).toBeUndefined();
  });

  it('mints a distinct token per request by incrementing nonce_count', () => {
    const gen = new MeshTokenGenerator(
      { mailboxId: 'X26', mailboxPassword: 'testing', sharedKey: 'SharedKey' },
      () => new Date(Date.UTC(2022, 9, 24, 11, 55)),
      () => vector.nonce,
    );
    expect(gen.next()).toBe(vector.expected_authorization);
    const second = parseMeshAuthHeader(gen.next());
    expect(second?.nonceCount).toBe('2');
  });
});
