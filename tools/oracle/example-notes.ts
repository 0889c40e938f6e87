/**
 * Why the example files (ADS bundles, broken set, UK Core examples) differ between the reference and ads-fhir where
 * they do: each note names the difference it explains by what it is, never by file name, so a new difference stays
 * unexplained (and says so on the page) until someone looks at it.
 */
import type { Compared } from './aggregate.js';
import type { Difference } from './score.js';

interface ExampleNote {
  /** Whether the note explains this file's difference. */
  applies: (c: Compared, d: Difference) => boolean;
  why: string;
}

const FULLURL = 'The fullUrl must be an absolute URL';

const NOTES: ExampleNote[] = [
  {
    applies: (_c, d) => [...d.referenceOnly, ...d.adsOnly].every((i) => i.text.startsWith(FULLURL)) && d.referenceOnly.length === d.adsOnly.length,
    why: 'the same findings, as many on each side, at other places: the reference reports the fullUrl findings of every entry at `Bundle.entry[0]`, ads-fhir at the entry each concerns (docs/validation.md, "Locations of the Bundle rules").',
  },
  {
    applies: (c) => c.score.reference.errors + c.score.reference.warnings === 1 && c.score.ads.errors === 1 && [...c.reference, ...c.ads].some((i) => /resourceType/.test(i.text)),
    why: 'not a FHIR resource (no resourceType): both reject it, each in its own words.',
  },
  {
    applies: (c, d) => d.adsOnly.length === 0 && d.referenceOnly.every((i) => i.messageId === 'Terminology_TX_Code_ValueSet_Ext') && c.ads.some((i) => /value\[x\]|valueCode|more than one/i.test(i.text)),
    why: 'the extension gives its value twice (`valueCode` and `valueCodeableConcept`), which both reject; the reference then also judges the CodeableConcept against the binding of the code choice and warns that no code is given, a consequence of the duplicate that ads-fhir does not report.',
  },
];

/** The notes that explain a file's difference, or a line saying that nothing does yet. */
export function explainExample(c: Compared, d: Difference): string[] {
  const found = NOTES.filter((n) => n.applies(c, d)).map((n) => `  - why: ${n.why}`);
  return found.length ? found : ['  - why: not explained yet.'];
}
