/**
 * More per-element StructureDefinition authoring rules of the reference validator
 * (StructureDefinitionValidator.validateElementDefinition and validateBinding): a type with a code element but no
 * code value, a binding in the snapshot whose value set has no value, and a binding in the snapshot on an element
 * none of whose types can be bound. Called from sd-element-rules.ts for each element of the differential and snapshot.
 */
import type { Report } from '../plugin-types/index.js';
import { objectItems as list } from './values.js';

type Obj = Record<string, unknown>;

const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

/**
 * Types the reference's bindableType() can never find bindable: neither in its list of bindable types nor derived
 * (through their base definitions) from string, uri, CodeableConcept or Quantity. Types that might carry a
 * binding-style or type-characteristics extension in a loaded package (Coding, Identifier...), and the
 * specialisations of Quantity (Age, Money...), are left out, so the
 * rule only fires where the reference's answer cannot differ.
 */
const NEVER_BINDABLE = new Set(['boolean', 'integer', 'decimal', 'date', 'dateTime', 'instant', 'time', 'positiveInt', 'unsignedInt', 'base64Binary', 'Reference', 'Period', 'Range', 'Ratio', 'HumanName', 'Address', 'ContactPoint', 'Attachment', 'Annotation', 'Timing', 'SampledData', 'Signature']);

export function checkElementExtras(sd: Obj, e: Obj, elementPath: string, at: string, snapshot: boolean, report: Report): void {
  const types = list(e.type);
  for (const t of types) {
    const named = list(t.extension).some((x) => x.url === FHIR_TYPE);
    // A code element present (here: only its extensions, `_code`) without a value.
    if (!named && t.code === undefined && t._code !== undefined) {
      report('SD_NO_TYPE_CODE_ON_CODE', 'error', 'invalid', at, `Snapshot for ${String(sd.id ?? null)} element ${elementPath} has type.code without a value`);
    }
  }
  const binding = e.binding;
  if (!snapshot || !binding || typeof binding !== 'object') return;
  const b = binding as Obj;
  if (b.valueSet === undefined && b._valueSet !== undefined) {
    // The reference passes only the path, so its message keeps the second placeholder as written.
    report('SD_ED_SHOULD_BIND_WITH_VS', 'warning', 'business-rule', `${at}.binding`, `The element ${elementPath} has a type that should have a binding ({1}), but the binding has no value set`);
  }
  if (!elementPath.includes('.')) return;
  const codes = types.map((t) => (list(t.extension).some((x) => x.url === FHIR_TYPE) ? undefined : t.code));
  if (codes.length === 0 || !codes.every((c): c is string => typeof c === 'string' && NEVER_BINDABLE.has(c))) return;
  report('SD_ED_BIND_NO_BINDABLE', 'error', 'business-rule', `${at}.binding`, `The element ${elementPath} has a binding, but no bindable types are present [${[...new Set(codes)].join(', ')}]`);
}
