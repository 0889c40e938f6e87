import { EXTENSIONS, PROFILES } from './canonicals.js';
import type { TypedTime } from './times.js';

/** A JSON object of the payload (rules read untrusted input: every field is checked before use). */
export type Json = Record<string, unknown>;

/** One entry of the bundle: its resource and where it is. */
export interface AdsEntry {
  readonly index: number;
  readonly fullUrl?: string;
  readonly resource: Json;
  /** FHIRPath of the resource: `Bundle.entry[3].resource`. */
  readonly path: string;
}

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objects = (v: unknown): Json[] => list(v).filter(isObject);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** True when the resource claims `profile` in meta.profile (with or without a version). */
export function claims(resource: unknown, profile: string): boolean {
  if (!isObject(resource) || !isObject(resource.meta)) return false;
  return list(resource.meta.profile).some((p) => typeof p === 'string' && (p === profile || p.startsWith(`${profile}|`)));
}

/** The first coding's code of a CodeableConcept. */
export function firstCode(concept: unknown): string | undefined {
  return isObject(concept) ? str(objects(concept.coding)[0]?.code) : undefined;
}

/** The value of the first extension with this URL. */
export function extensionValue(resource: Json, url: string): Json | undefined {
  return objects(resource.extension).find((x) => x.url === url);
}

/** The typed date-times of a resource (UK Core's and ADS's extension), with the index of the extension that holds each. */
export function typedTimes(resource: Json): (TypedTime & { readonly extension: number })[] {
  const out: (TypedTime & { extension: number })[] = [];
  list(resource.extension).forEach((ext, i) => {
    if (!isObject(ext) || (ext.url !== EXTENSIONS.typedDateTime && ext.url !== EXTENSIONS.adsTypedDateTime)) return;
    const parts = objects(ext.extension);
    const code = firstCode(parts.find((x) => x.url === 'dateTimeType')?.valueCodeableConcept);
    const value = str(parts.find((x) => x.url === 'dateTime')?.valueDateTime);
    if (code && value) out.push({ code, value, extension: i });
  });
  return out;
}

/**
 * An ADS bundle read once for the rules: entries by fullUrl, the call, the responses and patient contacts (found
 * by the profiles they claim, as a validator finds them), and reference resolution inside the bundle.
 */
export class AdsBundleView {
  readonly entries: AdsEntry[];
  private readonly byUrl = new Map<string, AdsEntry>();
  private readonly byTypeId = new Map<string, AdsEntry>();

  constructor(
    readonly bundle: Json,
    /** FHIRPath of the bundle itself (`Bundle`, or deeper when the bundle is nested). */
    readonly path: string,
  ) {
    this.entries = [];
    list(bundle.entry).forEach((e, index) => {
      if (!isObject(e) || !isObject(e.resource)) return;
      const entry: AdsEntry = { index, resource: e.resource, path: `${path}.entry[${index}].resource`, ...(typeof e.fullUrl === 'string' ? { fullUrl: e.fullUrl } : {}) };
      this.entries.push(entry);
      if (entry.fullUrl && !this.byUrl.has(entry.fullUrl)) this.byUrl.set(entry.fullUrl, entry);
      const { resourceType, id } = e.resource;
      if (typeof resourceType === 'string' && typeof id === 'string') this.byTypeId.set(`${resourceType}/${id}`, entry);
    });
  }

  /** The entries claiming the ADS call profile (UKCore-ADS-Communication). */
  get calls(): AdsEntry[] {
    return this.entries.filter((e) => claims(e.resource, PROFILES.communication));
  }

  /** The call, when there is exactly one. */
  get call(): AdsEntry | undefined {
    const calls = this.calls;
    return calls.length === 1 ? calls[0] : undefined;
  }

  /** Entries claiming a profile. */
  withProfile(profile: string): AdsEntry[] {
    return this.entries.filter((e) => claims(e.resource, profile));
  }

  /** The entry a Reference (or reference string) points at, by fullUrl or `Type/id`. */
  resolve(ref: unknown): AdsEntry | undefined {
    const reference = isObject(ref) ? ref.reference : ref;
    if (typeof reference !== 'string') return undefined;
    return this.byUrl.get(reference) ?? this.byTypeId.get(reference.replace(/^.*\/([A-Za-z]+\/[^/]+)$/, '$1'));
  }

  /** True when a `urn:uuid:` or `Type/id` reference names an entry of this bundle. */
  has(reference: string): boolean {
    return this.resolve(reference) !== undefined;
  }

  /** The patient-contact Encounter a clinical entry belongs to (Observation/Procedure.encounter, MedicationAdministration.context). */
  contactOf(resource: Json): AdsEntry | undefined {
    const target = this.resolve(resource.encounter ?? resource.context);
    return target && claims(target.resource, PROFILES.patientContact) ? target : undefined;
  }

  /** The response Encounter a patient contact is part of. */
  responseOf(contact: Json): AdsEntry | undefined {
    const target = this.resolve(contact.partOf);
    return target && claims(target.resource, PROFILES.response) ? target : undefined;
  }

  /** The conveyance outcome code of a patient contact. */
  static outcomeOf(contact: Json): string | undefined {
    return isObject(contact.hospitalization) ? firstCode(contact.hospitalization.dischargeDisposition) : undefined;
  }
}
