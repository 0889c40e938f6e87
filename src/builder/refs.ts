import type { FhirResource } from 'fhir/r4';

declare const refKind: unique symbol;

/**
 * A reference to an entry of the bundle being built, typed to what it points at. `R` is the resource type
 * and `K` narrows it further where one type plays two roles (a response Encounter versus a patient-contact
 * Encounter). The brand exists only for the compiler: `subject: patient.ref` compiles where a
 * `Ref<'Patient'>` is expected, and `subject: vehicle.ref` (a `Ref<'Location'>`) does not.
 */
export type Ref<R extends FhirResource['resourceType'], K extends string = R> = {
  readonly reference: string;
  readonly type: R;
  readonly [refKind]: K;
};

/** What each `add`-style builder call returns: the entry's fullUrl and a typed reference to it. */
export interface Handle<R extends FhirResource['resourceType'], K extends string = R> {
  readonly fullUrl: string;
  readonly ref: Ref<R, K>;
}

/** A response: the Encounter and the vehicle (Location) that answered. */
export interface ResponseHandle extends Handle<'Encounter', 'response'> {
  readonly vehicle: Handle<'Location'>;
}

/** A patient contact: the Encounter, and the patient it is about. */
export interface PatientContactHandle extends Handle<'Encounter', 'patient-contact'> {
  readonly subject: Ref<'Patient'>;
}

/** Makes the typed reference of an entry; the brand is compile-time only. */
export function makeRef<R extends FhirResource['resourceType'], K extends string = R>(fullUrl: string, type: R): Ref<R, K> {
  return Object.freeze({ reference: fullUrl, type }) as Ref<R, K>;
}

/** The plain FHIR Reference of a typed reference (drops nothing at run time; copies so resources never share objects). */
export const plainReference = (ref: Ref<FhirResource['resourceType'], string>): { reference: string; type: string } => ({
  reference: ref.reference,
  type: ref.type,
});
