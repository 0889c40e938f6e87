/** Shared helpers for the submission integration tests: recording fetch and no-wait clocks. */
import type { Clock, FetchLike } from '../../src/submission/index.js';

/** A fetch that records each request's URL, headers and body text, then really sends it. */
export function recordingFetch(): { fetch: FetchLike; requests: { url: string; headers: Headers; body: string }[]; answers: string[] } {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const answers: string[] = [];
  return {
    requests,
    answers,
    fetch: async (url, init) => {
      requests.push({ url, headers: new Headers(init.headers), body: String(init.body ?? '') });
      const response = await globalThis.fetch(url, init);
      const text = await response.clone().text();
      answers.push(text);
      return response;
    },
  };
}

/** The real clock, except that sleeps are recorded and skipped. */
export function instantClock(offsetMs = 0): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offsetMs,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

/** The ADS_* settings that point `submissionConfigFromEnv` at a running sandbox. */
export function sandboxEnv(
  sandbox: { adsBaseUrl: string; tokenUrl: string; client: { apiKey: string; kid: string } | undefined },
  keyFile: string,
): Record<string, string> {
  return {
    ADS_ENVIRONMENT: 'local',
    ADS_BASE_URL: sandbox.adsBaseUrl,
    ADS_TOKEN_URL: sandbox.tokenUrl,
    ADS_API_KEY: sandbox.client!.apiKey,
    ADS_KID: sandbox.client!.kid,
    ADS_PRIVATE_KEY_FILE: keyFile,
  };
}
