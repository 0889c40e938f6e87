import type { Parameters as FhirParameters, ParametersParameter } from 'fhir/r4';
import type { Client } from 'fhir-kit-client';
import type { TerminologyAdapter, ValidateCodeRequest, ValidateCodeResult } from './adapter.js';

type OperationInput = Parameters<Client['operation']>[0]['input'];

export interface FhirServerTerminologyAdapterOptions {
  /** FHIR base URL of the terminology server, e.g. `https://terminology.example.org/fhir`. */
  baseUrl: string;
  /** Bearer token, read by the caller from a file or the environment. */
  bearerToken?: string;
  /** Extra request headers (e.g. an API key). */
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * Asks a FHIR terminology server `ValueSet/$validate-code`.
 *
 * Requests are POSTed as a Parameters resource so that codes never appear in URLs or access logs.
 * Wrap it in a {@link RemoteTerminology} for caching and for use from the synchronous validator.
 */
export class FhirServerTerminologyAdapter implements TerminologyAdapter {
  private client: Promise<Client> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: FhirServerTerminologyAdapterOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** fhir-kit-client ships as ESM only: loading it on first use keeps the CommonJS build loadable. */
  private connect(): Promise<Client> {
    this.client ??= import('fhir-kit-client').then(
      ({ Client }) =>
        new Client({
          baseUrl: this.options.baseUrl,
          ...(this.options.headers ? { customHeaders: this.options.headers } : {}),
          ...(this.options.bearerToken ? { bearerToken: this.options.bearerToken } : {}),
        }),
    );
    return this.client;
  }

  async validateCode(request: ValidateCodeRequest): Promise<ValidateCodeResult> {
    const parameter: ParametersParameter[] = [
      { name: 'url', valueUri: request.valueSet },
      { name: 'code', valueCode: request.code },
    ];
    if (request.system) parameter.push({ name: 'system', valueUri: request.system });
    if (request.display) parameter.push({ name: 'display', valueString: request.display });
    const input: FhirParameters = { resourceType: 'Parameters', parameter };
    const client = await this.connect();
    const output = await client.operation({
      name: 'validate-code',
      resourceType: 'ValueSet',
      method: 'POST',
      // The client's own resource typing is narrower than the R4 Parameters type.
      input: input as unknown as OperationInput,
      options: { signal: AbortSignal.timeout(this.timeoutMs) },
    });
    return readValidateCodeOutput(output);
  }
}

/** Reads `$validate-code` output parameters; throws when the answer has no boolean `result`. */
export function readValidateCodeOutput(output: unknown): ValidateCodeResult {
  const params = output as FhirParameters | undefined;
  if (!params || params.resourceType !== 'Parameters') throw new Error('the terminology server did not return Parameters');
  const find = (name: string): ParametersParameter | undefined => params.parameter?.find((p) => p.name === name);
  const result = find('result')?.valueBoolean;
  if (typeof result !== 'boolean') throw new Error('the terminology server answer has no result');
  const answer: ValidateCodeResult = { result };
  const display = find('display')?.valueString;
  const message = find('message')?.valueString;
  if (display !== undefined) answer.display = display;
  if (message !== undefined) answer.message = message;
  return answer;
}
