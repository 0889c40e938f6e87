/**
 * Bundle rules of the reference validator (BundleValidator, BaseValidator.getFromBundle / resolveInBundle),
 * through the public Validator with core R4: fullUrls, links, search sets, documents and messages, and
 * resolution inside Bundles. Payloads are our own, written from each rule.
 */
import { describe, expect, it } from 'vitest';
import { FhirPathInvariantEvaluator } from '../src/fhirpath/index.js';
import { readCoreR4 } from '../src/packages/core-r4.js';
import { MemoryResolver } from '../src/validation/core-resolver.js';
import { Validator, type ValidateOptions } from '../src/validation/index.js';

const validator = new Validator(new MemoryResolver(readCoreR4()));

/** `severity rule location` of every issue whose rule id is one of `rules`. */
function found(input: unknown, rules: string[], options: ValidateOptions = {}): string[] {
  return validator
    .validateToIssues(input, options)
    .filter((i) => rules.includes(i.rule))
    .map((i) => `${i.severity} ${i.rule} ${i.expression}`);
}

const U = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const patient = (id?: string) => ({ resourceType: 'Patient', ...(id ? { id } : {}) });
const observation = (subject: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: subject }, ...extra });
const bundle = (type: string, entry: unknown[], extra: Record<string, unknown> = {}) => ({ resourceType: 'Bundle', type, ...extra, entry });

describe('Bundle entries: fullUrl', () => {
  const RULES = ['BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED', 'BUNDLE_ENTRY_URL_ABSOLUTE', 'BUNDLE_ENTRY_URL_MATCHES_NO_ID', 'BUNDLE_ENTRY_URL_MATCHES_TYPE_ID', 'Bundle_BUNDLE_Entry_MismatchIdUrl'];

  it('requires a fullUrl except in transactions, batches and their responses', () => {
    expect(found(bundle('collection', [{ fullUrl: U(1), resource: patient() }, { resource: patient() }]), RULES)).toEqual(['error BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED Bundle.entry[1]']);
    // One written as an object is dropped by the JSON reader: the entry has none.
    expect(found(bundle('collection', [{ fullUrl: { value: U(1) }, resource: patient() }]), RULES)).toEqual(['error BUNDLE_BUNDLE_ENTRY_FULLURL_REQUIRED Bundle.entry[0]']);
    for (const type of ['transaction', 'batch', 'transaction-response', 'batch-response']) {
      expect(found(bundle(type, [{ resource: patient(), request: { method: 'POST', url: 'Patient' } }]), RULES), type).toEqual([]);
    }
  });

  it('requires an absolute fullUrl', () => {
    expect(found(bundle('collection', [{ fullUrl: 'Patient/1', resource: patient('1') }]), RULES)).toEqual(['error BUNDLE_ENTRY_URL_ABSOLUTE Bundle.entry[0]']);
  });

  it('reports one faulty fullUrl once however many entries carry it, as the reference does (it reports them all at one place)', () => {
    const entries = [{ fullUrl: 'Patient/1', resource: patient('1') }, { fullUrl: 'Patient/1', resource: patient('1') }, { fullUrl: 'Patient/2', resource: patient('2') }];
    expect(found(bundle('collection', entries), ['BUNDLE_ENTRY_URL_ABSOLUTE'])).toEqual(['error BUNDLE_ENTRY_URL_ABSOLUTE Bundle.entry[0]', 'error BUNDLE_ENTRY_URL_ABSOLUTE Bundle.entry[2]']);
  });

  it('requires a RESTful fullUrl to end with the resource type and id', () => {
    const entries = [
      { fullUrl: 'http://x.test/fhir/Patient/1', resource: patient('1') },
      { fullUrl: 'http://x.test/fhir/Patient/2', resource: patient('3') },
      { fullUrl: 'http://x.test/fhir/Patient/4', resource: patient() },
      { fullUrl: 'http://x.test/fhir/Observation/5', resource: patient('5') },
      // A urn:uuid fullUrl says nothing about the resource id.
      { fullUrl: U(6), resource: patient('other') },
    ];
    expect(found(bundle('collection', entries), RULES)).toEqual([
      'error BUNDLE_ENTRY_URL_MATCHES_TYPE_ID Bundle.entry[1]',
      'error BUNDLE_ENTRY_URL_MATCHES_NO_ID Bundle.entry[2]',
      'error BUNDLE_ENTRY_URL_MATCHES_TYPE_ID Bundle.entry[3]',
    ]);
  });

  it('lets a canonical URL be the fullUrl only when it is the RESTful URL of the resource', () => {
    const vs = (id: string, url: string) => ({ resourceType: 'ValueSet', id, url, status: 'draft' });
    const entries = [
      { fullUrl: 'http://x.test/fhir/ValueSet/a', resource: vs('a', 'http://x.test/fhir/ValueSet/a') },
      { fullUrl: 'http://x.test/vs-b', resource: vs('b', 'http://x.test/vs-b') },
      { fullUrl: 'http://x.test/fhir/ValueSet/c', resource: vs('c', 'http://x.test/other') },
    ];
    expect(found(bundle('collection', entries), RULES)).toEqual(['error Bundle_BUNDLE_Entry_MismatchIdUrl Bundle.entry[1]']);
  });
});

describe('Bundle.link', () => {
  const RULES = ['BUNDLE_LINK_SEARCH_PROHIBITED', 'BUNDLE_LINK_SEARCH_NO_DUPLICATES'];
  const link = (...relations: string[]) => relations.map((relation) => ({ relation, url: `http://x.test/fhir/Patient?page=${relation}` }));

  it('allows paging relations in search sets and histories only, each once', () => {
    expect(found(bundle('searchset', [], { link: link('self', 'next', 'next', 'self') }), RULES)).toEqual([
      'error BUNDLE_LINK_SEARCH_NO_DUPLICATES Bundle.link[2]',
      'error BUNDLE_LINK_SEARCH_NO_DUPLICATES Bundle.link[3]',
    ]);
    expect(found(bundle('history', [], { link: link('first', 'last') }), RULES)).toEqual([]);
    expect(found(bundle('collection', [], { link: link('self', 'next', 'self') }), RULES)).toEqual([
      'error BUNDLE_LINK_SEARCH_PROHIBITED Bundle.link[1].relation',
      'error BUNDLE_LINK_SEARCH_NO_DUPLICATES Bundle.link[2].relation',
    ]);
    expect(found(bundle('transaction', [], { link: link('previous') }), RULES)).toEqual(['error BUNDLE_LINK_SEARCH_PROHIBITED Bundle.link[0].relation']);
  });

  it("checks a document's stylesheets: the HL7 one, or an entry of the document", () => {
    const RULES_CSS = ['BUNDLE_LINK_STYELSHEET_EXTERNAL', 'BUNDLE_LINK_STYELSHEET_INSECURE', 'BUNDLE_LINK_STYELSHEET_LINKABLE', 'BUNDLE_LINK_STYELSHEET_NOT_FOUND'];
    const doc = bundle('document', [{ fullUrl: 'http://x.test/fhir/Binary/css', resource: { resourceType: 'Binary', id: 'css', contentType: 'text/css' } }], {
      link: ['https://hl7.org/fhir/fhir.css', 'Binary/css', 'Binary/nope', 'http://x.test/site.css', 'urn:x-css:1'].map((url) => ({ relation: 'stylesheet', url })),
    });
    expect(found(doc, RULES_CSS)).toEqual([
      'error BUNDLE_LINK_STYELSHEET_NOT_FOUND Bundle.link[2].url',
      'warning BUNDLE_LINK_STYELSHEET_EXTERNAL Bundle.link[3].url',
      'warning BUNDLE_LINK_STYELSHEET_INSECURE Bundle.link[3].url',
      'warning BUNDLE_LINK_STYELSHEET_EXTERNAL Bundle.link[4].url',
      'warning BUNDLE_LINK_STYELSHEET_LINKABLE Bundle.link[4].url',
    ]);
  });
});

describe('search sets', () => {
  const RULES = [
    'BUNDLE_SEARCH_NOSELF',
    'BUNDLE_SEARCH_SELF_NOT_UNDERSTOOD',
    'BUNDLE_SEARCH_NO_MODE',
    'BUNDLE_SEARCH_ENTRY_NO_RESOURCE',
    'BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID',
    'BUNDLE_SEARCH_ENTRY_TYPE_NOT_SURE',
    'BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_MODE',
    'BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_NO_MODE',
    'BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_OUTCOME',
  ];
  const search = (self: string | undefined, entry: unknown[]) => bundle('searchset', entry, self ? { link: [{ relation: 'self', url: self }] } : {});
  const e = (n: number, resource: unknown, mode?: string) => ({ fullUrl: `http://x.test/fhir/${String((resource as { resourceType?: string } | undefined)?.resourceType)}/${n}`, ...(resource ? { resource } : {}), ...(mode ? { search: { mode } } : {}) });

  it('checks entries by their search mode', () => {
    const outcome = { resourceType: 'OperationOutcome', id: '9', issue: [{ severity: 'warning', code: 'informational' }] };
    const set = search('http://x.test/fhir/Patient?name=a', [
      e(1, patient('1'), 'match'),
      e(2, patient(), 'include'),
      e(3, observation('Patient/1', { id: '3' }), 'match'),
      e(4, patient('4'), 'outcome'),
      e(5, outcome, 'outcome'),
      e(6, patient('6')),
      e(7, undefined, 'match'),
    ]);
    expect(found(set, RULES)).toEqual([
      'error BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID Bundle.entry[1].resource',
      'error BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_MODE Bundle.entry[2].resource',
      'error BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_OUTCOME Bundle.entry[3].resource',
      'warning BUNDLE_SEARCH_NO_MODE Bundle.entry[5]',
      'error BUNDLE_SEARCH_ENTRY_NO_RESOURCE Bundle.entry[6]',
    ]);
  });

  it('without modes, expects every resource to be of the type searched for', () => {
    expect(found(search('http://x.test/fhir/Patient?name=a', [e(1, patient('1')), e(2, patient())]), RULES)).toEqual(['warning BUNDLE_SEARCH_ENTRY_NO_RESOURCE_ID Bundle.entry[1].resource']);
    expect(found(search('http://x.test/fhir/Patient?name=a', [e(1, patient('1')), e(2, observation('Patient/1', { id: '2' }))]), RULES)).toEqual([
      'warning BUNDLE_SEARCH_ENTRY_WRONG_RESOURCE_TYPE_NO_MODE Bundle.entry[1]',
      'warning BUNDLE_SEARCH_NO_MODE Bundle',
    ]);
    // _type names the types when the path does not.
    expect(found(search('http://x.test/fhir/?_type=Patient,Observation', [e(1, patient('1')), e(2, observation('Patient/1', { id: '2' }))]), RULES)).toEqual(['warning BUNDLE_SEARCH_NO_MODE Bundle']);
  });

  it('says when the self link names no type, and when there is no self link', () => {
    const info = (input: unknown) => validator.validateToIssues(input).filter((i) => RULES.includes(i.rule)).map((i) => `${i.severity} ${i.rule} ${i.expression}`);
    expect(info(search('http://x.test/fhir/?q=1', [e(1, patient('1'))]))).toEqual([
      'information BUNDLE_SEARCH_SELF_NOT_UNDERSTOOD Bundle',
      'information BUNDLE_SEARCH_ENTRY_TYPE_NOT_SURE Bundle.entry[0].resource',
      'warning BUNDLE_SEARCH_NO_MODE Bundle',
    ]);
    expect(info(search(undefined, [e(1, patient('1'), 'match')]))).toEqual(['warning BUNDLE_SEARCH_NOSELF Bundle']);
    expect(info(search(undefined, [{ fullUrl: U(1) }]))).toEqual(['warning BUNDLE_SEARCH_NOSELF Bundle', 'error BUNDLE_SEARCH_ENTRY_NO_RESOURCE Bundle.entry[0]']);
    // An empty search set is not checked, as the reference checks search sets only when they have entries.
    expect(info(search(undefined, []))).toEqual([]);
  });
});

describe('documents and messages', () => {
  const composition = (extra: Record<string, unknown> = {}) => ({ resourceType: 'Composition', status: 'final', type: { text: 'x' }, date: '2024-05-01', author: [{ display: 'A' }], title: 't', ...extra });
  const header = (extra: Record<string, unknown> = {}) => ({ resourceType: 'MessageHeader', eventCoding: { system: 'http://x.test/events', code: 'e' }, source: { endpoint: 'http://x.test/src' }, ...extra });
  const FIRST = ['Bundle_BUNDLE_Entry_NoFirst', 'Bundle_BUNDLE_Entry_NoFirstResource', 'Bundle_BUNDLE_Entry_Document', 'Validation_BUNDLE_Message'];

  it('needs a first entry with the Composition or the MessageHeader', () => {
    expect(found(bundle('document', []), FIRST)).toEqual(['error Bundle_BUNDLE_Entry_NoFirst Bundle']);
    expect(found(bundle('message', []), FIRST)).toEqual(['error Bundle_BUNDLE_Entry_NoFirst Bundle']);
    expect(found(bundle('document', [{ fullUrl: U(1) }]), FIRST)).toEqual(['error Bundle_BUNDLE_Entry_NoFirstResource Bundle.entry[0]']);
    expect(found(bundle('document', [{ fullUrl: U(1), resource: patient() }]), FIRST)).toEqual(['error Bundle_BUNDLE_Entry_Document Bundle.entry[0].resource']);
    expect(found(bundle('message', [{ fullUrl: U(1), resource: patient() }]), FIRST)).toEqual(['error Validation_BUNDLE_Message Bundle.entry[0].resource']);
    expect(found(bundle('collection', []), FIRST)).toEqual([]);
  });

  it("requires the Composition's references to name entries of the document", () => {
    const RULES = ['Bundle_BUNDLE_Entry_NotFound', 'BUNDLE_BUNDLE_ENTRY_NOTFOUND_APPARENT', 'BUNDLE_BUNDLE_ENTRY_NOTFOUND_CANNOT', 'BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE'];
    // A RESTful Composition: Patient/p1 means http://x.test/fhir/Patient/p1, which no entry is.
    const restful = bundle('document', [
      { fullUrl: 'http://x.test/fhir/Composition/c1', resource: composition({ id: 'c1', subject: { reference: 'Patient/p1' }, section: [{ title: 's', entry: [{ reference: U(9) }] }] }) },
      { fullUrl: U(2), resource: patient('p1') },
    ]);
    expect(found(restful, RULES)).toEqual([
      'error BUNDLE_BUNDLE_ENTRY_NOTFOUND_APPARENT Bundle.entry[0].resource.subject',
      'error Bundle_BUNDLE_Entry_NotFound Bundle.entry[0].resource.section[0].entry[0]',
    ]);
    // A urn:uuid Composition gives a relative reference no base.
    const urn = bundle('document', [{ fullUrl: U(1), resource: composition({ subject: { reference: 'Patient/p1' } }) }, { fullUrl: U(2), resource: patient('p1') }]);
    expect(found(urn, RULES)).toEqual(['error BUNDLE_BUNDLE_ENTRY_NOTFOUND_CANNOT Bundle.entry[0].resource.subject']);
    // Two entries with the fullUrl the author names.
    const twice = bundle('document', [{ fullUrl: U(1), resource: composition({ author: [{ reference: U(2) }] }) }, { fullUrl: U(2), resource: patient() }, { fullUrl: U(2), resource: patient() }]);
    expect(found(twice, RULES)).toEqual(['error BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE Bundle.entry[0].resource.author[0]']);
    const message = bundle('message', [{ fullUrl: U(1), resource: header({ focus: [{ reference: U(7) }] }) }]);
    expect(found(message, RULES)).toEqual(['error Bundle_BUNDLE_Entry_NotFound Bundle.entry[0].resource.focus[0]']);
  });

  it('checks fragments of references into entries', () => {
    const RULES = ['BUNDLE_BUNDLE_ENTRY_NOTFOUND_FRAGMENT', 'BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE_FRAGMENT'];
    const doc = (fragment: string) =>
      bundle('document', [
        { fullUrl: U(1), resource: composition({ subject: { reference: `${U(2)}#${fragment}` } }) },
        { fullUrl: U(2), resource: { resourceType: 'Patient', name: [{ id: 'n1', family: 'A' }, { id: 'n2', family: 'B' }, { id: 'n2', family: 'C' }] } },
      ]);
    const info = (input: unknown) => validator.validateToIssues(input).filter((i) => RULES.includes(i.rule)).map((i) => `${i.severity} ${i.rule} ${i.expression}`);
    expect(info(doc('n1'))).toEqual([]);
    // Met twice, as the reference validator meets it: as the Composition's subject and as a link between entries.
    expect(info(doc('n3'))).toEqual(['information BUNDLE_BUNDLE_ENTRY_NOTFOUND_FRAGMENT Bundle.entry[0].resource.subject', 'information BUNDLE_BUNDLE_ENTRY_NOTFOUND_FRAGMENT Bundle']);
    expect(info(doc('n2'))).toEqual(['error BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE_FRAGMENT Bundle.entry[0].resource.subject', 'error BUNDLE_BUNDLE_ENTRY_FOUND_MULTIPLE_FRAGMENT Bundle']);
  });

  it('requires every entry to be reachable from the first, forwards or (with a warning) backwards', () => {
    const RULES = ['Bundle_BUNDLE_Entry_Orphan_DOCUMENT', 'Bundle_BUNDLE_Entry_Orphan_MESSAGE', 'BUNDLE_BUNDLE_ENTRY_REVERSE_R4', 'BUNDLE_BUNDLE_ENTRY_REVERSE_MSG'];
    const provenance = { resourceType: 'Provenance', target: [{ reference: U(1) }], recorded: '2024-05-01T10:00:00Z', agent: [{ who: { display: 'x' } }] };
    const entries = (first: unknown) => [
      { fullUrl: U(1), resource: first },
      { fullUrl: U(2), resource: patient() },
      { fullUrl: U(3), resource: observation(U(2)) },
      { fullUrl: U(4), resource: provenance },
      { fullUrl: U(5), resource: patient() },
    ];
    const all = (input: unknown) => validator.validateToIssues(input).filter((i) => RULES.includes(i.rule)).map((i) => `${i.severity} ${i.rule} ${i.expression}`);
    expect(all(bundle('document', entries(composition({ subject: { reference: U(2) } }))))).toEqual([
      'warning BUNDLE_BUNDLE_ENTRY_REVERSE_R4 Bundle.entry[2]',
      'error Bundle_BUNDLE_Entry_Orphan_DOCUMENT Bundle.entry[4]',
    ]);
    expect(all(bundle('message', entries(header({ focus: [{ reference: U(2) }] }))))).toEqual([
      'information BUNDLE_BUNDLE_ENTRY_REVERSE_MSG Bundle.entry[2]',
      'warning Bundle_BUNDLE_Entry_Orphan_MESSAGE Bundle.entry[4]',
    ]);
  });

  it('follows narrative links and stylesheet links between entries', () => {
    const RULES = ['Bundle_BUNDLE_Entry_Orphan_DOCUMENT'];
    const narrativeLink = { url: 'http://hl7.org/fhir/StructureDefinition/narrativeLink', valueUrl: U(2) };
    const doc = bundle(
      'document',
      [
        { fullUrl: U(1), resource: composition({ section: [{ title: 's', extension: [narrativeLink], text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' } }] }) },
        { fullUrl: U(2), resource: patient() },
        { fullUrl: 'http://x.test/fhir/Binary/css', resource: { resourceType: 'Binary', id: 'css', contentType: 'text/css' } },
      ],
      { link: [{ relation: 'stylesheet', url: 'Binary/css' }] },
    );
    expect(found(doc, RULES)).toEqual([]);
  });
});

describe('references resolved inside a Bundle', () => {
  const RESOLUTION = [
    'Bundle_BUNDLE_Entry_NoFullUrl',
    'Bundle_BUNDLE_FullUrl_Missing',
    'Reference_REF_Format1',
    'Reference_REF_Format2',
    'Bundle_BUNDLE_MultipleMatches',
    'Bundle_BUNDLE_FullUrl_NeedVersion',
    'Reference_REF_ResourceType',
    'Bundle_BUNDLE_Not_Local',
    'BUNDLE_POSSSIBLE_MATCHES',
    'BUNDLE_BUNDLE_POSSIBLE_MATCH_NO_FU',
    'BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU',
  ];
  const at = 'Bundle.entry[0].resource.subject';

  it('makes a relative reference absolute against a RESTful fullUrl', () => {
    const b = (ref: string, target: Record<string, unknown>) => bundle('collection', [{ fullUrl: 'http://x.test/fhir/Observation/o', resource: observation(ref, { id: 'o' }) }, target]);
    expect(found(b('Patient/p', { fullUrl: 'http://x.test/fhir/Patient/p', resource: patient('p') }), RESOLUTION)).toEqual([]);
    // The same type and id under another base is another resource.
    expect(found(b('Patient/p', { fullUrl: 'http://y.test/fhir/Patient/p', resource: patient('p') }), RESOLUTION)).toEqual([`warning BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU ${at}`]);
    expect(found(b('Patient/p', { resource: patient('p') }), RESOLUTION)).toEqual([`warning BUNDLE_BUNDLE_POSSIBLE_MATCH_NO_FU ${at}`]);
  });

  it('makes Type/id id against a urn: base, and checks the type of what it finds', () => {
    const b = (target: Record<string, unknown>) => bundle('collection', [{ fullUrl: U(1), resource: observation('Patient/00000000-0000-4000-8000-000000000002') }, { fullUrl: U(2), resource: target }]);
    expect(found(b(patient()), RESOLUTION)).toEqual([]);
    expect(found(b({ resourceType: 'Group', type: 'person', actual: true }), RESOLUTION)).toEqual([`error Reference_REF_ResourceType ${at}`]);
  });

  it('resolves a version-specific reference by meta.versionId', () => {
    const b = (meta: Record<string, unknown> | undefined) =>
      bundle('collection', [{ fullUrl: 'http://x.test/fhir/Observation/o', resource: observation('Patient/p/_history/2', { id: 'o' }) }, { fullUrl: 'http://x.test/fhir/Patient/p', resource: { ...patient('p'), ...(meta ? { meta } : {}) } }]);
    expect(found(b({ versionId: '2' }), RESOLUTION)).toEqual([]);
    expect(found(b(undefined), RESOLUTION)).toEqual([`warning Bundle_BUNDLE_FullUrl_NeedVersion ${at}`, `warning BUNDLE_BUNDLE_POSSIBLE_MATCH_WRONG_FU ${at}`]);
  });

  it('reports several entries with the fullUrl a reference names', () => {
    const b = bundle('collection', [{ fullUrl: U(1), resource: observation(U(2)) }, { fullUrl: U(2), resource: patient() }, { fullUrl: U(2), resource: patient() }]);
    expect(found(b, RESOLUTION)).toEqual([`error Bundle_BUNDLE_MultipleMatches ${at}`]);
  });

  it('warns about a urn: reference to no entry, and reports it as an error when told that urn: references must resolve', () => {
    const b = bundle('collection', [{ fullUrl: U(1), resource: observation(U(2)) }]);
    expect(found(b, [...RESOLUTION, 'ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE'])).toEqual([`warning Bundle_BUNDLE_Not_Local ${at}`]);
    expect(found(b, [...RESOLUTION, 'ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE'], { bundledUrnReferences: true })).toEqual([`warning Bundle_BUNDLE_Not_Local ${at}`, `error ADSFHIR_REFERENCE_URN_NOT_IN_BUNDLE ${at}`]);
  });

  it('needs the fullUrl of the entry a relative reference sits in', () => {
    const b = (type: string) => bundle(type, [{ resource: observation('Patient/p') }, { fullUrl: 'http://x.test/fhir/Patient/p', resource: patient('p') }]);
    expect(found(b('collection'), RESOLUTION)).toEqual(['error Bundle_BUNDLE_Entry_NoFullUrl Bundle.entry[0]', `error Bundle_BUNDLE_FullUrl_Missing ${at}`]);
    expect(found(b('batch-response'), RESOLUTION)).toEqual([]);
  });

  it('requires relative references of the form Type/id, or a search URL in transactions', () => {
    const b = (type: string, ref: string) => bundle(type, [{ fullUrl: U(1), resource: observation(ref), request: { method: 'POST', url: 'Observation' } }]);
    expect(found(b('collection', 'Patient'), RESOLUTION)).toEqual([`error Reference_REF_Format2 ${at}`]);
    expect(found(b('transaction', 'Patient/a/b'), RESOLUTION)).toEqual([`error Reference_REF_Format1 ${at}`]);
    expect(found(b('transaction', 'Patient?identifier=http://x.test|1'), RESOLUTION)).toEqual([]);
  });

  it('reports a duplicate fullUrl once, on the Bundle (bdl-7), unless the versions differ', () => {
    const v = new Validator(new MemoryResolver(readCoreR4()), { invariants: new FhirPathInvariantEvaluator() });
    const bdl7 = (meta2?: Record<string, unknown>) =>
      v
        .validateToIssues(bundle('collection', [{ fullUrl: U(1), resource: { ...patient(), meta: { versionId: '1' } } }, { fullUrl: U(1), resource: { ...patient(), ...(meta2 ? { meta: meta2 } : {}) } }, { fullUrl: U(1), resource: patient() }]))
        .filter((i) => i.rule.endsWith('#bdl-7'))
        .map((i) => `${i.severity} ${i.expression}`);
    expect(bdl7()).toEqual(['error Bundle']);
    expect(bdl7({ versionId: '2' })).toEqual([]);
  });
});

describe('bundle rules (profiles for selected entries)', () => {
  const VITALS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
  const twoObservations = bundle('collection', [{ fullUrl: U(1), resource: patient() }, { fullUrl: U(2), resource: observation(U(1)) }, { fullUrl: U(3), resource: observation(U(1)) }]);
  /** Entries with findings of the vital signs profile (it requires a category, among others). */
  const profiled = (rule: string) => [
    ...new Set(
      validator
        .validateToIssues(twoObservations, { bundleProfiles: [{ rule, profile: VITALS }] })
        .filter((i) => i.severity === 'error' && i.message.includes(VITALS))
        .map((i) => /^Bundle\.entry\[\d+\]/.exec(i.expression)?.[0]),
    ),
  ];

  it('selects the n-th entry of a type, every entry of a type, or the n-th entry', () => {
    expect(profiled('Observation:1')).toEqual(['Bundle.entry[2]']);
    expect(profiled('Observation')).toEqual(['Bundle.entry[1]', 'Bundle.entry[2]']);
    expect(profiled('1')).toEqual(['Bundle.entry[1]']);
    expect(profiled('Observation:2')).toEqual([]);
  });

  it('reports a rule it cannot apply', () => {
    const RULES = ['BUNDLE_RULE_NONE', 'BUNDLE_RULE_UNKNOWN', 'BUNDLE_RULE_INVALID_INDEX', 'BUNDLE_RULE_PROFILE_UNKNOWN'];
    const run = (rule: string, profile = VITALS) => found(twoObservations, RULES, { bundleProfiles: [{ rule, profile }] });
    expect(run('')).toEqual(['error BUNDLE_RULE_NONE Bundle']);
    expect(run('Nothing:0')).toEqual(['error BUNDLE_RULE_UNKNOWN Bundle']);
    expect(run('Observation:first')).toEqual(['error BUNDLE_RULE_INVALID_INDEX Bundle']);
    expect(run('Observation:0', 'http://nowhere.test/p')).toEqual(['error BUNDLE_RULE_PROFILE_UNKNOWN Bundle']);
  });
});
