import { describe, expect, it } from 'vitest';
import { acceptedUnseen } from './extension-domains.js';

describe('extensions accepted without their definition', () => {
  it('accepts HL7 extension pack, tools, test and example.org URLs, and the domains a caller allows', () => {
    expect(acceptedUnseen('http://hl7.org/fhir/StructureDefinition/organization-brand', [])).toBe(true);
    expect(acceptedUnseen('http://hl7.org/fhir/tools/StructureDefinition/binding-parameter', [])).toBe(true);
    expect(acceptedUnseen('http://example.org/ext', [])).toBe(true);
    expect(acceptedUnseen('https://trust.example.nhs.uk/ext/a', ['https://trust.example.nhs.uk/'])).toBe(true);
  });

  it('refuses implementation-guide extensions and the core spelling of obligation-profile', () => {
    expect(acceptedUnseen('http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-launchContext', [])).toBe(false);
    expect(acceptedUnseen('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', [])).toBe(false);
    expect(acceptedUnseen('http://hl7.org/fhir/StructureDefinition/obligation-profile', [])).toBe(false);
  });
});
