import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, CodeableConcept, Encounter, FhirResource, Observation, Organization, Patient } from 'fhir/r4';
import type { TriageRecord } from './triage-record.js';
import { NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM, V3_ACT_CODE_SYSTEM } from '../systems/index.js';

/** A request body plus the headers that describe it, ready for the transport. */
export interface EncodedTriage {
  body: Buffer | string;
  /** Extra request headers; the transport adds Content-Type and Content-Length itself. */
  headers: Record<string, string>;
  contentType: string;
}

/**
 * The seam between a triage record and the wire format. The national payload
 * schema is issued on onboarding and is not public: implement this interface
 * with it and pass the encoder to the client; the transport does not change.
 */
export interface TriageEncoder {
  encode(record: TriageRecord): EncodedTriage;
}

/**
 * Code systems of this project's default representation. They are the
 * project's own identifiers, not national ones; `ADS_TRIAGE_CATEGORY` follows
 * the ADS CodeSystem naming, whose exact canonical URL is not public.
 */
export const TRIAGE_SYSTEMS = {
  ADS_TRIAGE_CATEGORY: 'https://fhir.nhs.uk/R4/CodeSystem/ADS-TriageCategory',
  PATHWAYS_SYMPTOM_GROUP: 'urn:ads-fhir:pathways:symptom-group',
  PATHWAYS_SYMPTOM_DISCRIMINATOR: 'urn:ads-fhir:pathways:symptom-discriminator',
  PATHWAYS_DISPOSITION: 'urn:ads-fhir:pathways:disposition',
  TRIAGE_ITEM: 'urn:ads-fhir:triage-item',
  CASE_ID: 'urn:ads-fhir:triage-case-id',
  NHS_NUMBER: NHS_NUMBER_SYSTEM,
  ODS_ORGANISATION: ODS_ORGANISATION_SYSTEM,
} as const;

/** A stable urn:uuid from the case id, so a retried submission carries the same ids. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version 8 (custom) with the RFC 9562 variant bits.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function concept(system: string, code: string, display?: string): CodeableConcept {
  return { coding: [{ system, code, ...(display ? { display } : {}) }] };
}

/**
 * Builds the project's default FHIR R4 representation of a triage record: a
 * `collection` Bundle with the provider Organization, the Patient (only when
 * an NHS number is known), an Encounter for the call and one Observation each
 * for the SG, SD, Dx and final outcome.
 */
export function triageToFhirBundle(record: TriageRecord): Bundle {
  const id = (kind: string): string => stableUuid(record.providerOdsCode, record.caseId, kind);
  const ref = (kind: string): string => `urn:uuid:${id(kind)}`;
  const entries: FhirResource[] = [];

  const organization: Organization = {
    resourceType: 'Organization',
    identifier: [{ system: TRIAGE_SYSTEMS.ODS_ORGANISATION, value: record.providerOdsCode }],
  };
  entries.push(organization);
  if (record.nhsNumber !== undefined) {
    const patient: Patient = { resourceType: 'Patient', identifier: [{ system: TRIAGE_SYSTEMS.NHS_NUMBER, value: record.nhsNumber }] };
    entries.push(patient);
  }
  const subject = record.nhsNumber !== undefined ? { subject: { reference: ref('Patient') } } : {};
  const encounter: Encounter = {
    resourceType: 'Encounter',
    identifier: [{ system: TRIAGE_SYSTEMS.CASE_ID, value: record.caseId, assigner: { reference: ref('Organization') } }],
    status: 'finished',
    class: { system: V3_ACT_CODE_SYSTEM, code: 'VR', display: 'virtual' },
    serviceType: { text: record.service === '111' ? 'NHS 111' : '999' },
    ...subject,
    period: { start: record.callConnectedAt, end: record.assessmentEndedAt },
    serviceProvider: { reference: ref('Organization') },
  };
  entries.push(encounter);

  const observation = (category: CodeableConcept, value: Pick<Observation, 'valueCodeableConcept' | 'valueString'>, at: string): Observation => ({
    resourceType: 'Observation',
    status: 'final',
    code: category,
    ...subject,
    encounter: { reference: ref('Encounter') },
    effectiveDateTime: at,
    ...value,
  });
  entries.push(
    observation(concept(TRIAGE_SYSTEMS.ADS_TRIAGE_CATEGORY, '03', 'SG Code'), { valueCodeableConcept: concept(TRIAGE_SYSTEMS.PATHWAYS_SYMPTOM_GROUP, record.symptomGroup) }, record.assessmentEndedAt),
    observation(concept(TRIAGE_SYSTEMS.ADS_TRIAGE_CATEGORY, '04', 'SD Code'), { valueCodeableConcept: concept(TRIAGE_SYSTEMS.PATHWAYS_SYMPTOM_DISCRIMINATOR, record.symptomDiscriminator) }, record.assessmentEndedAt),
    observation(concept(TRIAGE_SYSTEMS.ADS_TRIAGE_CATEGORY, '02', 'Pathways Triage Disposition'), { valueCodeableConcept: concept(TRIAGE_SYSTEMS.PATHWAYS_DISPOSITION, record.dispositionCode) }, record.dispositionAt),
    observation(concept(TRIAGE_SYSTEMS.TRIAGE_ITEM, 'final-outcome', 'Final outcome'), { valueString: record.finalOutcome }, record.assessmentEndedAt),
  );

  const kinds = new Map<string, number>();
  const entry: BundleEntry[] = entries.map((resource) => {
    // Observations are told apart by their position among Observations.
    const n = kinds.get(resource.resourceType) ?? 0;
    kinds.set(resource.resourceType, n + 1);
    const kind = resource.resourceType === 'Observation' ? `Observation/${n}` : resource.resourceType;
    return { fullUrl: ref(kind), resource };
  });
  return {
    resourceType: 'Bundle',
    id: id('Bundle'),
    type: 'collection',
    timestamp: record.assessmentEndedAt,
    entry,
  };
}

/**
 * The default encoder: the project's FHIR R4 Bundle as `application/fhir+json`,
 * with an `X-Request-ID` derived from the provider and case id so that the
 * receiver can recognise a retried submission. Not the national schema.
 */
export const fhirTriageEncoder: TriageEncoder = {
  encode(record) {
    return {
      body: JSON.stringify(triageToFhirBundle(record)),
      headers: { 'X-Request-ID': stableUuid(record.providerOdsCode, record.caseId, 'request') },
      contentType: 'application/fhir+json',
    };
  },
};
