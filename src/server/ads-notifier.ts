/**
 * The processing service's side of the stand-ins: after the ADS stand-in accepts a bundle, post a
 * notification in the project's default format to the trust's MESH mailbox after a delay: `rejected`
 * with the validator's issues for a bundle that failed validation, `accepted` for one that passed (when
 * confirmations are on). The live service's format is unpublished; see docs/mesh-notifications.md.
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { defaultNotificationHeaders, encodeDefaultNotification, type SubmissionRef } from '../mesh/index.js';
import type { BundleVerdict, ReceivedInfo } from './ads-server.js';
import type { MeshStandIn } from './mesh-server.js';

/** Settings of {@link AdsNotifier}. */
export interface AdsNotifierOptions {
  mesh: MeshStandIn;
  /** The trust's mailbox, where notifications go. */
  trustMailbox: string;
  /** The processing service's mailbox, the sender. */
  serviceMailbox: string;
  /** Wait before posting (default 200 ms): the live service answers minutes or hours later. */
  delayMs?: number;
  /** Also post `accepted` notifications for bundles that passed (default true). */
  confirmValid?: boolean;
}

/** Errors and fatal issues reject a bundle; warnings and information do not. */
export function verdictOf(outcome: OperationOutcome): BundleVerdict {
  const issues = outcome.issue ?? [];
  return { valid: !issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues };
}

/** Posts delayed notifications for what the ADS stand-in received; use `onReceived` as its hook. */
export class AdsNotifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiters: Array<() => void> = [];
  private posted = 0;

  constructor(private readonly options: AdsNotifierOptions) {}

  /** Notifications posted so far. */
  get postedCount(): number {
    return this.posted;
  }

  /** Notifications waiting for their delay. */
  get pendingCount(): number {
    return this.timers.size;
  }

  /** The ADS stand-in's `onReceived` hook. Bundles the stand-in could not judge (no validator) get nothing. */
  readonly onReceived = (bundle: unknown, _receiptId: string, info: ReceivedInfo): void => {
    const verdict = info.verdict;
    if (!verdict || (verdict.valid && this.options.confirmValid === false)) return;
    const submissionRef: SubmissionRef = { receiptId: info.receiptId, ...optional('correlationId', info.correlationId), ...optional('bundleId', bundleIdOf(bundle)) };
    const issue = Array.isArray(verdict.issues) ? (verdict.issues as OperationOutcomeIssue[]) : [];
    const body = encodeDefaultNotification({
      submissionRef,
      status: verdict.valid ? 'accepted' : 'rejected',
      outcome: { resourceType: 'OperationOutcome', issue: verdict.valid ? [] : issue },
    });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.options.mesh.postMessage(this.options.trustMailbox, body, {
        'mex-From': this.options.serviceMailbox,
        ...defaultNotificationHeaders(submissionRef),
      });
      this.posted += 1;
      this.wake();
    }, this.options.delayMs ?? 200);
    this.timers.add(timer);
  };

  /** Resolves once every notification scheduled so far has been posted. */
  idle(): Promise<void> {
    if (this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops the notifications still waiting (on shutdown). */
  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wake();
  }

  private wake(): void {
    if (this.timers.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** `Bundle.identifier.value`, else `Bundle.id`: the default format's `bundleId`. */
function bundleIdOf(bundle: unknown): string | undefined {
  const b = bundle as { id?: unknown; identifier?: { value?: unknown } } | null;
  const value = b?.identifier?.value;
  if (typeof value === 'string') return value;
  return typeof b?.id === 'string' ? b.id : undefined;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
