/**
 * Shapes of Organisation Data Service (ODS) codes. ODS codes are 1 to 9 upper-case letters and digits
 * (NHS developer guidance); the coding frames of the NHS Data Dictionary give the common lengths:
 * - 3: NHS trusts (ambulance trusts such as RX9, RYC, RRU), commissioners and ICBs (e.g. 15N, QHM);
 * - 5: NHS trust sites (trust code + 2, e.g. RRK02), pharmacies (e.g. FVR79), independent providers
 *   (e.g. NT401), social care sites (e.g. VLAXL);
 * - 6: GP practices (letter + 5 digits, e.g. A81001) and dental practices (V + 5 digits);
 * - 8: general practitioners (G + 7 digits); 9: branch surgeries (practice code + 3 digits).
 * National submissions identify organisations and sites by codes of at least three characters.
 */
const ODS_CODE = /^[A-Z0-9]{3,9}$/;

/** Lengths expected of an organisation identified with `https://fhir.nhs.uk/Id/ods-organization-code`. */
const ORGANISATION_LENGTHS = new Set([3, 5, 6]);

/** True when the value has the shape of any ODS code: 3 to 9 upper-case letters or digits. */
export function isOdsCodeShape(value: string): boolean {
  return ODS_CODE.test(value);
}

/** True when the code has a length typical of an organisation (3, 5 or 6 characters). */
export function isTypicalOdsOrganisationCode(value: string): boolean {
  return isOdsCodeShape(value) && ORGANISATION_LENGTHS.has(value.length);
}

/** True when the code has the shape of an NHS trust site code: a 3-character trust code plus 2 characters. */
export function isTypicalOdsSiteCode(value: string): boolean {
  return isOdsCodeShape(value) && value.length === 5;
}
