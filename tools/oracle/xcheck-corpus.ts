/**
 * The corpus of the conformance cross-check (`npm run oracle:xcheck`): real definitional resources, not mutated.
 * The conformance and terminology resources and the Questionnaire / QuestionnaireResponse / Measure / MeasureReport
 * examples of hl7.fhir.r4.examples (the R4 examples test leaves the conformance ones out), UK Core's conformance
 * resources and the ADS profiles. Large groups are thinned to every n-th file by name (deterministic), so one JVM
 * run on a shared machine stays within minutes; the stride is part of the corpus description.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PROJECT_DIR } from './paths.js';

export interface XcheckFile {
  /** Absolute path. */
  path: string;
  /** Where it came from, for the report: r4-examples, ukcore, ads. */
  source: string;
  resourceType: string;
}

/** Every n-th file of each resource type (1 = all of them). */
const R4_STRIDE: Record<string, number> = {
  Questionnaire: 1,
  QuestionnaireResponse: 1,
  Measure: 1,
  MeasureReport: 1,
  StructureMap: 1,
  ImplementationGuide: 1,
  OperationDefinition: 1,
  CapabilityStatement: 1,
  NamingSystem: 1,
  CompartmentDefinition: 1,
  GraphDefinition: 1,
  MessageDefinition: 1,
  TerminologyCapabilities: 1,
  ExampleScenario: 1,
  ConceptMap: 8,
  SearchParameter: 20,
  StructureDefinition: 24,
  CodeSystem: 30,
  ValueSet: 30,
};

function thinned(dir: string, source: string, stride: (type: string) => number): XcheckFile[] {
  const byType = new Map<string, XcheckFile[]>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json').sort()) {
    const path = join(dir, name);
    let resourceType: unknown;
    try {
      resourceType = (JSON.parse(readFileSync(path, 'utf8')) as { resourceType?: unknown }).resourceType;
    } catch {
      continue;
    }
    if (typeof resourceType !== 'string') continue;
    const list = byType.get(resourceType) ?? [];
    list.push({ path, source, resourceType });
    byType.set(resourceType, list);
  }
  const out: XcheckFile[] = [];
  for (const [type, list] of byType) {
    const n = stride(type);
    if (n > 0) out.push(...list.filter((_, i) => i % n === 0));
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export const XCHECK_CORPUS_TEXT =
  'hl7.fhir.r4.examples: every Questionnaire, QuestionnaireResponse, Measure, MeasureReport, StructureMap, ImplementationGuide, ' +
  'OperationDefinition, CapabilityStatement, NamingSystem, CompartmentDefinition, GraphDefinition, MessageDefinition, ' +
  'TerminologyCapabilities, ExampleScenario; every 8th ConceptMap, 20th SearchParameter, 12th StructureDefinition, 30th CodeSystem ' +
  'and ValueSet (by file name). UK Core (../shared/fhir/ukcore/json): every 8th StructureDefinition, 5th ValueSet and CodeSystem. ' +
  'ADS profiles (profiles/ads): every file.';

export function xcheckCorpus(): XcheckFile[] {
  const r4 = dirname(createRequire(join(PROJECT_DIR, 'package.json')).resolve('hl7.fhir.r4.examples/package.json'));
  const files = thinned(r4, 'r4-examples', (t) => R4_STRIDE[t] ?? 0);
  const uk = join(PROJECT_DIR, '..', 'shared', 'fhir', 'ukcore', 'json');
  if (existsSync(uk)) {
    files.push(...thinned(join(uk, 'structuredefinitions'), 'ukcore', () => 8));
    files.push(...thinned(join(uk, 'valuesets'), 'ukcore', () => 5));
    files.push(...thinned(join(uk, 'codesystems'), 'ukcore', () => 5));
  }
  files.push(...thinned(join(PROJECT_DIR, 'profiles', 'ads'), 'ads', () => 1));
  return files;
}
