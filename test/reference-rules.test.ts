/**
 * Reference rules of the reference validator (InstanceValidator.checkReference and validateContains),
 * through the public Validator with core R4 and small profiles of our own: the reference's form, what
 * it resolves to, Reference.type, target types and profiles, aggregation, circular references,
 * contained resources and the profiles of resources held in other resources.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator, type ValidateOptions } from '../src/validation/index.js';

const core = readCoreR4();
const SD = 'http://hl7.org/fhir/StructureDefinition/';

/** A constraining profile made from the core snapshot with `edit` applied to its elements. */
function constrain(type: string, url: string, edit: (elements: ElementDefinition[]) => void): StructureDefinition {
  const base = core.find((r) => r.resourceType === 'StructureDefinition' && r.url === SD + type) as StructureDefinition;
  const elements = structuredClone(base.snapshot!.element);
  edit(elements);
  return { ...base, id: url.split('/').pop()!, url, derivation: 'constraint', baseDefinition: base.url, snapshot: { element: elements } };
}
const el = (els: ElementDefinition[], id: string) => els.find((e) => e.id === id)!;

/** A Patient profile that requires a gender. */
const GENDERED = constrain('Patient', 'http://test.example/gendered-patient', (els) => {
  el(els, 'Patient.gender').min = 1;
});
/** A Patient profile that requires a birth date. */
const BORN = constrain('Patient', 'http://test.example/born-patient', (els) => {
  el(els, 'Patient.birthDate').min = 1;
});

function validatorWith(...profiles: StructureDefinition[]): Validator {
  return new Validator(new MemoryResolver([...core, ...profiles]));
}
const plain = validatorWith();

function found(v: Validator, input: unknown, rules: string[], options: ValidateOptions = {}): string[] {
  return v
    .validateToIssues(input, options)
    .filter((i) => rules.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const observation = (subject: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject, ...extra });
const U = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the reference itself', () => {
  it('must have no whitespace, and a conditional reference a valid query', () => {
    const RULES = ['REFERENCE_REF_INVALID_REF', 'REFERENCE_REF_QUERY_INVALID'];
    expect(found(plain, observation({ reference: 'Patient/ 1' }), RULES)).toEqual(['error REFERENCE_REF_INVALID_REF Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient?=x' }), RULES)).toEqual(['error REFERENCE_REF_QUERY_INVALID Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient?identifier=http://x.test|1' }), RULES)).toEqual([]);
  });

  it('should have a display when it has neither a reference nor an identifier', () => {
    const RULES = ['Reference_REF_NoDisplay'];
    expect(found(plain, observation({ type: 'Patient' }), RULES)).toEqual(['warning Reference_REF_NoDisplay Observation.subject']);
    expect(found(plain, observation({ display: 'Mr A' }), RULES)).toEqual([]);
    expect(found(plain, observation({ identifier: { value: '1' } }), RULES)).toEqual([]);
    // The JSON reader drops a reference written as an object or array: the Reference has none.
    expect(found(plain, observation({ reference: { value: 'Patient/1' } }), RULES)).toEqual(['warning Reference_REF_NoDisplay Observation.subject']);
    expect(found(plain, observation({ reference: ['Patient/1', 'Patient/1'] }), RULES)).toEqual(['warning Reference_REF_NoDisplay Observation.subject']);
    expect(found(plain, observation({ reference: ['Patient/1'], display: 'Mr A' }), RULES)).toEqual([]);
  });

  it('must resolve where it is contained, or outside when references can be looked up', () => {
    const RULES = ['Reference_REF_CantResolve'];
    expect(found(plain, observation({ reference: '#p' }, { contained: [{ resourceType: 'Patient', id: 'q' }] }), RULES)).toEqual(['error Reference_REF_CantResolve Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient/1' }), RULES)).toEqual([]);
    expect(found(plain, observation({ reference: 'Patient/1' }), RULES, { fetchReference: () => undefined })).toEqual(['error Reference_REF_CantResolve Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient/1' }), RULES, { fetchReference: () => ({ resourceType: 'Patient', id: '1' }) })).toEqual([]);
  });
});

describe('ref-1: a local reference names a contained resource', () => {
  const REF_1 = `${SD}Reference#ref-1`;
  const RULES = [REF_1, 'Reference_REF_CantResolve'];

  it('fails beside Reference_REF_CantResolve when no contained resource has the id', () => {
    expect(found(plain, observation({ reference: '#p' }, { contained: [{ resourceType: 'Patient', id: 'q' }] }), RULES)).toEqual([
      'error Reference_REF_CantResolve Observation.subject',
      `error ${REF_1} Observation.subject`,
    ]);
    expect(found(plain, observation({ reference: '#q' }, { contained: [{ resourceType: 'Patient', id: 'q' }] }), RULES)).toEqual([]);
  });

  it('reads the contained resources of the root resource: a contained resource may name a sibling, and # its container', () => {
    const siblings = observation({ reference: '#p' }, { contained: [{ resourceType: 'Patient', id: 'p' }, { resourceType: 'Observation', id: 'o', status: 'final', code: { text: 'x' }, subject: { reference: '#p' }, hasMember: [{ reference: '#' }] }], hasMember: [{ reference: '#o' }] });
    expect(found(plain, siblings, [REF_1])).toEqual([]);
    // Two contained resources with the same id are both contained resources of the root.
    const twice = { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o' }, { resourceType: 'PractitionerRole', id: 'd', organization: { reference: '#o' } }, { resourceType: 'Practitioner', id: 'd' }], managingOrganization: { reference: '#o' } };
    expect(found(plain, twice, [REF_1])).toEqual([]);
    // A Bundle entry is a root of its own: a contained resource of another entry is not its own.
    const bundle = {
      resourceType: 'Bundle', type: 'collection',
      entry: [
        { fullUrl: U(1), resource: { resourceType: 'Patient', id: 'a', contained: [{ resourceType: 'Organization', id: 'org' }], managingOrganization: { reference: '#org' } } },
        { fullUrl: U(2), resource: { resourceType: 'Patient', id: 'b', managingOrganization: { reference: '#org' } } },
      ],
    };
    expect(found(plain, bundle, [REF_1])).toEqual([`error ${REF_1} Bundle.entry[1].resource.managingOrganization`]);
  });
});

describe('target types', () => {
  const RULES = ['Reference_REF_WrongTarget', 'Reference_REF_BadTargetType', 'Reference_REF_BadTargetType2', 'Reference_REF_NoType'];

  it('checks Reference.type against the element and against what the reference points to', () => {
    expect(found(plain, observation({ reference: 'Medication/1', type: 'Medication' }), RULES)).toEqual(['error Reference_REF_WrongTarget Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient/1', type: 'Group' }), RULES)).toEqual(['error Reference_REF_BadTargetType Observation.subject']);
    expect(found(plain, observation({ reference: 'Patient/1', type: 'Patient' }), RULES)).toEqual([]);
  });

  it('judges a Reference.type given as a JSON number or boolean by its text, as the JSON reader keeps it', () => {
    const both = ['error Reference_REF_WrongTarget Observation.subject', 'error Reference_REF_BadTargetType Observation.subject'];
    expect(found(plain, observation({ reference: 'Patient/1', type: true }), RULES)).toEqual(both);
    expect(found(plain, observation({ reference: 'Patient/1', type: 42 }), RULES)).toEqual(both);
    // An object is no value at all, and without a reference there is nothing for the type to agree with.
    expect(found(plain, observation({ reference: 'Patient/1', type: { x: 'Patient' } }), RULES)).toEqual([]);
    expect(found(plain, observation({ display: 'someone', type: false }), RULES)).toEqual([]);
  });

  it('checks the type of a resolved target against the target profiles', () => {
    const contained = (resource: Record<string, unknown>) => observation({ reference: '#t' }, { contained: [{ ...resource, id: 't' }] });
    expect(found(plain, contained({ resourceType: 'Medication' }), RULES)).toEqual(['error Reference_REF_BadTargetType Observation.subject']);
    expect(found(plain, contained({ resourceType: 'Patient' }), RULES)).toEqual([]);
    // Without a resourceType the target's type cannot be known.
    expect(found(plain, contained({}), RULES)).toEqual(['warning Reference_REF_NoType Observation.subject']);
  });

  it('checks the type a RESTful reference names when told to trust such references', () => {
    expect(found(plain, observation({ reference: 'Medication/1' }), RULES, { assumeValidRestReferences: true })).toEqual(['error Reference_REF_BadTargetType2 Observation.subject']);
    expect(found(plain, observation({ reference: 'Medication/1' }), RULES)).toEqual([]);
  });

  it('checks only the type of an outside target when the policy asks for existence and type', () => {
    const fetched = { resourceType: 'Medication', id: '1' };
    expect(found(plain, observation({ reference: 'Medication/1' }), ['Reference_REF_CantMatchType', 'Reference_REF_BadTargetType'], { fetchReference: () => fetched, referencePolicy: 'check-exists-and-type' })).toEqual([
      'error Reference_REF_CantMatchType Observation.subject',
      'error Reference_REF_BadTargetType Observation.subject',
    ]);
    expect(found(plain, observation({ reference: 'Medication/1' }), ['Reference_REF_CantMatchType', 'Reference_REF_BadTargetType'], { fetchReference: () => fetched, referencePolicy: 'ignore' })).toEqual([]);
  });
});

describe('target profiles', () => {
  const RULES = ['Reference_REF_CantMatchChoice', 'Reference_REF_MultipleMatches', 'Reference_REF_CantResolveProfile'];
  const encounterTargeting = (...targets: string[]) =>
    constrain('Encounter', `http://test.example/encounter-${targets.length}`, (els) => {
      el(els, 'Encounter.subject').type = [{ code: 'Reference', targetProfile: targets }];
    });
  const encounter = (subject: Record<string, unknown>) => ({ resourceType: 'Encounter', status: 'planned', class: { code: 'AMB' }, subject: { reference: '#p' }, contained: [{ ...subject, id: 'p' }] });

  it('requires a resolved target to conform to one of the profiles for its type', () => {
    const profile = encounterTargeting(GENDERED.url);
    const v = validatorWith(GENDERED, profile);
    expect(found(v, encounter({ resourceType: 'Patient', gender: 'male' }), RULES, { profiles: [profile.url] })).toEqual([]);
    expect(found(v, encounter({ resourceType: 'Patient' }), RULES, { profiles: [profile.url] })).toEqual(['error Reference_REF_CantMatchChoice Encounter.subject']);
  });

  it('warns when the target conforms to more than one of them', () => {
    const profile = encounterTargeting(GENDERED.url, BORN.url);
    const v = validatorWith(GENDERED, BORN, profile);
    expect(found(v, encounter({ resourceType: 'Patient', gender: 'male' }), RULES, { profiles: [profile.url] })).toEqual([]);
    expect(found(v, encounter({ resourceType: 'Patient', gender: 'male', birthDate: '2000-01-01' }), RULES, { profiles: [profile.url] })).toEqual(['warning Reference_REF_MultipleMatches Encounter.subject']);
  });

  it('still warns when a target that claims one of them conforms to another as well, and says nothing at the reference when it fails the one it claims', () => {
    const profile = encounterTargeting(GENDERED.url, BORN.url);
    const v = validatorWith(GENDERED, BORN, profile);
    const claiming = (patient: Record<string, unknown>) => encounter({ resourceType: 'Patient', meta: { profile: [GENDERED.url] }, ...patient });
    expect(found(v, claiming({ gender: 'male', birthDate: '2000-01-01' }), RULES, { profiles: [profile.url] })).toEqual(['warning Reference_REF_MultipleMatches Encounter.subject']);
    expect(found(v, claiming({ gender: 'male' }), RULES, { profiles: [profile.url] })).toEqual([]);
    // It fails the profile it claims: that is reported where it is (here, its missing gender), not at the reference.
    const one = encounterTargeting(GENDERED.url);
    expect(found(validatorWith(GENDERED, one), claiming({}), RULES, { profiles: [one.url] })).toEqual([]);
    expect(found(validatorWith(GENDERED, one), claiming({}), RULES, { profiles: [one.url], reportConsequences: true })).toEqual(['error Reference_REF_CantMatchChoice Encounter.subject']);
  });

  it('matches a target with what the JSON reader reports left aside: an unknown property or a wrong JSON kind decides no match', () => {
    const profile = encounterTargeting(GENDERED.url);
    const v = validatorWith(GENDERED, profile);
    const READER = ['Unrecognised_property_', 'Error_parsing_JSON_the_primitive_value_must_be_a_string'];
    for (const reportConsequences of [false, true]) {
      // A number where a string is due is read as its text, a valid family name.
      const odd = encounter({ resourceType: 'Patient', gender: 'male', surprise: 1, name: [{ family: 42 }] });
      expect(found(v, odd, [...RULES, ...READER], { profiles: [profile.url], reportConsequences })).toEqual([
        'error Unrecognised_property_ Encounter.contained[0]',
        'error Error_parsing_JSON_the_primitive_value_must_be_a_string Encounter.contained[0].name[0].family',
      ]);
      // What the profile itself asks for still decides.
      expect(found(v, encounter({ resourceType: 'Patient', surprise: 1 }), RULES, { profiles: [profile.url], reportConsequences })).toEqual(['error Reference_REF_CantMatchChoice Encounter.subject']);
    }
  });

  it("matches a target without asking that its contained resources be referenced: an orphan is the target's own finding", () => {
    const profile = encounterTargeting(GENDERED.url);
    const v = validatorWith(GENDERED, profile);
    const bundle = (patient: Record<string, unknown>) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: U(1), resource: { resourceType: 'Encounter', meta: { profile: [profile.url] }, status: 'planned', class: { code: 'AMB' }, subject: { reference: U(2) } } },
        { fullUrl: U(2), resource: { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'lonely', name: 'x' }], ...patient } },
      ],
    });
    for (const reportConsequences of [false, true]) {
      expect(found(v, bundle({ gender: 'male' }), [...RULES, 'CONTAINED_ORPHAN_DOM3'], { reportConsequences })).toEqual(['error CONTAINED_ORPHAN_DOM3 Bundle.entry[1].resource.contained[0]']);
      // What the profile asks for still decides the match.
      expect(found(v, bundle({}), [...RULES, 'CONTAINED_ORPHAN_DOM3'], { reportConsequences })).toEqual([
        'error Reference_REF_CantMatchChoice Bundle.entry[0].resource.subject',
        'error CONTAINED_ORPHAN_DOM3 Bundle.entry[1].resource.contained[0]',
      ]);
    }
  });

  it('reports a target profile that cannot be found', () => {
    const profile = encounterTargeting('http://nowhere.test/StructureDefinition/p');
    expect(found(validatorWith(profile), encounter({ resourceType: 'Patient' }), [...RULES, 'Reference_REF_BadTargetType'], { profiles: [profile.url] })).toEqual([
      'error Reference_REF_CantResolveProfile Encounter.subject',
      'error Reference_REF_BadTargetType Encounter.subject',
    ]);
  });

  it('follows circular references without looping, taking a resource being checked to conform', () => {
    const linked = constrain('Patient', 'http://test.example/linked-patient', (els) => {
      el(els, 'Patient.gender').min = 1;
      el(els, 'Patient.link.other').type = [{ code: 'Reference', targetProfile: ['http://test.example/linked-patient'] }];
    });
    const v = validatorWith(linked);
    const pair = (genderB?: string) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://x.test/fhir/Patient/a', resource: { resourceType: 'Patient', id: 'a', meta: { profile: [linked.url] }, gender: 'male', link: [{ other: { reference: 'Patient/b' }, type: 'seealso' }] } },
        { fullUrl: 'http://x.test/fhir/Patient/b', resource: { resourceType: 'Patient', id: 'b', meta: { profile: [linked.url] }, ...(genderB ? { gender: genderB } : {}), link: [{ other: { reference: 'Patient/a' }, type: 'seealso' }] } },
      ],
    });
    expect(found(v, pair('female'), [...RULES, 'Validation_VAL_Profile_Minimum'])).toEqual([]);
    // The target claims the profile, so its failure is reported where it is, not again at the reference (root cause).
    expect(found(v, pair(), [...RULES, 'Validation_VAL_Profile_Minimum'])).toEqual(['error Validation_VAL_Profile_Minimum Bundle.entry[1].resource']);
  });
});

describe('aggregation', () => {
  const RULES = ['Reference_REF_Aggregation', 'Reference_REF_NotFound_Bundle'];
  const aggregated = (...modes: ('contained' | 'referenced' | 'bundled')[]) =>
    constrain('Encounter', `http://test.example/subject-${modes.join('-')}`, (els) => {
      el(els, 'Encounter.subject').type = [{ code: 'Reference', targetProfile: [`${SD}Patient`], aggregation: modes }];
    });
  const encounter = (ref: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Encounter', id: 'e', status: 'planned', class: { code: 'AMB' }, subject: { reference: ref }, ...extra });

  it('checks where the target lives against the aggregation modes', () => {
    const referenced = aggregated('referenced');
    const bundled = aggregated('bundled');
    const contained = aggregated('contained');
    const v = validatorWith(referenced, bundled, contained);
    const inContained = encounter('#p', { contained: [{ resourceType: 'Patient', id: 'p' }] });
    expect(found(v, inContained, RULES, { profiles: [referenced.url] })).toEqual(['error Reference_REF_Aggregation Encounter.subject']);
    expect(found(v, inContained, RULES, { profiles: [contained.url] })).toEqual([]);
    const inBundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://x.test/fhir/Encounter/e', resource: { ...encounter('Patient/p'), meta: { profile: [bundled.url] } } },
        { fullUrl: 'http://x.test/fhir/Patient/p', resource: { resourceType: 'Patient', id: 'p' } },
      ],
    };
    expect(found(v, inBundle, RULES)).toEqual([]);
    // Not in the instance at all: the target may only live outside it when 'referenced' is allowed.
    expect(found(v, encounter('Patient/p'), RULES, { profiles: [bundled.url] })).toEqual(['error Reference_REF_NotFound_Bundle Encounter.subject']);
    expect(found(v, encounter('Patient/p'), RULES, { profiles: [referenced.url] })).toEqual([]);
  });
});

describe('contained resources', () => {
  it('must have distinct ids', () => {
    const patient = { resourceType: 'Patient', generalPractitioner: [{ reference: '#o' }], contained: [{ resourceType: 'Organization', id: 'o' }, { resourceType: 'Organization', id: 'o' }] };
    expect(found(plain, patient, ['RESOURCE_DUPLICATE_CONTAINED_ID'])).toEqual(['error RESOURCE_DUPLICATE_CONTAINED_ID Patient.contained[1]']);
  });

  it('resolve #id within the resource and # to the container', () => {
    const RULES = ['Reference_REF_CantResolve', 'CONTAINED_ORPHAN_DOM3', 'Reference_REF_BadTargetType'];
    const patient = { resourceType: 'Patient', contained: [observation({ reference: '#' }, { id: 'o', hasMember: [{ reference: '#o2' }] }), observation({ reference: '#' }, { id: 'o2' })] };
    expect(found(plain, patient, RULES)).toEqual([]);
    // Only a contained resource has a container.
    expect(found(plain, observation({ reference: '#' }), RULES)).toEqual(['error Reference_REF_CantResolve Observation.subject']);
  });
});

describe('resources held in other resources, and their profiles', () => {
  const entryProfiles = (...profiles: string[]) =>
    constrain('Bundle', `http://test.example/bundle-${profiles.length}`, (els) => {
      el(els, 'Bundle.entry.resource').type = [{ code: 'Resource', profile: profiles }];
    });
  const RULES = [
    'Bundle_BUNDLE_Entry_Type',
    'Bundle_BUNDLE_Entry_Type2',
    'Bundle_BUNDLE_Entry_Type3',
    'Bundle_BUNDLE_Entry_NoProfile_EXPL',
    'Bundle_BUNDLE_Entry_NoProfile_TYPE',
    'BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH',
    'BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH_REASON',
    'BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_MULTIPLE_MATCHES',
  ];
  const collection = (resource: Record<string, unknown>) => ({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: U(1), resource }] });

  it('takes several profiles on an entry as alternatives', () => {
    const profile = entryProfiles(GENDERED.url, BORN.url);
    const v = validatorWith(GENDERED, BORN, profile);
    const run = (resource: Record<string, unknown>) => found(v, collection(resource), RULES, { profiles: [profile.url] });
    expect(run({ resourceType: 'Patient', gender: 'male' })).toEqual([]);
    expect(run({ resourceType: 'Patient' })).toEqual([
      'error BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH Bundle.entry[0].resource',
      'information BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH_REASON Bundle.entry[0].resource',
      'information BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_NO_MATCH_REASON Bundle.entry[0].resource',
    ]);
    expect(run({ resourceType: 'Patient', gender: 'male', birthDate: '2000-01-01' })).toEqual(['information BUNDLE_BUNDLE_ENTRY_MULTIPLE_PROFILES_MULTIPLE_MATCHES Bundle.entry[0].resource']);
  });

  it('reports entry profiles that cannot be found', () => {
    const one = entryProfiles('http://nowhere.test/one');
    const two = entryProfiles(GENDERED.url, 'http://nowhere.test/two');
    const v = validatorWith(GENDERED, one, two);
    expect(found(v, collection({ resourceType: 'Patient' }), RULES, { profiles: [one.url] })).toEqual(['error Bundle_BUNDLE_Entry_NoProfile_EXPL Bundle.entry[0].resource']);
    expect(found(v, collection({ resourceType: 'Patient', gender: 'male' }), RULES, { profiles: [two.url] })).toEqual(['error Bundle_BUNDLE_Entry_NoProfile_TYPE Bundle.entry[0].resource']);
  });

  it('rejects a resource of a type the element or its profiles do not allow', () => {
    const onlyPatients = constrain('Bundle', 'http://test.example/patients-only', (els) => {
      el(els, 'Bundle.entry.resource').type = [{ code: 'Patient' }];
    });
    const observations = entryProfiles(`${SD}Observation`);
    const either = entryProfiles(`${SD}Observation`, `${SD}Encounter`);
    const v = validatorWith(onlyPatients, observations, either);
    const organization = { resourceType: 'Organization', name: 'x' };
    expect(found(v, collection(organization), RULES, { profiles: [onlyPatients.url] })).toEqual(['error Bundle_BUNDLE_Entry_Type Bundle.entry[0].resource']);
    expect(found(v, collection(organization), RULES, { profiles: [observations.url] })).toEqual(['error Bundle_BUNDLE_Entry_Type2 Bundle.entry[0].resource']);
    expect(found(v, collection(organization), RULES, { profiles: [either.url] })).toEqual(['error Bundle_BUNDLE_Entry_Type3 Bundle.entry[0].resource']);
  });
});

describe('Parameters', () => {
  it('resolves Type/id among the resources of parameters and their parts', () => {
    const params = {
      resourceType: 'Parameters',
      parameter: [
        { name: 'obs', resource: observation({ reference: 'Patient/p' }) },
        { name: 'group', part: [{ name: 'who', resource: { resourceType: 'Medication', id: 'p' } }, { name: 'who2', resource: { resourceType: 'Patient', id: 'p' } }] },
      ],
    };
    expect(found(plain, params, ['Reference_REF_CantResolve', 'Reference_REF_BadTargetType'], { fetchReference: () => undefined })).toEqual([]);
    const missing = { resourceType: 'Parameters', parameter: [{ name: 'obs', resource: observation({ reference: 'Patient/q' }) }] };
    expect(found(plain, missing, ['Reference_REF_CantResolve'], { fetchReference: () => undefined })).toEqual(['error Reference_REF_CantResolve Parameters.parameter[0].resource.subject']);
  });
});

describe('a Timing with a fixed or pattern value', () => {
  it('must have as many event times as the value (Bundle_MSG_Event_Count)', () => {
    const profile = constrain('Observation', 'http://test.example/twice-a-day', (els) => {
      const effective = el(els, 'Observation.effective[x]');
      effective.type = [{ code: 'Timing' }];
      effective.patternTiming = { event: ['2024-01-01T08:00:00Z', '2024-01-01T20:00:00Z'] };
    });
    const v = validatorWith(profile);
    const run = (event: string[]) => found(v, observation({ reference: 'Patient/1' }, { effectiveTiming: { event } }), ['Bundle_MSG_Event_Count'], { profiles: [profile.url] });
    expect(run(['2024-01-01T08:00:00Z', '2024-01-01T20:00:00Z'])).toEqual([]);
    expect(run(['2024-01-01T08:00:00Z'])).toEqual(['error Bundle_MSG_Event_Count Observation.effective.ofType(Timing)']);
  });
});
