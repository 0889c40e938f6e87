import { isBlocking, positionOf, realIssues, summarise } from './summary.js';
import type { FileOutcome } from './types.js';

/** Escapes text for an XML attribute or text node. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** JUnit XML: one test case per payload, failing when it has an error or fatal issue. */
export function formatJunit(results: readonly FileOutcome[], options: { elapsedMs?: number } = {}): string {
  const s = summarise(results, options.elapsedMs ?? 0);
  const cases = results.map((r) => {
    const issues = realIssues(r);
    const blocking = issues.filter(isBlocking);
    const describe = (list: typeof issues) =>
      list
        .map((i) => {
          const pos = positionOf(i);
          return `${i.severity}: ${i.details?.text ?? i.code}${i.expression?.[0] ? ` @ ${i.expression[0]}` : ''}${pos ? ` (${pos.line}:${pos.column})` : ''}`;
        })
        .join('\n');
    const name = escapeXml(r.file);
    if (blocking.length === 0) {
      const others = issues.length ? `\n      <system-out>${escapeXml(describe(issues))}</system-out>\n    ` : '';
      return `    <testcase classname="ads-fhir.validate" name="${name}">${others}</testcase>`;
    }
    const first = blocking[0]?.details?.text ?? 'invalid';
    return `    <testcase classname="ads-fhir.validate" name="${name}">\n      <failure message="${escapeXml(`${blocking.length} error(s): ${first}`)}" type="invalid">${escapeXml(describe(issues))}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ads-fhir validate" tests="${s.payloads}" failures="${s.failedFiles}" time="${(s.elapsedMs / 1000).toFixed(3)}">`,
    `  <testsuite name="ads-fhir validate" tests="${s.payloads}" failures="${s.failedFiles}" errors="0" skipped="0" time="${(s.elapsedMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
