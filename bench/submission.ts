/**
 * Submission benchmark: 10 000 bundles through the durable outbox to the local stand-ins (token + ADS)
 * over loopback HTTP, then the client-side rate limiter's accuracy.
 *
 *   npx tsx bench/submission.ts            # or import { runSubmissionBench } from a bench runner
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../src/server/index.js';
import { AdsClient, Outbox, OutboxWorker, TokenClient } from '../src/submission/index.js';
import { timeOnce, timeOnceAsync } from './timing.js';

/** Settings of the benchmark. */
export interface SubmissionBenchOptions {
  /** Bundles in the throughput run (default 10 000). */
  count?: number;
  /** Sends in flight (default 16). */
  concurrency?: number;
  /** Configured limit for the accuracy run, per minute (default 1 200). */
  rateLimitPerMinute?: number;
  /** Requests in the accuracy run (default 400). */
  rateLimitRequests?: number;
}

/** Results, printed as a table and returned for a runner. */
export interface SubmissionBenchResult {
  count: number;
  concurrency: number;
  enqueueMs: number;
  deliverMs: number;
  submissionsPerSecond: number;
  accepted: number;
  lost: number;
  duplicates: number;
  rateLimit: {
    configuredPerMinute: number;
    requests: number;
    burst: number;
    observedPerMinute: number;
    accuracy: number;
    maxInAnySecond: number;
    serverRejections429: number;
  };
}

/** Runs the benchmark and returns its numbers. */
export async function runSubmissionBench(options: SubmissionBenchOptions = {}): Promise<SubmissionBenchResult> {
  const count = options.count ?? 10_000;
  const concurrency = options.concurrency ?? 16;
  const dir = mkdtempSync(join(tmpdir(), 'ads-bench-submission-'));
  try {
    const throughput = await runThroughput(dir, count, concurrency);
    const rateLimit = await runRateLimit(dir, options.rateLimitPerMinute ?? 1_200, options.rateLimitRequests ?? 400);
    return { count, concurrency, ...throughput, rateLimit };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runThroughput(dir: string, count: number, concurrency: number) {
  const sandbox = await startSandbox({ ads: { rateLimitPerMinute: false } });
  try {
    const outbox = Outbox.open(join(dir, 'throughput.sqlite'));
    const bundles = Array.from({ length: count }, (_, i) => ({
      resourceType: 'Bundle',
      id: `bench-${i}`,
      type: 'message',
      timestamp: '2026-01-01T00:00:00Z',
      entry: [],
    }));
    const enqueueMs = timeOnce(() => outbox.enqueueMany(bundles)).ms;
    const client = clientFor(sandbox, false);
    const { value: status, ms: deliverMs } = await timeOnceAsync(() => new OutboxWorker(outbox, client, { concurrency }).drain());
    outbox.close();
    const stats = sandbox.adsServer.store.stats();
    const ids = sandbox.adsServer.store.bundleIds();
    const lost = bundles.filter((b) => !ids.has(b.id)).length;
    return {
      enqueueMs: Math.round(enqueueMs),
      deliverMs: Math.round(deliverMs),
      submissionsPerSecond: Math.round((count / deliverMs) * 1000),
      accepted: status.accepted,
      lost,
      duplicates: stats.duplicates,
    };
  } finally {
    await sandbox.stop();
  }
}

async function runRateLimit(dir: string, perMinute: number, requests: number) {
  // The stand-in enforces the same per-minute figure, so any overshoot shows up as a 429.
  const arrivals: number[] = [];
  let rejected = 0;
  const sandbox = await startSandbox({
    ads: { rateLimitPerMinute: perMinute, onReceived: () => void arrivals.push(performance.now()) },
  });
  try {
    const outbox = Outbox.open(join(dir, 'ratelimit.sqlite'));
    outbox.enqueueMany(Array.from({ length: requests }, (_, i) => ({ resourceType: 'Bundle', id: `rl-${i}`, type: 'message' })));
    const client = clientFor(sandbox, perMinute, (e) => {
      if (e.event === 'retry' && e.status === 429) rejected++;
    });
    await client.submit({ resourceType: 'Bundle', id: 'warm-up', type: 'message' }); // token fetched outside the timing
    arrivals.length = 0;
    await new Promise((r) => setTimeout(r, 1_100)); // let the bucket refill to its burst
    await new OutboxWorker(outbox, client, { concurrency: 8 }).drain();
    outbox.close();
    const burst = Math.max(1, Math.floor(perMinute / 60));
    const first = arrivals[0]!;
    const last = arrivals.at(-1)!;
    // After the initial burst the bucket admits one request per 60/perMinute s.
    const observedPerMinute = ((arrivals.length - burst) / (last - first)) * 60_000;
    let maxInAnySecond = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i]! - arrivals[j]! >= 1_000) j++;
      maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
    }
    return {
      configuredPerMinute: perMinute,
      requests,
      burst,
      observedPerMinute: Math.round(observedPerMinute * 10) / 10,
      accuracy: Math.round((observedPerMinute / perMinute) * 1000) / 1000,
      maxInAnySecond,
      serverRejections429: rejected,
    };
  } finally {
    await sandbox.stop();
  }
}

function clientFor(
  sandbox: Awaited<ReturnType<typeof startSandbox>>,
  perMinute: number | false,
  log?: ConstructorParameters<typeof AdsClient>[0]['log'],
): AdsClient {
  return new AdsClient({
    baseUrl: sandbox.adsBaseUrl,
    auth: new TokenClient({
      tokenUrl: sandbox.tokenUrl,
      apiKey: sandbox.client!.apiKey,
      kid: sandbox.client!.kid,
      privateKey: sandbox.client!.privateKey,
    }),
    rateLimit: perMinute === false ? false : { perMinute },
    log,
  });
}

function print(result: SubmissionBenchResult): void {
  const r = result.rateLimit;
  console.log('Submission benchmark (outbox -> ADS client -> loopback stand-ins)');
  console.log(`  bundles                ${result.count} (concurrency ${result.concurrency})`);
  console.log(`  enqueue (1 transaction) ${result.enqueueMs} ms`);
  console.log(`  deliver                ${result.deliverMs} ms`);
  console.log(`  submissions/s          ${result.submissionsPerSecond}`);
  console.log(`  accepted / lost / dup  ${result.accepted} / ${result.lost} / ${result.duplicates}`);
  console.log(`  rate limiter           ${r.configuredPerMinute}/min configured, ${r.observedPerMinute}/min observed over ${r.requests} requests`);
  console.log(`                         accuracy ${r.accuracy}, max ${r.maxInAnySecond} in any 1 s (burst ${r.burst}), ${r.serverRejections429} x 429`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runSubmissionBench();
  print(result);
  if (result.lost > 0) process.exitCode = 1;
}
