/**
 * Resource-level rules in the one signature of the rule table, `(resource, path, ctx)`, over the rule
 * modules that implement them (src/validation/*-rules.ts, questionnaire.ts, measure*.ts).
 */
import { checkQuestionnaireBindingParameters } from '../../binding-parameters.js';
import { checkMeasureReport } from '../../measure.js';
import { checkMeasure } from '../../measure-criteria.js';
import { checkQuestionnaire, checkQuestionnaireResponse } from '../../questionnaire/index.js';
import { checkCapabilityStatement, checkCodeSystem } from '../../resource-rules.js';
import { checkStructureDefinition } from '../../sd-rules.js';
import type { ResourceRule } from '../context.js';
import { conformanceContext } from './conformance.js';
import { enableWhenExpression } from './invariants.js';

export const codeSystemRules: ResourceRule = (cs, path, ctx) => {
  const containedIn = /\.contained\[\d+\]$/.test(path) ? ctx.scope?.parent?.resource.resourceType : undefined;
  checkCodeSystem(cs, path, ctx.lookup, ctx.report, typeof containedIn === 'string' ? containedIn : undefined);
};
export const questionnaireRules: ResourceRule = (q, path, ctx) => checkQuestionnaire(q, path, ctx.report, (url) => ctx.registry.canonical(url));
export const questionnaireBindingParameters: ResourceRule = (q, path, ctx) => checkQuestionnaireBindingParameters(q, path, ctx.lookup, ctx.report);
/** Search parameters cited by a CapabilityStatement are looked up as the SearchParameter rules do (core R4 included). */
export const capabilityStatementRules: ResourceRule = (cs, path, ctx) => checkCapabilityStatement(cs, path, conformanceContext(ctx).searchParameter, ctx.report);
export const measureCriteria: ResourceRule = (m, path, ctx) => checkMeasure(m, path, ctx.lookup, ctx.report);

/** CodeSystem, ValueSet and ConceptMap authoring rules that need the terminology plug-in (BindingChecker.checkResource). */
export const terminologyResourceRules: ResourceRule = (resource, path, ctx) => {
  const checker = ctx.options.terminology;
  if (checker?.checkResource) ctx.addIssues(checker.checkResource(resource, path), path);
};

export const structureDefinitionRules: ResourceRule = (sd, path, ctx) => {
  const { registry } = ctx;
  checkStructureDefinition(sd, path, (n) => !!registry.get(n), (u) => registry.get(u)?.type, (u) => registry.fixedValues(u), (u) => registry.canonical(u), ctx.report, {
    withSnapshot: (u) => registry.withSnapshot(u) as Record<string, unknown> | undefined,
    hasDerived: (u) => registry.hasDerived(u),
  });
};

/** A MeasureReport against its Measure. */
export const measureReportRules: ResourceRule = (mr, path, ctx) => checkMeasureReport(mr, path, { lookup: ctx.lookup, resolveRef: ctx.resolveRef, report: ctx.report });

/** A QuestionnaireResponse against its Questionnaire (contained, or a canonical the validator knows). */
export const questionnaireResponseRules: ResourceRule = (qr, path, ctx) => {
  checkQuestionnaireResponse(qr, path, {
    report: ctx.report,
    addIssues: (found) => ctx.addIssues(found, path),
    lookup: (url) => ctx.registry.canonical(url),
    terminology: ctx.options.terminology,
    expression: enableWhenExpression(qr, path, ctx),
    assumeValidRestReferences: ctx.options.assumeValidRestReferences,
  });
};
