import { NHS_NUMBER_SYSTEM } from '../systems/index.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;

/**
 * The NHS numbers of every Patient in a resource, bundle (entries, nested bundles) or contained resource, without
 * duplicates, in order of appearance. For the audit trail, which stores only their keyed hashes. Walks the tree
 * iteratively, so a deeply nested or hostile input cannot overflow the stack. Anything not FHIR-shaped gives [].
 */
export function patientIdsOf(resource: unknown): string[] {
  const found = new Set<string>();
  const stack: unknown[] = [resource];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) if (isObject(node[i])) stack.push(node[i]);
      continue;
    }
    if (!isObject(node)) continue;
    if (node.resourceType === 'Patient' && Array.isArray(node.identifier)) {
      for (const id of node.identifier) {
        if (isObject(id) && id.system === NHS_NUMBER_SYSTEM && typeof id.value === 'string' && id.value.trim()) found.add(id.value.replace(/\s/g, ''));
      }
    }
    for (const value of Object.values(node)) if (isObject(value)) stack.push(value);
  }
  return [...found];
}

/**
 * A record id for the trail: `<type>/<id>`, else a Bundle's business identifier, else `<type>` alone.
 * Never a Patient's identifier (that would put the NHS number in plain text).
 */
export function auditRecordIdOf(resource: unknown): string {
  if (!isObject(resource)) return 'unreadable';
  const type = typeof resource.resourceType === 'string' && /^[A-Za-z]{1,64}$/.test(resource.resourceType) ? resource.resourceType : 'unknown';
  if (typeof resource.id === 'string' && resource.id) return `${type}/${resource.id.slice(0, 128)}`;
  const identifier = resource.identifier;
  if (type === 'Bundle' && isObject(identifier) && typeof identifier.value === 'string' && identifier.value) {
    return `Bundle?identifier=${identifier.value.slice(0, 128)}`;
  }
  return type;
}
