/**
 * Where the Ambulance Data Submission API and the platform's token endpoint live, per environment.
 * Sandbox and integration are from the current ADS OpenAPI; production is from the 2021 version of it.
 */

/** The named environments, plus `local` for a stand-in or a test server. */
export type AdsEnvironmentName = 'sandbox' | 'integration' | 'production' | 'local';

/** Endpoints of one environment. */
export interface AdsEndpoints {
  /** API base, without a trailing slash: the client POSTs to `{base}/$process-message`. */
  baseUrl: string;
  /** The exact token URL, also the assertion's `aud`. */
  tokenUrl: string;
  /** The sandbox is open access: no token is needed (nor checked). */
  requiresAuth: boolean;
}

/** The published environments. */
export const ADS_ENVIRONMENTS: Readonly<Record<Exclude<AdsEnvironmentName, 'local'>, AdsEndpoints>> = {
  sandbox: {
    baseUrl: 'https://sandbox.api.service.nhs.uk/ambulance-data-submission',
    tokenUrl: 'https://sandbox.api.service.nhs.uk/oauth2/token',
    requiresAuth: false,
  },
  integration: {
    baseUrl: 'https://int.api.service.nhs.uk/ambulance-data-submission',
    tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
    requiresAuth: true,
  },
  production: {
    baseUrl: 'https://api.service.nhs.uk/ambulance-data-submission',
    tokenUrl: 'https://api.service.nhs.uk/oauth2/token',
    requiresAuth: true,
  },
};

/** The submission path: `$process-message` now; `submission` for deployments still on the 2021 contract. */
export type SubmissionPath = '$process-message' | 'submission';

/**
 * Resolves an environment to its endpoints. `local` needs `baseUrl` (and `tokenUrl` when auth is used);
 * for the others, a given URL overrides the published one.
 */
export function resolveEndpoints(
  environment: AdsEnvironmentName,
  overrides: { baseUrl?: string; tokenUrl?: string } = {},
): AdsEndpoints {
  if (environment === 'local') {
    if (!overrides.baseUrl) throw new RangeError('the local environment needs a base URL');
    return {
      baseUrl: trimSlash(overrides.baseUrl),
      tokenUrl: overrides.tokenUrl ?? '',
      requiresAuth: Boolean(overrides.tokenUrl),
    };
  }
  const published = ADS_ENVIRONMENTS[environment];
  if (!published) throw new RangeError(`unknown environment ${String(environment)}`);
  return {
    baseUrl: trimSlash(overrides.baseUrl ?? published.baseUrl),
    tokenUrl: overrides.tokenUrl ?? published.tokenUrl,
    requiresAuth: published.requiresAuth,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
