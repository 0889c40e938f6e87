import type { Reporter, TestModule } from 'vitest/node';
import { NEEDS_SHARED, SHARED_ENV, SHARED_ROOT } from './support/shared.js';

/**
 * Ends the run with one plain line, `tests: N passed, N failed`, that any CI log reader understands; and,
 * when tests were skipped for want of the shared reference material, one line saying which and how to get it.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const needed = new Set<string>();
    let files = 0;
    for (const mod of testModules) {
      let needsShared = false;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const at = test.fullName.indexOf(NEEDS_SHARED);
        if (state === 'skipped' && at >= 0) {
          needed.add(test.fullName.slice(at + NEEDS_SHARED.length).replace(/\).*$/, '').trim());
          needsShared = true;
        }
      }
      if (needsShared) files++;
    }
    process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    if (needed.size) {
      process.stdout.write(
        `skipped ${files} test file${files === 1 ? '' : 's'} needing shared material not found in ${SHARED_ROOT} (${[...needed].sort().join(', ')}): ` +
          `set ${SHARED_ENV} to a folder holding it (see docs/testing.md)\n`,
      );
    }
  }
}
