/**
 * Attachment rules (the reference validator's checkAttachment): the stated size and SHA-1 hash against the
 * decoded data, base64 that does not decode, the element's maxSize, and attachments that say nothing.
 * Payloads of our own, through the public validation service and, for maxSize, a profile of our own.
 */
import { createHash } from 'node:crypto';
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { createValidationService, type ValidationService } from '../src/validation/index.js';
import { generateSnapshot } from '../src/packages/index.js';
import type { CanonicalResource } from '../src/packages/types.js';
import { Validator } from '../src/validation/validator.js';
import { coreResources, MemoryResolver } from './support/memory-resolver.js';

const text = 'Handover notes: patient stable.';
const data = Buffer.from(text).toString('base64');
const sha1 = createHash('sha1').update(text).digest('base64');

const media = (content: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Media', status: 'completed', content });
const AT = 'Media.content';

let service: ValidationService;
beforeAll(async () => {
  service = await createValidationService();
});

/** rule@location of every error and warning the public service reports. */
function found(resource: unknown): string[][] {
  return service.validator
    .validateToIssues(resource)
    .filter((i) => i.severity === 'error' || i.severity === 'warning')
    .map((i) => [i.severity, i.rule, i.expression]);
}

describe('Attachment size and hash against the data', () => {
  it('accepts data whose stated size and hash are right', () => {
    expect(found(media({ contentType: 'text/plain', data, size: text.length, hash: sha1 }))).toEqual([]);
  });

  it('reports a stated size that differs from the decoded data', () => {
    expect(found(media({ contentType: 'text/plain', data, size: text.length + 1 }))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_CORRECT', AT]]);
  });

  it('reports a hash that is not the SHA-1 of the data', () => {
    const other = createHash('sha1').update('something else').digest('base64');
    expect(found(media({ contentType: 'text/plain', data, hash: other }))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_HASH_MISMATCH', AT]]);
  });

  it('reports a hash that is not base64 at all', () => {
    expect(found(media({ contentType: 'text/plain', data, hash: 'not*base64' })).filter((f) => f[1]!.includes('ATT_'))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', AT]]);
  });

  it('reports data that passes the coarse base64 test but does not decode strictly (line breaks, bad padding)', () => {
    const wrapped = `${data.slice(0, 20)}\n${data.slice(20)}`;
    expect(found(media({ contentType: 'text/plain', data: wrapped, size: text.length })).filter((f) => f[1]!.includes('ATT_'))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', AT]]);
    expect(found(media({ contentType: 'text/plain', data: 'QQ=A' })).filter((f) => f[1]!.includes('ATT_'))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_B64_DECODE_FAIL', AT]]);
  });

  it('checks size and hash of data of every length against the decoded bytes, and leaves data the coarse test refuses to that test', () => {
    for (const plain of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'Handover']) {
      const encoded = Buffer.from(plain).toString('base64');
      const hash = createHash('sha1').update(plain).digest('base64');
      // Padded, and without its padding: the strict decoder takes both, the coarse test only a multiple of 4.
      for (const form of new Set([encoded, encoded.replace(/=+$/, '')])) {
        if (form === '') continue;
        const coarse = form.length % 4 === 0;
        const right = found(media({ contentType: 'text/plain', data: form, size: plain.length, hash })).filter((f) => f[1]!.includes('ATT_'));
        const wrong = found(media({ contentType: 'text/plain', data: form, size: plain.length + 1, hash: sha1 })).map((f) => f[1]).filter((r) => r!.includes('ATT_'));
        expect(right, form).toEqual([]);
        expect(wrong, form).toEqual(coarse ? ['TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_CORRECT', 'TYPE_SPECIFIC_CHECKS_DT_ATT_HASH_MISMATCH'] : []);
      }
    }
  });

  it('reports a size that is not a whole number of bytes', () => {
    expect(found(media({ contentType: 'text/plain', data, size: 2.5 })).filter((f) => f[1]!.includes('ATT_'))).toEqual([['error', 'TYPE_SPECIFIC_CHECKS_DT_ATT_SIZE_INVALID', AT]]);
  });

  it('does not check size or hash against a url it cannot fetch offline', () => {
    expect(found(media({ contentType: 'text/plain', url: 'https://example.org/notes.txt', size: 12, hash: sha1 }))).toEqual([]);
  });

  it('warns about an attachment with neither content nor what it would be', () => {
    expect(found(media({ title: 'notes' }))).toEqual([['warning', 'TYPE_SPECIFIC_CHECKS_DT_ATT_NO_CONTENT', AT]]);
  });
});

describe('maxSize on an Attachment element', () => {
  it('reports data larger than the profile allows', () => {
    const url = 'http://example.org/StructureDefinition/small-media';
    const resolver = new MemoryResolver(coreResources());
    const sd = {
      resourceType: 'StructureDefinition', url, name: 'SmallMedia', status: 'draft', kind: 'resource', abstract: false, type: 'Media',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Media', derivation: 'constraint',
      differential: { element: [{ id: 'Media.content', path: 'Media.content', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/maxSize', valueDecimal: 10 }] } as ElementDefinition] },
    } as StructureDefinition;
    resolver.add({ ...sd, snapshot: { element: generateSnapshot(sd, resolver.structureDefinition('Media')!, resolver) } } as CanonicalResource);
    const issues = new Validator(resolver).validateToIssues(media({ contentType: 'text/plain', data }), { profiles: [url] });
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.rule, i.expression])).toEqual([['TYPE_SPECIFIC_CHECKS_DT_ATT_TOO_LONG', AT]]);
  });
});
