/**
 * The oracle's generator and scoring, on payloads of our own: variants are reproducible from (seed, index), each
 * mutation family changes what it says it changes, and L1/L2 follow the suite's definitions.
 */
import type { CodeSystem, ValueSet } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { PackageStore, bundledPackage } from '../../src/packages/index.js';
import { FAMILIES, familyByName } from '../../tools/oracle/families/index.js';
import { familyNames, generateVariant, type GeneratorInput } from '../../tools/oracle/generate.js';
import { createRng } from '../../tools/oracle/prng.js';
import { difference, levelOf, locationKey, score } from '../../tools/oracle/score.js';
import type { Seed } from '../../tools/oracle/seeds.js';
import { walkResource, type JsonObject } from '../../tools/oracle/sites.js';
import { serverDependence } from '../../tools/oracle/terminology-scope.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

function patient(): JsonObject {
  return {
    resourceType: 'Patient',
    id: 'p1',
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">A patient</div>' },
    identifier: [{ system: NHS, value: '9434765919' }],
    name: [{ family: 'Smith', given: ['Jo'] }],
    gender: 'female',
    birthDate: '1980-02-03',
    contact: [{ name: { family: 'Smith' }, period: { start: '2020-01-01' } }],
    contained: [{ resourceType: 'Organization', id: 'o1', name: 'GP' }],
    managingOrganization: { reference: '#o1' },
  };
}

function observation(): JsonObject {
  return {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: 'Patient/p1' },
    valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    extension: [{ url: 'http://example.org/fhir/StructureDefinition/e', valueString: 'x' }],
  };
}

function bundle(): JsonObject {
  const p = patient();
  delete p.meta;
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: p },
      { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002', resource: { ...observation(), subject: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' } } },
    ],
  };
}

describe('oracle generator', () => {
  let store: PackageStore;
  beforeAll(async () => {
    store = await PackageStore.create({ packages: [bundledPackage('ads')] });
  });

  it('makes the same variant from the same (seed, index), and others from other indexes', () => {
    const seeds = new Map<Seed['group'], Seed[]>([['r4-examples', [patient(), observation(), bundle()].map((resource, i) => ({ source: `own/${i}`, group: 'r4-examples' as const, resource }))]]);
    const input: GeneratorInput = { seeds, defs: store };
    const names = familyNames();
    const texts = new Set<string>();
    for (let i = 0; i < names.length; i++) {
      const a = generateVariant(5, i, input);
      const b = generateVariant(5, i, input);
      expect(a).toEqual(b);
      if (a) {
        expect(a.family).toBe(names[i]);
        texts.add(a.text);
      }
    }
    expect(texts.size).toBeGreaterThan(names.length - 3);
    expect(generateVariant(6, 3, input)?.text).not.toBe(generateVariant(5, 3, input)?.text);
  });

  it.each(FAMILIES.filter((f) => f.name !== 'unmutated').map((f) => f.name))('%s changes a payload it applies to', (name) => {
    const family = familyByName(name);
    let changed = 0;
    for (const make of [patient, observation, bundle]) {
      for (let k = 0; k < 6; k++) {
        const resource = make();
        const before = JSON.stringify(resource);
        const said = family?.apply({ resource, rng: createRng(`${name}:${k}`), defs: store, walk: walkResource(resource, store) });
        if (said) {
          expect(JSON.stringify(resource)).not.toBe(before);
          changed++;
        } else expect(JSON.stringify(resource)).toBe(before);
      }
    }
    expect(changed).toBeGreaterThan(0);
  });

  it('walks a resource with its core definitions (choice types, contained, bundle entries)', () => {
    const walk = walkResource(bundle(), store);
    const paths = walk.sites.map((s) => `${s.instancePath}:${s.type}`);
    expect(paths).toContain('Bundle.entry[1].resource.valueQuantity:Quantity');
    expect(paths).toContain('Bundle.entry[0].resource.contained[0].name:string');
    expect(walk.sites.find((s) => s.instancePath === 'Bundle.type')?.def.min).toBe(1);
  });
});

describe('oracle scoring', () => {
  const e = (expression: string, messageId?: string) => ({ severity: 'error', expression, text: 'x', messageId });
  const w = (expression: string) => ({ severity: 'warning', expression, text: 'y' });

  it('scores the verdict (L1) and the error and warning counts (L2) as the HL7 suite does', () => {
    expect(levelOf(score([e('A'), w('B')], [e('A'), w('C')]))).toBe('L2');
    expect(levelOf(score([e('A')], [e('A'), e('B')]))).toBe('L1');
    expect(levelOf(score([w('A')], [e('A')]))).toBe('none');
    expect(levelOf(score([{ severity: 'information' }], []))).toBe('L2');
  });

  it('matches issues by class and location across the two ways of writing a location', () => {
    expect(locationKey('Bundle.entry[2].resource/*Observation/x*/.value.ofType(Quantity)')).toBe(locationKey('Bundle.entry[2].resource.valueQuantity'));
    const d = difference([e('Patient.gender', 'Terminology_TX_NoValid_16'), e('Patient.x', 'M')], [e('Patient.gender'), w('Patient.name')]);
    expect(d.referenceOnly.map((i) => i.messageId)).toEqual(['M']);
    expect(d.adsOnly.map((i) => i.expression)).toEqual(['Patient.name']);
  });

  it('sets aside only terminology issues a server would have answered', () => {
    const valueSets: Record<string, ValueSet> = {
      'http://hl7.org/fhir/ValueSet/administrative-gender': { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'http://hl7.org/fhir/administrative-gender' }] } },
      'http://hl7.org/fhir/ValueSet/currencies': { resourceType: 'ValueSet', status: 'active', compose: { include: [{ system: 'urn:iso:std:iso:4217' }] } },
    };
    const gender: CodeSystem = { resourceType: 'CodeSystem', status: 'active', content: 'complete' };
    const source = {
      codeSystem: (url: string) => (url === 'http://hl7.org/fhir/administrative-gender' ? gender : undefined),
      valueSet: (url: string) => valueSets[url],
    };
    const aside = serverDependence(source);
    expect(aside({ messageId: 'Terminology_TX_NoValid_16', text: "not found in the value set 'X' (http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)" })).toBe(false);
    expect(aside({ messageId: 'Terminology_TX_NoValid_16', text: "not found in the value set 'X' (http://hl7.org/fhir/ValueSet/currencies|4.0.1)" })).toBe(true);
    expect(aside({ messageId: 'Error_validating_code_running_without_terminology_services', text: 'Unable to validate' })).toBe(true);
    expect(aside({ messageId: 'Type_Specific_Checks_DT_Date_Valid', text: 'http://snomed.info/sct' })).toBe(false);
  });
});
