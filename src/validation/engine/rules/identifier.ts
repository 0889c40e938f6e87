/**
 * Identifier rules of the HL7 Java validator (InstanceValidator.checkIdentifier): the system is an absolute URI
 * (http:, https:, urn: or ldap:); with system `urn:ietf:rfc:3986` the value is itself a URI; and the page of RFC
 * 4122 (`https://tools.ietf.org/html/rfc4122`), often given as the system of UUIDs, is not an identifier system:
 * a UUID belongs in `urn:uuid:` form under `urn:ietf:rfc:3986`.
 */
import type { DatatypeRule } from '../context.js';
import { clip, readPrimitiveText } from '../../primitives.js';

const RFC_4122_PAGE = 'https://tools.ietf.org/html/rfc4122';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An identifier or code system URI: absolute, not a local reference (`ldap:` is allowed for identifiers). */
export function isSystemReferenceValid(uri: string, identifier: boolean): boolean {
  return uri.startsWith('http:') || uri.startsWith('https:') || uri.startsWith('urn:') || (identifier && uri.startsWith('ldap:'));
}

/** A URI with a scheme (the reference's isAbsolute: a scheme made of letters, digits, `_`, `[` or `]`). */
function hasScheme(v: string): boolean {
  const colon = v.indexOf(':');
  if (colon < 0) return false;
  const scheme = v.slice(0, colon);
  if (!/^[A-Za-z][A-Za-z0-9_[\]]*$/.test(scheme)) return false;
  return scheme !== 'file' || v.slice(colon + 1).startsWith('/') || v.slice(colon + 1).includes(':');
}

export const checkIdentifier: DatatypeRule = (obj, path, _def, ctx) => {
  // Read as the JSON reader reads it: `"system": 42` is the (local) system '42'.
  const system = readPrimitiveText(obj.system);
  if (system === undefined) return;
  if (!isSystemReferenceValid(system, true)) {
    ctx.report('Type_Specific_Checks_DT_Identifier_System', 'error', 'code-invalid', path, 'Identifier.system must be an absolute reference, not a local reference');
  }
  const value = readPrimitiveText(obj.value);
  if (value === undefined) return;
  if (system === 'urn:ietf:rfc:3986' && !hasScheme(value)) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_VALUE', 'error', 'code-invalid', path, `if identifier.system is 'urn:ietf:rfc:3986', then the identifier.value must be a full URI (e.g. start with a scheme), not '${clip(value)}'`);
  }
  if (system !== RFC_4122_PAGE) return;
  if (value.startsWith('urn:uuid:')) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_3', 'warning', 'code-invalid', path, `The URL '${RFC_4122_PAGE}' should not be used with the UUID '${clip(value)}'. Use the system value 'urn:ietf:rfc:3986' instead`);
  } else if (UUID.test(value)) {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_2', 'warning', 'code-invalid', path, `The URL '${RFC_4122_PAGE}' should not be used with the UUID '${value}'. Prefix the value with 'urn:uuid:' and use the system value 'urn:ietf:rfc:3986' instead`);
  } else {
    ctx.report('TYPE_SPECIFIC_CHECKS_DT_IDENTIFIER_IETF_SYSTEM_WRONG_1', 'error', 'code-invalid', path, `The URL '${RFC_4122_PAGE}' is not correct for the identifier '${clip(value)}'`);
  }
};

/**
 * A Coding outside a CodeableConcept, or a Quantity, with a code and a system that is not an absolute URI
 * (InstanceValidator.checkCodedElement): the system is a local reference and names no code system.
 */
export const checkCodedSystem: DatatypeRule = (obj, path, _def, ctx) => {
  // A number or boolean is read as its text, as the JSON reader keeps it (`true` is the local reference 'true').
  const system = readPrimitiveText(obj.system);
  if (system === undefined || obj.code === undefined || isSystemReferenceValid(system, false)) return;
  if (ctx.hostType === 'CodeableConcept') return;
  ctx.report('Terminology_TX_System_Relative', 'error', 'code-invalid', path, 'Coding.system must be an absolute reference, not a local reference');
};
