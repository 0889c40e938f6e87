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
