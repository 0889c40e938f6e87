import type { Bundle, Communication, Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { conveyedToEd } from '../../examples/conveyed-to-ed.js';
import { checkAdsBundle } from './checks.js';

const fresh = (): Bundle => structuredClone(conveyedToEd().bundle);
const call = (b: Bundle) => b.entry![0]!.resource as Communication;
const diagnostics = (b: Bundle) => checkAdsBundle(b).map((i) => `${i.severity}: ${i.diagnostics}`);

describe('checkAdsBundle', () => {
  it('finds nothing wrong with a consistent bundle', () => {
    expect(checkAdsBundle(fresh())).toEqual([]);
  });

  it('warns when the call origin and the 111 flag disagree', () => {
    const b = fresh();
    call(b).extension!.find((x) => x.url.endsWith('Extension-ADS-CallOrigin'))!.valueCodeableConcept!.coding![0]!.code = '02';
    expect(diagnostics(b)).toEqual(['warning: Call origin NHS 111 (02) and the 111 flag disagree']);
  });

  it('warns about a stop code on a call with patient contacts', () => {
    const b = fresh();
    call(b).status = 'stopped';
    expect(diagnostics(b)).toEqual(['warning: The call has a stop code but also patient contacts']);
  });

  it('flags hear-and-treat with a patient contact, and two triage results of one kind', () => {
    const b = fresh();
    call(b).category![0]!.coding![0]!.code = 'hear-and-treat';
    const triage = b.entry!.find((e) => e.resource?.meta?.profile?.[0]?.endsWith('Triage-Observation'))!;
    const copy = structuredClone(triage);
    copy.fullUrl = 'urn:uuid:99999999-9999-4999-8999-999999999999';
    (copy.resource as Observation).id = '99999999-9999-4999-8999-999999999999';
    b.entry!.push(copy);
    call(b).reasonReference!.push({ reference: copy.fullUrl });
    expect(diagnostics(b)).toEqual([
      'error: At most one triage result of each category per call',
      'error: Treatment type hear-and-treat, but a response arrived on scene or saw a patient',
    ]);
  });
});
