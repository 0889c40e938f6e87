import type { FhirResource, Reference } from 'fhir/r4';
import type { AuditOption } from '../audit/option.js';
import type { PreparedCall } from './call.js';
import type { BundleType, TriageKind } from './codes.js';
import { AdsBuilderError } from './errors.js';
import type { ValidateFn } from './options.js';

/** One bundle entry as the builder keeps it (frozen). */
export interface Entry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
}

export interface Config {
  readonly ids: () => string;
  readonly clock: () => Date;
  readonly cadSystem: string;
  readonly bundleType: BundleType;
  readonly validate?: ValidateFn;
  readonly audit?: AuditOption;
}

/** What a key names: a response, a patient or a patient contact, and its entry. */
export type KeyKind = 'response' | 'patient' | 'contact';

/**
 * The keys a builder has handed out, by kind, as string literal unions: `.response('ea1', ...)` adds `'ea1'` to
 * `response`, so `.patientContact({ response: 'ea1', patient: 'p1', ... })` compiles only with keys of the right kind.
 */
export interface BuilderKeys {
  readonly response: string;
  readonly patient: string;
  readonly contact: string;
}

/** A builder with no keys yet. */
export interface NoKeys extends BuilderKeys {
  readonly response: never;
  readonly patient: never;
  readonly contact: never;
}

/** `K` with key `N` added to kind `Kind`. */
export type AddKey<K extends BuilderKeys, Kind extends KeyKind, N extends string> = { readonly [P in keyof BuilderKeys]: P extends Kind ? K[P] | N : K[P] };

export interface State {
  readonly config: Config;
  readonly bundleId: string;
  readonly submitter: Entry;
  readonly provider: Entry;
  readonly callUrl: string;
  readonly call?: PreparedCall;
  readonly entries: readonly Entry[];
  readonly triage: ReadonlyMap<TriageKind, string>;
  readonly encounters: readonly string[];
  readonly responses: ReadonlyMap<string, Reference>;
  readonly contacts: ReadonlyMap<string, Reference>;
  readonly vehicles: ReadonlyMap<string, string>;
  readonly destinations: ReadonlyMap<string, string>;
  /** Keys given to `response`, `patient` and `patientContact`: what they name and the entry's fullUrl. */
  readonly keys: ReadonlyMap<string, { readonly kind: KeyKind; readonly fullUrl: string }>;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Runs one builder step; a TypeError from reading into a missing part of an untyped caller's input becomes an
 * AdsBuilderError naming the input, so bad input never escapes as a crash.
 */
export function guarded<T>(field: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof TypeError) throw new AdsBuilderError(field, 'has a missing or malformed part');
    throw e;
  }
}

/** The resource with `id` placed right after `resourceType`, as FHIR JSON is usually written. */
export function withId<R extends { resourceType: string }>(resource: R, id: string): R {
  const { resourceType, ...rest } = resource;
  return { resourceType, id, ...rest } as unknown as R;
}

/** A UUID source that counts up from 1, for deterministic examples and tests. */
export function sequentialUuids(prefix = '00000000-0000-4000-8000'): () => string {
  let n = 0;
  return () => `${prefix}-${(++n).toString(16).padStart(12, '0')}`;
}
