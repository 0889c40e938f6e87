import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StructureDefinition } from 'fhir/r4';
import type { CanonicalResource, ConformanceResolver } from '../../packages/types.js';
import { MemoryResolver } from '../core-resolver.js';
import type { BindingChecker, InvariantEvaluator, ValidationIssue } from '../../plugin-types/index.js';
import { unreadableXmlIssue } from '../format-issues.js';
import { Validator } from '../validator.js';
import { mergeXmlIssues } from '../xml-issues.js';
import { scoreStep, type StepScore } from './score.js';
import type { SuiteCase } from './suite.js';

/** Parses FHIR XML into the JSON form, with what the reader could not place (reported for the instance only). */
export type XmlParser = (xml: string) => { resource: unknown; issues?: ValidationIssue[] };

export interface RunnerOptions {
  /** Suite root (holding r4-index.json and validator/). */
  dir: string;
  /** Core R4 resources, loaded once by the caller. */
  core: CanonicalResource[];
  xmlParser?: XmlParser;
  /**
   * Builds the resolver for one case from core plus the case's own files. The default keeps
   * snapshots as given; the package store plugs in here to generate missing snapshots.
   */
  createResolver?: (core: CanonicalResource[], extra: CanonicalResource[]) => ConformanceResolver;
  terminology?: (resolver: ConformanceResolver) => BindingChecker | undefined;
  invariants?: (resolver: ConformanceResolver) => InvariantEvaluator | undefined;
  /**
   * Report every consequence of a defect (`EngineOptions.reportConsequences`), as the reference validator that
   * produced the suite's expected outcomes does. Default false: the toolkit's own root-cause reporting.
   */
  reportConsequences?: boolean;
}

export type CaseStatus = 'ran' | 'xml-unsupported' | 'snapshot-missing' | 'load-failed' | 'no-expectation';

export interface CaseResult {
  name: string;
  tier: string;
  fmt: 'json' | 'xml';
  status: CaseStatus;
  /** Why the case could not run, when status is not 'ran'. */
  reason?: string;
  steps: { kind: 'base' | 'profile'; score: StepScore; issues: ValidationIssue[] }[];
  L1: boolean;
  L2: boolean;
  L3: boolean;
}

class CaseSetupError extends Error {
  constructor(
    readonly status: CaseStatus,
    message: string,
  ) {
    super(message);
  }
}

function readResource(dir: string, file: string, xml: XmlParser | undefined): unknown {
  const text = readFileSync(join(dir, 'validator', file), 'utf8');
  if (file.endsWith('.xml')) {
    if (!xml) throw new CaseSetupError('xml-unsupported', `${file} is XML and no XML parser is configured`);
    return xml(text).resource;
  }
  return JSON.parse(text);
}

function defaultResolver(core: CanonicalResource[], extra: CanonicalResource[]): ConformanceResolver {
  return new MemoryResolver([...core, ...extra]);
}

/** Flattens a loaded file into canonical resources (Bundles contribute their entries). */
function canonicalResources(r: unknown): CanonicalResource[] {
  if (!r || typeof r !== 'object') return [];
  const res = r as CanonicalResource & { entry?: { resource?: unknown }[] };
  if (res.resourceType === 'Bundle') return (res.entry ?? []).flatMap((e) => canonicalResources(e.resource));
  return [res];
}

/**
 * Definitions the instance names by canonical URL that sit in the suite folder as `<last segment>.json|xml`,
 * as the reference test harness resolves them from the folder.
 */
function folderDefinitions(dir: string, text: string, xml: XmlParser | undefined): CanonicalResource[] {
  const out: CanonicalResource[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/https?:\/\/[^"'\s<>|]+/g)) {
    const url = m[0];
    const tail = url.slice(url.lastIndexOf('/') + 1);
    if (!tail || seen.has(tail) || !/^[\w.-]+$/.test(tail)) continue;
    seen.add(tail);
    for (const ext of ['.json', '.xml']) {
      const file = join(dir, 'validator', tail + ext);
      if (!existsSync(file)) continue;
      try {
        const r = readResource(dir, tail + ext, xml) as CanonicalResource;
        if (r && r.url === url) out.push(r);
      } catch {
        // Unreadable neighbours are ignored: the harness would not find them either.
      }
      break;
    }
  }
  return out;
}

/** Resolves `Type/id` references to `<id>` or `<type>-<id>` (.json|.xml) in the suite folder, as the reference harness does. */
function folderFetcher(dir: string, xml: XmlParser | undefined): (ref: string) => Record<string, unknown> | undefined {
  const cache = new Map<string, Record<string, unknown> | undefined>();
  return (ref) => {
    if (cache.has(ref)) return cache.get(ref);
    const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
    let found: Record<string, unknown> | undefined;
    // `<id>` or `<type>-<id>` in lower case, as the reference harness names fetched resources.
    const names = m ? [m[2]!, `${m[1]!.toLowerCase()}-${m[2]!.toLowerCase()}`] : [];
    const files = names.flatMap((n) => [`${n}.json`, `${n}.xml`]);
    for (const file of files) {
      if (!existsSync(join(dir, 'validator', file))) continue;
      try {
        const r = readResource(dir, file, xml) as Record<string, unknown>;
        if (r && r.resourceType === m![1]) found = r;
      } catch {
        // An unreadable file resolves nothing.
      }
      if (found) break;
    }
    cache.set(ref, found);
    return found;
  };
}

/** Runs one case: loads its files, validates each step, scores it. Never throws. */
export function runCase(c: SuiteCase, opts: RunnerOptions): CaseResult {
  const result: CaseResult = { name: c.name, tier: c.tier, fmt: c.fmt, status: 'ran', steps: [], L1: false, L2: false, L3: false };
  try {
    if (c.fmt === 'xml' && !opts.xmlParser) throw new CaseSetupError('xml-unsupported', 'XML instance and no XML parser configured');
    // JSON instances go in as text so parse errors and positions are the validator's own.
    const instanceText = readFileSync(join(opts.dir, 'validator', c.file), 'utf8');
    let parsedXml: ReturnType<XmlParser> | undefined;
    // An instance the XML reader rejects is the case's outcome (one fatal issue, as the product reports
    // it), not a case that could not run.
    let unreadable: ValidationIssue | undefined;
    try {
      parsedXml = c.fmt === 'xml' ? opts.xmlParser!(instanceText) : undefined;
    } catch (e) {
      unreadable = unreadableXmlIssue(e);
    }
    const instance = parsedXml ? parsedXml.resource : instanceText;
    const readerIssues = parsedXml?.issues ?? [];
    const shared = [
      ...folderDefinitions(opts.dir, instanceText, opts.xmlParser),
      ...c.supporting.flatMap((f) => canonicalResources(readResource(opts.dir, f, opts.xmlParser))),
    ];
    for (const step of c.steps) {
      if (!step.expected) throw new CaseSetupError('no-expectation', `no expected outcome for the ${step.kind} step`);
      if (unreadable) {
        result.steps.push({ kind: step.kind, score: scoreStep(step.expected, [unreadable]), issues: [unreadable] });
        continue;
      }
      const extra = [...shared];
      let profileUrl: string | undefined;
      if (step.kind === 'profile') {
        extra.push(...step.supporting.flatMap((f) => canonicalResources(readResource(opts.dir, f, opts.xmlParser))));
        const src = step.profileSource!;
        if (/^https?:/.test(src)) profileUrl = src;
        else {
          const sd = readResource(opts.dir, src, opts.xmlParser) as StructureDefinition;
          extra.push(...canonicalResources(sd));
          profileUrl = sd.url;
        }
      }
      const resolver = (opts.createResolver ?? defaultResolver)(opts.core, extra);
      const validator = new Validator(resolver, {
        terminology: opts.terminology?.(resolver),
        invariants: opts.invariants?.(resolver),
        allowedExtensionDomains: c.allowedExtensionDomains,
        // The suite's runner ignores best-practice recommendations unless a case sets `best-practice` (none does).
        bestPractice: 'ignore',
        ...(opts.reportConsequences ? { reportConsequences: true } : {}),
      });
      const globalProfiles = extra.flatMap((r) => (r.resourceType === 'ImplementationGuide' ? (r.global ?? []).map((g) => ({ type: g.type, profile: g.profile })) : []));
      const issues = validator.validateToIssues(instance, {
        profiles: profileUrl ? [profileUrl] : [],
        assumeValidRestReferences: step.assumeValidRestReferences,
        noHtmlInMarkdown: c.noHtmlInMarkdown,
        bundleProfiles: c.bundleProfiles,
        fetchReference: c.validateReference ? folderFetcher(opts.dir, opts.xmlParser) : undefined,
        globalProfiles,
        ...(c.language ? { displayLanguage: c.language } : {}),
      });
      const missing = validator.missingSnapshots();
      if (missing.length) throw new CaseSetupError('snapshot-missing', `no snapshot for ${missing.join(', ')}`);
      // The XML reader's findings belong to the instance, so every step reports them, as the reference validator does;
      // they are merged with the engine's as the product merges them.
      const merged = parsedXml ? mergeXmlIssues(readerIssues, issues) : { reader: [], engine: issues };
      const all = [...merged.reader, ...merged.engine];
      result.steps.push({ kind: step.kind, score: scoreStep(step.expected, all), issues: all });
    }
    result.L1 = result.steps.every((s) => s.score.L1);
    result.L2 = result.steps.every((s) => s.score.L2);
    result.L3 = result.steps.every((s) => s.score.L3);
  } catch (e) {
    result.status = e instanceof CaseSetupError ? e.status : 'load-failed';
    result.reason = e instanceof Error ? e.message : String(e);
  }
  return result;
}

export interface SuiteSummary {
  tierA: { cases: number; L1: number; L2: number; L3: number };
  tierB: { cases: number; L1: number };
}

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((1000 * n) / d) / 10);

/**
 * Summarises results: cases that could not run count as failures. XML cases are counted only when
 * an XML parser was configured (`includeXml`).
 */
export function summarise(results: CaseResult[], includeXml: boolean): SuiteSummary {
  const counted = results.filter((r) => includeXml || r.fmt === 'json');
  const a = counted.filter((r) => r.tier.startsWith('A'));
  const b = counted.filter((r) => r.tier.startsWith('B'));
  return {
    tierA: { cases: a.length, L1: pct(a.filter((r) => r.L1).length, a.length), L2: pct(a.filter((r) => r.L2).length, a.length), L3: pct(a.filter((r) => r.L3).length, a.length) },
    tierB: { cases: b.length, L1: pct(b.filter((r) => r.L1).length, b.length) },
  };
}
