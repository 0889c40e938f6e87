/**
 * Issues found in the one walk over a narrative's tree, held by the check that found them. The reference
 * validator runs its XHTML checks one after another, each over the whole tree, so its issues come check by
 * check; the walk visits each node once for all of them, and the held issues are then reported in that order.
 */
import type { RuleContext } from '../context.js';

/** The checks, in the order their issues are reported. */
export const CHECK = { ns: 0, names: 1, urls: 2, structure: 3, langs: 4, ids: 5, links: 6, images: 7 } as const;
export type Check = (typeof CHECK)[keyof typeof CHECK];

type Severity = 'error' | 'warning' | 'information';

interface Held {
  rule: string;
  severity: Severity;
  code: string;
  message: string;
}

export class HeldFindings {
  /** By check; a check that finds nothing holds no list. */
  private readonly held: (Held[] | undefined)[] = [];

  add(check: Check, rule: string, severity: Severity, code: string, message: string): void {
    (this.held[check] ??= []).push({ rule, severity, code, message });
  }

  /** Reports, at `at`, what the checks from `first` to `last` found, check by check. */
  report(first: Check, last: Check, at: string, ctx: RuleContext): void {
    for (let check = first; check <= last; check++) {
      const list = this.held[check];
      if (list) for (const h of list) ctx.report(h.rule, h.severity, h.code, at, h.message);
    }
  }
}
