import { describe, expect, it } from 'vitest';
import { TransportError } from './errors.js';
import { classifyTransportError } from './transport.js';

const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('classifyTransportError', () => {
  it('names certificate, host name and protocol failures as permanent', () => {
    expect(classifyTransportError(err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'h')).toMatchObject({ code: 'SERVER_CERT_UNTRUSTED', retryable: false });
    expect(classifyTransportError(err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'h').code).toBe('SERVER_CERT_UNTRUSTED');
    expect(classifyTransportError(err('CERT_HAS_EXPIRED'), 'h').code).toBe('SERVER_CERT_EXPIRED');
    expect(classifyTransportError(err('ERR_TLS_CERT_ALTNAME_INVALID'), 'h')).toMatchObject({ code: 'HOSTNAME_MISMATCH', retryable: false });
    expect(classifyTransportError(err('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), 'h').code).toBe('TLS_PROTOCOL_TOO_OLD');
    expect(classifyTransportError(err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'h').code).toBe('CLIENT_CERT_REFUSED');
    expect(classifyTransportError(err('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'), 'h').code).toBe('CLIENT_CERT_REFUSED');
  });

  it('reads the alert out of an EPROTO error without echoing its text', () => {
    const e = classifyTransportError(err('EPROTO', 'write EPROTO 80:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../x.c:1601'), 'h');
    expect(e.code).toBe('TLS_PROTOCOL_TOO_OLD');
    expect(e.message).not.toContain('ssl3_read_bytes');
    expect(classifyTransportError(err('EPROTO', 'SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:x'), 'h').code).toBe('CLIENT_CERT_REFUSED');
    expect(classifyTransportError(err('EPROTO', 'SSL routines::unsupported protocol'), 'h').code).toBe('TLS_PROTOCOL_TOO_OLD');
  });

  it('treats network failures as retryable and hints at a refused certificate on a reset before any answer', () => {
    expect(classifyTransportError(err('ECONNREFUSED'), 'h')).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(classifyTransportError(err('ECONNRESET'), 'h', 'done').message).toMatch(/client certificate/);
    expect(classifyTransportError(err('ECONNRESET'), 'h', 'answered').message).not.toMatch(/client certificate/);
    expect(classifyTransportError(new Error('odd'), 'h')).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('passes typed errors through', () => {
    const t = new TransportError('TIMEOUT', 'slow', true);
    expect(classifyTransportError(t, 'h')).toBe(t);
  });
});
