/**
 * Names of the R4 choice elements (`value`, `onset`, `deceased`...): only these appear in JSON with a type
 * suffix (`valueQuantity`), so only these need an object's keys scanned. The same set as the choice paths
 * of fhirpath.js's R4 model (src/fhirpath/fast/compile.test.ts checks it), written out so the fast path
 * does not load that model.
 */
export const R4_CHOICE_NAMES: ReadonlySet<string> = new Set([
  'abatement', 'additive', 'age', 'allowed', 'amount', 'answer', 'asNeeded', 'author', 'born', 'bounds',
  'characteristic', 'chargeItem', 'code', 'collected', 'content', 'created', 'date', 'deceased', 'defaultValue',
  'definingSubstance', 'definition', 'detail', 'diagnosis', 'dose', 'doseNumber', 'due', 'effective', 'entity',
  'event', 'example', 'fastingStatus', 'fixed', 'identified', 'indication', 'item', 'legallyBinding', 'location',
  'manufacturer', 'maxValue', 'medication', 'minValue', 'minimumVolume', 'module', 'multipleBirth', 'name',
  'occurred', 'occurrence', 'offset', 'onset', 'participantEffective', 'pattern', 'performed', 'probability',
  'procedure', 'product', 'quantity', 'rate', 'reported', 'scheduled', 'seriesDoses', 'serviced', 'source', 'start',
  'statusReason', 'studyEffective', 'subject', 'substance', 'target', 'time', 'timing', 'topic', 'used', 'value',
  'when',
]);
