import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { describeWithShared } from '../../test/support/shared.js';
import { stringifyFhirJson } from './decimal.js';
import { FormatError } from './errors.js';
import { toFhirXml } from './json-to-xml.js';
import { canonicalXhtml } from './xhtml.js';
import { parseFhirXml } from './xml-to-json.js';


function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** Comparable form: fhir_comments removed (XML comments are dropped), narrative in canonical XHTML. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'fhir_comments') continue;
    let c = comparable(v);
    if (k === 'div' && typeof c === 'string') {
      try {
        c = canonicalXhtml(c);
      } catch {
        // keep as written: the comparison will show the difference
      }
    }
    // An object that only carried comments is absent once they are gone.
    const onlyComments = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((x) => x === 'fhir_comments');
    if (!onlyComments) out[k] = c;
  }
  return out;
}

function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (typeof a === 'object' && a && typeof b === 'object' && b) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return path || '(root)';
}

describeWithShared('UK Core XML', ['fhir', 'ukcore', 'xml'], (ukcoreXml) => {
  it('converts every file; the only issues are defects of the source', () => {
    const problems: Record<string, string[]> = {};
    const files = walk(ukcoreXml);
    for (const file of files) {
      const { issues } = parseFhirXml(readFileSync(file, 'utf8'));
      if (issues.length) problems[relative(ukcoreXml, file)] = issues.map((i) => `${i.code} ${i.path}`);
    }
    expect(files.length).toBe(460);
    // Defects of the source, each checked by hand: elements out of order, and one extension with both
    // valueCode and valueCodeableConcept.
    expect(problems).toEqual({
      'examples/Extension-UKCore-CodingSCT-IllicitDrugs-Example.xml': ['order Observation.text'],
      'examples/Extension-UKCore-ConditionEpisode-Example.xml': ['cardinality Condition.extension[0].value[x]'],
      'examples/UKCore-Observation-Lab-Albumin-Example.xml': ['order Observation.meta'],
    });
  });

  it('round-trips XML -> JSON -> XML -> JSON exactly, decimals included', () => {
    const unequal: string[] = [];
    for (const file of walk(ukcoreXml)) {
      const first = parseFhirXml(readFileSync(file), { decimals: 'exact' }).resource;
      const again = parseFhirXml(toFhirXml(first).xml, { decimals: 'exact' }).resource;
      if (stringifyFhirJson(again) !== stringifyFhirJson(first)) unequal.push(relative(ukcoreXml, file));
    }
    expect(unequal).toEqual([]);
  });
});

describeWithShared('HL7 validator suite, XML instances', ['fhir-test-cases', 'validator'], (suite) => {
  const files = walk(suite).filter((f) => f.endsWith('.xml'));
  const outcomes = files.map((file) => {
    try {
      return { file, result: parseFhirXml(readFileSync(file)) };
    } catch (error) {
      return { file, error };
    }
  });

  it('converts every XML instance or fails with a clear FormatError, never a crash', () => {
    const crashes = outcomes.filter((o) => o.error !== undefined && !(o.error instanceof FormatError));
    expect(crashes.map((c) => c.file)).toEqual([]);
    const refused = Object.fromEntries(
      outcomes.flatMap((o) => (o.error instanceof FormatError ? [[relative(suite, o.file), o.error.code]] : [])),
    );
    // Each is broken or not FHIR on purpose (the suite tests the validator's handling of it).
    expect(refused).toEqual({
      'ccda-allergies.xml': 'not-fhir', // CDA documents (logical models)
      'ccda-xsi-type.xml': 'not-fhir',
      'ccda.xml': 'not-fhir',
      'cda-validation-issues.xml': 'not-fhir',
      'ex-pat.xml': 'malformed-xml', // attribute 'class' repeated on one element
      'japanese-utf8.xml': 'malformed-xml', // vertical tabs, which XML does not allow
      'list-bad-syntax.xml': 'malformed-xml', // unclosed <id>
      'list-wrong-ns.xml': 'not-fhir', // root in a wrong namespace
      'list-xhtml-xxe1.xml': 'doctype-forbidden', // external entity attacks
      'list-xhtml-xxe2.xml': 'doctype-forbidden',
      'logback-test.xml': 'not-fhir', // a logging configuration, not FHIR
      'logicalxml-nonamespace.xml': 'not-fhir', // logical model instance without namespace
      'obs-unit-profile.xml': 'malformed-xml', // JSON content in a .xml file
      'unicode-problem.xml': 'malformed-xml', // control characters as character references, which XML 1.0 does not allow
      'xml_v10.xml': 'malformed-xml', // the same in a document declared XML 1.0 (xml_v11.xml, declared 1.1, is read)
    });
    const converted = outcomes.filter((o) => o.result);
    expect(converted.length).toBe(files.length - Object.keys(refused).length);
  });

  it('gives the same JSON as the suite where it has both formats (differences are deliberate)', () => {
    const different: Record<string, string> = {};
    let pairs = 0;
    for (const { file, result } of outcomes) {
      const twin = file.replace(/\.xml$/, '.json');
      if (!result || !existsSync(twin)) continue;
      let expected: unknown;
      try {
        expected = JSON.parse(readFileSync(twin, 'utf8'));
      } catch {
        continue; // the JSON twin is broken on purpose
      }
      pairs++;
      const diff = firstDifference(comparable(result.resource), comparable(expected));
      if (diff) different[relative(suite, file)] = diff;
    }
    // unicode-problem.xml, refused (a character reference XML 1.0 does not allow), is not compared with its twin.
    expect(pairs).toBe(28);
    expect(different).toEqual(DELIBERATE_DIFFERENCES);
  });
});

/** Pairs whose XML and JSON differ in the suite itself, checked one by one. */
const DELIBERATE_DIFFERENCES: Record<string, string> = {
  'Observation-ex-pain.xml': '._status', // XML has <status id="this" something="that">, JSON has no _status
  'bundle-signed-good.xml': '.entry.0.resource.text.div', // JSON narrative has an extra <a name> anchor
  'group-choice-bad1.xml': '.characteristic.0.value', // R4 has no bare <value>: reported as unknown
  'group-choice-bad2.xml': '.characteristic.0.valueInteger', // valueInteger is not an R4 Group choice
  'group-choice-bad3.xml': '.characteristic.0.valueBoolean', // XML "1" is not a boolean; JSON has the number 1
  'group-choice-good.xml': '.membership', // Group.membership is R5
  'group-minimal.xml': '.membership',
  'ips-link.xml': '.timestamp', // different fractional seconds in the two files
  'list-contained-bad.xml': '.contained.0.id', // pat1 vs pat2
  'list-empty2.xml': '.entry.0', // XML has an empty <entry/>, JSON none
  'list-xhtml-element.xml': '.text.div', // narrative content differs in the two files
  'list-xhtml-wrongns2.xml': '.text.div', // XML keeps the wrong-namespace <n:p>, JSON has a plain <p>
  'primitive-good-ws.xml': '.parameter.0.valueString', // different whitespace in the two files
};

describeWithShared('HL7 validator suite, R4 XML cases', ['fhir-test-cases'], (cases) => {
  const suite = join(cases, 'validator');
  it('raises no issue on an instance the reference validator finds free of errors (tiers A and B)', () => {
    const index = JSON.parse(readFileSync(join(cases, 'r4-index.json'), 'utf8')) as Record<string, unknown>;
    const rows = Object.values(index).find(Array.isArray) as { file: string; fmt: string; tier: string; counts?: Record<string, number> }[];
    const clean = rows.filter((r) => r.fmt === 'xml' && !r.tier.startsWith('C') && !r.counts?.['base:error']);
    expect(clean.length).toBeGreaterThan(50);
    const flagged = clean.flatMap((r) => {
      const { issues } = parseFhirXml(readFileSync(join(suite, r.file)));
      return issues.length ? [`${r.file}: ${issues[0]!.message}`] : [];
    });
    expect(flagged).toEqual([]);
  });
});

describeWithShared('HL7 validator suite, JSON -> XML -> JSON', ['fhir-test-cases', 'validator'], (suite) => {
  it('round-trips every JSON instance of a known type, or reports why it cannot', () => {
    let candidates = 0;
    let exact = 0;
    const silent: string[] = [];
    for (const file of walk(suite).filter((f) => f.endsWith('.json'))) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      let written;
      try {
        written = toFhirXml(json);
      } catch (error) {
        if (error instanceof FormatError) continue; // not a resource, or not an R4 resource type
        throw error;
      }
      candidates++;
      const back = parseFhirXml(written.xml);
      if (isDeepStrictEqual(comparable(back.resource), comparable(json))) exact++;
      // A difference is only acceptable when the JSON -> XML step said what it could not carry.
      else if (written.issues.length === 0) silent.push(`${relative(suite, file)} ${firstDifference(comparable(back.resource), comparable(json))}`);
    }
    expect(silent).toEqual([]);
    expect(candidates).toBeGreaterThan(700);
    console.info(`round-trip: ${exact}/${candidates} exact; the rest are invalid inputs with reported issues`);
    expect(exact / candidates).toBeGreaterThan(0.85);
  });
});
