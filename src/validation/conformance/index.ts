/**
 * Scores the validator against the HL7 validator test suite (R4 subset).
 * @packageDocumentation
 */
export { loadSuite, type SuiteCase, type SuiteStep, type ExpectedOutcome } from './suite.js';
export { runCase, summarise, type RunnerOptions, type CaseResult, type SuiteSummary, type XmlParser, type CaseStatus } from './runner.js';
export { scoreStep, normaliseLocation, type StepScore } from './score.js';
