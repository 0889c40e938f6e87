import { describe, expect, it } from 'vitest';
import { checksumMatches, contentChecksum, parseChunkRange, readMessageMetadata, splitIntoChunks } from './message.js';

describe('MESH message helpers', () => {
  it('parses chunk ranges and rejects nonsense', () => {
    expect(parseChunkRange('2:5')).toEqual({ chunk: 2, total: 5 });
    expect(parseChunkRange(' 1 : 1 ')).toEqual({ chunk: 1, total: 1 });
    for (const bad of ['0:1', '3:2', '1', 'a:b', '', undefined]) expect(parseChunkRange(bad)).toBeUndefined();
  });

  it('reads REPORT metadata from headers', () => {
    const meta = readMessageMetadata('X', {
      'mex-messagetype': 'REPORT',
      'mex-linkedmsgid': 'L',
      'mex-statuscode': '14',
      'mex-chunk-range': '1:1',
      'mex-subject': '',
      'content-type': 'application/octet-stream',
    });
    expect(meta).toMatchObject({ messageId: 'X', messageType: 'REPORT', linkedMessageId: 'L', statusCode: '14', totalChunks: 1 });
    expect(meta.subject).toBeUndefined();
    expect(meta.contentType).toBeUndefined();
  });

  it('checks md5 and sha256 checksums and ignores unknown forms', () => {
    const data = Buffer.from('hello');
    expect(contentChecksum(data)).toBe('md5:5d41402abc4b2a76b9719d911017c592');
    expect(checksumMatches('5D41402ABC4B2A76B9719D911017C592', data)).toBe(true);
    expect(checksumMatches('sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824', data)).toBe(true);
    expect(checksumMatches('md5:00000000000000000000000000000000', data)).toBe(false);
    expect(checksumMatches('crc32:1234', data)).toBeUndefined();
  });

  it('splits into chunks of at most the given size', () => {
    expect(splitIntoChunks(Buffer.alloc(0), 10)).toHaveLength(1);
    expect(splitIntoChunks(Buffer.alloc(25), 10).map((c) => c.length)).toEqual([10, 10, 5]);
    expect(splitIntoChunks(Buffer.alloc(20), 10).map((c) => c.length)).toEqual([10, 10]);
  });
});
