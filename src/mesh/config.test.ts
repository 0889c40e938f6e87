import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMeshConfig } from './config.js';
import { MeshConfigError } from './errors.js';

describe('loadMeshConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mesh-config-'));
  writeFileSync(path.join(dir, 'pw'), 'file-password\n');
  writeFileSync(path.join(dir, 'key'), 'file-key');
  writeFileSync(path.join(dir, 'cert.pem'), 'CERT');
  const file = path.join(dir, 'mesh.json');
  writeFileSync(file, JSON.stringify({ baseUrl: 'https://mesh.example', mailboxId: 'X1', passwordFile: 'pw', sharedKeyFile: 'key', apiVersion: 1 }));

  it('reads secrets from files relative to the config, with flags over env over file', () => {
    const loaded = loadMeshConfig(file, { MESH_MAILBOX_ID: 'ENVBOX' }, { baseUrl: 'https://flag.example' });
    expect(loaded.client).toMatchObject({ baseUrl: 'https://flag.example', mailboxId: 'ENVBOX', mailboxPassword: 'file-password', sharedKey: 'file-key', apiVersion: 1 });
  });

  it('needs both halves of the client certificate pair', () => {
    expect(() => loadMeshConfig(file, { MESH_CLIENT_CERT: path.join(dir, 'cert.pem') })).toThrow(/both a client certificate and its key/);
  });

  it('names unreadable files and bad versions without leaking values', () => {
    expect(() => loadMeshConfig(path.join(dir, 'missing.json'), {})).toThrow(MeshConfigError);
    expect(() => loadMeshConfig(file, { MESH_API_VERSION: '3' })).toThrow(/1 or 2/);
  });
});
