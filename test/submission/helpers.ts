/** Shared helpers for the submission integration tests: a recording transport and no-wait clocks. */
import { createTransport, type Exchange } from '../../src/net/index.js';
import type { Clock } from '../../src/submission/index.js';

/** The real transport, recording each request's URL, headers and body text and each answer's body. */
export function recordingTransport(): { transport: Exchange; requests: { url: string; headers: Headers; body: string }[]; answers: string[] } {
  const requests: { url: string; headers: Headers; body: string }[] = [];
  const answers: string[] = [];
  const real = createTransport({ service: 'test' });
  return {
    requests,
    answers,
    transport: async (request) => {
      requests.push({ url: request.url, headers: new Headers(request.headers), body: String(request.body ?? '') });
      const response = await real.exchange(request);
      answers.push(response.body.toString('utf8'));
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
