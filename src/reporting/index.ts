/**
 * Reports of validation runs: text for the terminal, JSON, JUnit XML for CI servers, and a
 * self-contained HTML page for tickets.
 * @module
 */
export type { FileOutcome, RunSummary } from './types.js';
export { summarise, summaryLine, isBlocking, realIssues, resourceOf, positionOf, SummaryTally } from './summary.js';
export { streamReport, type ReportStream } from './stream.js';
export { formatText } from './text.js';
export { formatJson } from './json.js';
export { formatJunit, escapeXml } from './junit.js';
export { formatHtml } from './html.js';
export { issuesAtLevel, parseReportLevel, REPORT_LEVELS, type ReportLevel } from './level.js';
export { annotateJson, lineForExpression, type AnnotatedJson } from './annotated-json.js';
