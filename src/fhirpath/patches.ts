/**
 * Core R4 invariants whose published FHIRPath is wrong or cannot be evaluated as written, and the
 * expression evaluated instead. A patch applies only when both key and published text match exactly,
 * so a profile that reuses a key for its own rule is never rewritten. See docs/invariants.md.
 */
export interface InvariantPatch {
  key: string;
  /** The published expression, verbatim. */
  published: string;
  /** The expression evaluated instead. */
  replacement: string;
  /** Why, for the docs and for reviewers. */
  reason: string;
}

const NAME_RULE = "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')";
/** Keys of the R4 "name should be usable as an identifier" rule on every canonical resource. */
const NAME_RULE_KEYS = [
  'adf-0', 'cpb-0', 'cid-0', 'csd-0', 'cpd-0', 'cmd-0', 'ees-0', 'evd-0', 'evi-0', 'evv-0', 'esc-0', 'gdf-0', 'ig-0', 'lib-0', 'mea-0',
  'msd-0', 'nsd-0', 'opd-0', 'pdf-0', 'que-0', 'rsd-0', 'red-0', 'rvs-0', 'spd-0', 'sdf-0', 'smp-0', 'tcp-0', 'tst-0', 'vsd-0', 'inv-0',
];

export const CORE_R4_PATCHES: readonly InvariantPatch[] = [
  ...NAME_RULE_KEYS.map((key) => ({
    key,
    published: NAME_RULE,
    replacement: `name.exists() implies ${NAME_RULE}`,
    reason: 'A resource without a name is not in breach of a rule about the shape of the name (R5 cnl-0 adds the same guard).',
  })),
  {
    key: 'ref-1',
    published: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
    replacement:
      "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1) in %rootResource.contained.id) or (reference = '#' and %rootResource != %resource))",
    reason:
      'As published, a Reference with only an identifier or display yields empty (a failure), and a contained resource ' +
      "pointing back at its container with '#' fails. The R5 text fixes both; trace() calls are dropped.",
  },
  {
    key: 'ras-2',
    published: 'probability is decimal implies (probability as decimal) <= 100',
    replacement: 'probability.empty() or ((probability is decimal) implies ((probability as decimal) <= 100))',
    reason:
      'A prediction without a probability (only a qualitative risk) yields empty as published, which fails the rule; ' +
      'the reference validator accepts such predictions (the official RiskAssessment examples).',
  },
  {
    key: 'que-12',
    published: 'enableWhen.count() > 2 implies enableBehavior.exists()',
    replacement: 'enableWhen.count() > 1 implies enableBehavior.exists()',
    reason: "The human text says 'more than one enableWhen'; the published expression says more than two (fixed in R4B/R5).",
  },
  {
    key: 'que-7',
    published: "operator = 'exists' implies (answer is Boolean)",
    replacement: "operator = 'exists' implies (answer is boolean)",
    reason: 'answer[x] is the FHIR boolean type; `is Boolean` tests for System.Boolean and is false for every FHIR value.',
  },
  {
    key: 'opd-3',
    published: "targetProfile.exists() implies (type = 'Reference' or type = 'canonical')",
    replacement: "targetProfile.exists() implies (type = 'Reference' or type = 'canonical' or type.isResourceType())",
    reason: 'Operation parameters of a resource type may also name a target profile (R5 allows any resource type).',
  },
  {
    key: 'txt-1',
    published: 'htmlChecks()',
    replacement: 'narrativeMarkupValid()',
    reason:
      'txt-1 and txt-2 share the text htmlChecks(), so one failure would be reported twice. txt-1 keeps the markup rule ' +
      '(well-formed, div root, permitted elements and attributes, as listed by the Java validator: xml:lang, xmlns:*, ' +
      'image maps and HTML entities are accepted, which fhirpath.js htmlChecks() rejects).',
  },
  {
    key: 'txt-2',
    published: 'htmlChecks()',
    replacement: 'narrativeHasContent()',
    reason: 'txt-2 keeps only the content rule: some non-whitespace text or an img with src.',
  },
];

const byKeyAndText = new Map<string, InvariantPatch>();

/** The expression to evaluate for a constraint: the patched one when a patch applies, else the original. */
export function patchedExpression(key: string, expression: string, patches: readonly InvariantPatch[] = CORE_R4_PATCHES): string {
  if (patches === CORE_R4_PATCHES) {
    if (byKeyAndText.size === 0) for (const p of CORE_R4_PATCHES) byKeyAndText.set(`${p.key}\0${p.published}`, p);
    return byKeyAndText.get(`${key}\0${expression}`)?.replacement ?? expression;
  }
  return patches.find((p) => p.key === key && p.published === expression)?.replacement ?? expression;
}
