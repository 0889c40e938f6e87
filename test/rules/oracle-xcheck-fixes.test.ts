/**
 * False positives found by the conformance cross-check against the HL7 Java validator (`npm run oracle:xcheck`,
 * docs/oracle.md): each fixed by the reference's own rule, and asserted here with payloads of our own, by rule id,
 * through createValidationService.
 */
import { describe, expect, it } from 'vitest';
import { CORE, found, service } from './helpers.js';

const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/** An extension definition whose snapshot says Extension.url is a uri the way the R4 core snapshots do. */
function extensionDefinition(urlType: Record<string, unknown>): Record<string, unknown> {
  const url = 'http://example.org/StructureDefinition/ext';
  return {
    resourceType: 'StructureDefinition', url, name: 'Ext', status: 'draft', kind: 'complex-type', abstract: false, type: 'Extension',
    context: [{ type: 'element', expression: 'Patient' }], baseDefinition: `${CORE}Extension`, derivation: 'constraint',
    snapshot: {
      element: [
        { id: 'Extension', path: 'Extension', min: 0, max: '*' },
        { id: 'Extension.url', path: 'Extension.url', min: 1, max: '1', type: [urlType], fixedUri: url },
        { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 0, max: '1', type: [{ code: 'string' }] },
      ],
    },
    differential: { element: [{ id: 'Extension', path: 'Extension' }, { id: 'Extension.url', path: 'Extension.url', fixedUri: url }] },
  };
}

describe('SD_VALUE_TYPE_IILEGAL reads the type as the reference does', () => {
  it('a fixed uri on an element typed System.String with the fhir-type extension saying uri is of an allowed type', async () => {
    const sd = extensionDefinition({ extension: [{ url: FHIR_TYPE, valueUrl: 'uri' }], code: 'http://hl7.org/fhirpath/System.String' });
    expect(found((await service()).validate(sd), ['SD_VALUE_TYPE_IILEGAL'])).toEqual([]);
  });

  it('without the extension, the same fixed uri is not of the element type', async () => {
    const sd = extensionDefinition({ code: 'http://hl7.org/fhirpath/System.String' });
    expect(found((await service()).validate(sd), ['SD_VALUE_TYPE_IILEGAL'])).toEqual([
      { severity: 'error', rule: 'SD_VALUE_TYPE_IILEGAL', at: 'StructureDefinition.snapshot.element[1].fixed.ofType(uri)' },
    ]);
  });
});
