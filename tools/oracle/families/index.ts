/** The mutation families, in the order variants cycle through them. */
import { badCode } from './bad-code.js';
import { dropRequired } from './drop-required.js';
import { duplicates } from './duplicates.js';
import { exceedMax } from './exceed-max.js';
import { extensions } from './extensions.js';
import { fixedPattern } from './fixed-pattern.js';
import { invariants } from './invariants.js';
import { jsonType } from './json-type.js';
import { primitiveFormat } from './primitive-format.js';
import { references } from './references.js';
import { slices } from './slices.js';
import type { Family } from './types.js';
import { unknownElement } from './unknown-element.js';
import { wrongSystem } from './wrong-system.js';

export type { Family, MutationContext } from './types.js';

/** The seed as it is: the baseline every mutation is measured against. */
export const unmutated: Family = { name: 'unmutated', summary: 'the seed as it is (baseline)', apply: () => 'none' };

export const FAMILIES: readonly Family[] = [
  unmutated,
  dropRequired,
  exceedMax,
  primitiveFormat,
  jsonType,
  unknownElement,
  badCode,
  wrongSystem,
  fixedPattern,
  slices,
  references,
  duplicates,
  extensions,
  invariants,
];

/** The XML family is a wrapper: one of the others, then the payload written as FHIR XML (src/format). */
export const XML_FAMILY = { name: 'xml-form', summary: 'another family (not json-type) applied, then the payload written as FHIR XML with the toolkit\'s JSON-to-XML conversion' } as const;

export function familyByName(name: string): Family | undefined {
  return FAMILIES.find((f) => f.name === name);
}
