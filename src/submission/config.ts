/**
 * One place that turns settings (from code or the environment) into a ready ADS client with auth.
 * Environment variables: ADS_ENVIRONMENT (sandbox | integration | production | local), ADS_BASE_URL,
 * ADS_TOKEN_URL, ADS_PATH ($process-message | submission), ADS_API_KEY, ADS_KID, ADS_PRIVATE_KEY_FILE
 * or ADS_PRIVATE_KEY (PEM text), ADS_RATE_LIMIT (per minute).
 */
import type { KeyObject } from 'node:crypto';
import { TokenClient } from './auth.js';
import { AdsClient, type AdsClientOptions } from './client.js';
import { type AdsEnvironmentName, resolveEndpoints, type SubmissionPath } from './environments.js';
import { SubmissionError } from './errors.js';
import { loadPrivateKey, type PrivateKeySource } from './keys.js';

/** Everything needed to submit to one environment. */
export interface SubmissionConfig {
  environment: AdsEnvironmentName;
  baseUrl?: string;
  tokenUrl?: string;
  path?: SubmissionPath;
  apiKey?: string;
  kid?: string;
  privateKey?: PrivateKeySource | KeyObject;
  /** Client-side limit per minute (default 300). */
  rateLimitPerMinute?: number;
  /** Extra client options (timeouts, retries, TLS, transport, clock, log). */
  client?: Omit<AdsClientOptions, 'baseUrl' | 'path' | 'auth'>;
}

const ENVIRONMENTS: AdsEnvironmentName[] = ['sandbox', 'integration', 'production', 'local'];

/** Reads a {@link SubmissionConfig} from environment variables (see the module comment). */
export function submissionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SubmissionConfig {
  const environment = (env.ADS_ENVIRONMENT ?? (env.ADS_BASE_URL ? 'local' : 'sandbox')) as AdsEnvironmentName;
  if (!ENVIRONMENTS.includes(environment)) {
    throw new SubmissionError('config', `ADS_ENVIRONMENT must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  const path = env.ADS_PATH as SubmissionPath | undefined;
  if (path !== undefined && path !== '$process-message' && path !== 'submission') {
    throw new SubmissionError('config', 'ADS_PATH must be $process-message or submission');
  }
  const rate = env.ADS_RATE_LIMIT === undefined ? undefined : Number(env.ADS_RATE_LIMIT);
  if (rate !== undefined && !(rate > 0)) throw new SubmissionError('config', 'ADS_RATE_LIMIT must be a positive number');
  const privateKey: PrivateKeySource | undefined = env.ADS_PRIVATE_KEY_FILE
    ? { file: env.ADS_PRIVATE_KEY_FILE }
    : env.ADS_PRIVATE_KEY
      ? { env: 'ADS_PRIVATE_KEY', environment: env }
      : undefined;
  return {
    environment,
    baseUrl: env.ADS_BASE_URL,
    tokenUrl: env.ADS_TOKEN_URL,
    path,
    apiKey: env.ADS_API_KEY,
    kid: env.ADS_KID,
    privateKey,
    rateLimitPerMinute: rate,
  };
}

/** Builds the client: with a {@link TokenClient} when the environment needs auth, else open access. */
export function createSubmissionClient(config: SubmissionConfig): AdsClient {
  let endpoints;
  try {
    endpoints = resolveEndpoints(config.environment, { baseUrl: config.baseUrl, tokenUrl: config.tokenUrl });
  } catch (error) {
    throw new SubmissionError('config', (error as Error).message);
  }
  let auth: TokenClient | undefined;
  if (endpoints.requiresAuth) {
    if (!config.apiKey || !config.kid || !config.privateKey) {
      throw new SubmissionError(
        'config',
        `the ${config.environment} environment needs an API key, a key id and a private key (ADS_API_KEY, ADS_KID, ADS_PRIVATE_KEY_FILE)`,
      );
    }
    const key = isKeyObject(config.privateKey) ? config.privateKey : loadPrivateKey(config.privateKey);
    auth = new TokenClient({
      tokenUrl: endpoints.tokenUrl,
      apiKey: config.apiKey,
      kid: config.kid,
      privateKey: key,
      ...(config.client?.transport ? { transport: config.client.transport } : {}),
      ...(config.client?.tls ? { tls: config.client.tls } : {}),
      ...(config.client?.clock ? { clock: config.client.clock } : {}),
    });
  }
  return new AdsClient({
    ...config.client,
    baseUrl: endpoints.baseUrl,
    path: config.path,
    auth,
    rateLimit: config.client?.rateLimit ?? { perMinute: config.rateLimitPerMinute ?? 300 },
  });
}

function isKeyObject(value: PrivateKeySource | KeyObject): value is KeyObject {
  return typeof (value as KeyObject).asymmetricKeyType === 'string' || (value as KeyObject).type === 'private';
}
