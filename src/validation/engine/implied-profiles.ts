/**
 * Profiles a resource must conform to because of what it holds, not because it claims them. FHIR R4 makes the
 * vital signs profiles mandatory ("observation-vitalsigns": an Observation that carries one of the vital signs
 * codes SHALL conform to the matching profile), and the reference validator applies them to every Observation it
 * validates (BasePolicyAdvisorForFullValidation.getImpliedProfilesForObservation), wherever the Observation sits:
 * top level, Bundle entry, contained. The first group (in the order below, LOINC before SNOMED CT) with a coding of
 * its system and one of its codes names the one profile applied.
 */
import { codingsAsRead } from '../../terminology/coding-read.js';
import { CORE_SD } from './options.js';

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';

/** Code groups in the order they are tried: system, codes, profile (the core R4 vital signs profiles). */
const GROUPS: ReadonlyArray<readonly [system: string, codes: readonly string[], profile: string]> = [
  [LOINC, ['85353-1'], 'vitalspanel'],
  [LOINC, ['9279-1', '76170-0', '76172-6', '76171-8', '19840-8', '33438-3', '76270-8', '11291-2'], 'resprate'],
  [LOINC, ['60978-4', '73795-7', '73799-9', '76476-1', '76477-9', '8867-4', '8889-8', '8890-6', '8891-4', '8892-2', '8893-0', '40443-4', '55425-3', '68999-2', '11328-2', '69000-8', '8886-4'], 'heartrate'],
  [LOINC, ['2708-6', '19224-5', '20564-1', '2709-4', '2710-2', '2713-6', '51733-4', '59408-5', '59417-6', '89276-0', '97549-0'], 'oxygensat'],
  [LOINC, ['8310-5', '60834-9', '60835-6', '60836-4', '60838-0', '60955-2', '61009-7', '75539-7', '75987-8', '76010-8', '76011-6', '76278-1', '8309-7', '8328-7', '8329-5', '8330-3', '8331-1', '8332-9', '8333-7', '8334-5', '91371-5', '98657-0', '98663-8'], 'bodytemp'],
  [LOINC, ['8302-2', '3137-7', '3138-5', '8306-3', '8308-9'], 'bodyheight'],
  [LOINC, ['9843-4', '8287-5'], 'headcircum'],
  [LOINC, ['29463-7', '3141-9', '3142-7', '75292-3', '79348-9', '8350-1', '8351-9'], 'bodyweight'],
  [LOINC, ['39156-5', '89270-3'], 'bmi'],
  [LOINC, ['85354-9', '35094-2', '8459-0', '76534-7', '55284-4', '8480-6'], 'bp'],
  [SCT, ['46680005'], 'vitalspanel'],
  [SCT, ['86290005', '271625008', '271306003'], 'resprate'],
  [SCT, ['249043002', '444981005', '399017001', '251670001', '429525003', '429614003'], 'heartrate'],
  [SCT, ['442476006', '431314004'], 'oxygensat'],
  [SCT, ['386725007', '276885007', '300076005', '1222808002', '364246006', '307047009', '708499008', '431598003', '698831002', '698832009', '415882003', '415974002', '415929009', '415945006'], 'bodytemp'],
  [SCT, ['1153637007', '1162419008', '50373000', '1162418000', '1230278008', '1162392001', '1162417005'], 'bodyheight'],
  [SCT, ['363812007', '169876006', '1269262007', '363811000'], 'headcircum'],
  [SCT, ['735395000', '425024002', '424927000', '784399000', '1162416001', '1162415002'], 'bodyweight'],
  [SCT, ['60621009'], 'bmi'],
  [SCT, ['251076008', '163033001', '163035008', '386534000', '386536003', '271649006', '271650006', '407556006', '407554009', '716579001', '399304008'], 'bp'],
];

/** `system|code` -> the first group holding it (its rank in GROUPS, and its profile). */
const BY_CODE = new Map<string, { rank: number; profile: string }>();
GROUPS.forEach(([system, codes, profile], rank) => {
  for (const code of codes) if (!BY_CODE.has(`${system}|${code}`)) BY_CODE.set(`${system}|${code}`, { rank, profile });
});

/** The canonical URL of the profile a resource's content requires, or undefined (only Observations have one). */
export function impliedProfile(obj: Record<string, unknown>, resourceType: string): string | undefined {
  if (resourceType !== 'Observation') return undefined;
  const code = obj.code as { coding?: unknown } | undefined;
  if (!code || typeof code !== 'object') return undefined;
  const codings = codingsAsRead(code.coding);
  if (!codings) return undefined;
  let first: { rank: number; profile: string } | undefined;
  for (const c of codings) {
    if (!c || typeof c !== 'object') continue;
    const { system, code: value } = c as { system?: unknown; code?: unknown };
    if (typeof system !== 'string' || typeof value !== 'string') continue;
    const group = BY_CODE.get(`${system}|${value}`);
    if (group && (!first || group.rank < first.rank)) first = group;
  }
  return first ? `${CORE_SD}${first.profile}` : undefined;
}
