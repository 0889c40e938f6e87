/**
 * A shortcut for the common UCUM codes, so a run whose units are all plain (`mg`, `/min`, `mm[Hg]`, `%`,
 * `mmol/L`, `{score}`) does not build the UCUM library's unit objects (about a tenth of a one-bundle CLI
 * run). It reads the unit and prefix codes from the library's own data file (one JSON.parse) and accepts
 * only shapes whose validity follows from that table: a unit code, a prefixed unit code, an optional
 * leading `/`, one `/` between two ratio units, and plain annotations. It never rejects: anything else goes
 * to the library, which gives the verdict and the message, so verdicts are the library's in every case
 * (src/terminology/ucum-table.test.ts checks every code of each accepted shape against the library).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Atom {
  /** The unit converts by a function (Cel, [degF], [pH]...): the library refuses it in a quotient. */
  special: boolean;
  /** An arbitrary unit ([IU], [arb'U]...): kept out of quotients too. */
  arbitrary: boolean;
  /** One of UCUM's own units, which may take a prefix (the table also lists LOINC's common forms, `cm`, `mg/dL`, which may not). */
  prefixable: boolean;
}

interface Table {
  atoms: Map<string, Atom>;
  /** Prefix codes, longest first (`da` before `d`). */
  prefixes: string[];
}

type Packed = { config: unknown[]; data: unknown[][] };

let table: Table | null | undefined;

/** The library's unit and prefix codes, read once; null when its data file cannot be read (then every code goes to the library). */
function ucumTable(): Table | null {
  if (table !== undefined) return table;
  try {
    const file = createRequire(import.meta.url).resolve('@lhncbc/ucum-lhc/data/ucumDefs.min.json');
    const defs = JSON.parse(readFileSync(file, 'utf8')) as { units: Packed; prefixes: Packed };
    const u = defs.units.config;
    const [code, cnv, arbitrary, source] = ['csCode_', 'cnv_', 'isArbitrary_', 'source_'].map((k) => u.indexOf(k));
    const p = defs.prefixes.config.indexOf('code_');
    if (code! < 0 || cnv! < 0 || arbitrary! < 0 || source! < 0 || p < 0) return (table = null);
    const atoms = new Map<string, Atom>();
    for (const row of defs.units.data) {
      const c = row[code!];
      if (typeof c !== 'string' || !UCUM_CHARS.test(c)) continue;
      atoms.set(c, { special: row[cnv!] !== null && row[cnv!] !== undefined, arbitrary: row[arbitrary!] === true, prefixable: row[source!] === 'UCUM' });
    }
    const prefixes = defs.prefixes.data.map((row) => row[p]).filter((c): c is string => typeof c === 'string' && c !== '');
    prefixes.sort((a, b) => b.length - a.length);
    return (table = { atoms, prefixes });
  } catch {
    return (table = null);
  }
}

/** Printable ASCII without spaces (a few of the table's LOINC forms carry a trailing space). */
const UCUM_CHARS = /^[!-~]+$/;
/** A trailing annotation of plain characters, `{...}` (the library judges any other annotation itself). */
const ANNOTATION = /\{[A-Za-z0-9_]*\}$/;
/** Codes the table can vouch for as a prefixed unit: letters, or a bracketed name of letters and underscores. */
const PREFIXABLE = /^(?:[A-Za-z]+|\[[A-Za-z_]+\])$/;

/** The table's entry for a unit with or without a prefix, or undefined when the table does not vouch for it. */
function component(code: string, t: Table): Atom | undefined {
  const direct = t.atoms.get(code);
  if (direct) return direct;
  for (const prefix of t.prefixes) {
    if (code.length <= prefix.length || !code.startsWith(prefix)) continue;
    const rest = code.slice(prefix.length);
    const atom = PREFIXABLE.test(rest) ? t.atoms.get(rest) : undefined;
    if (atom?.prefixable) return atom;
  }
  return undefined;
}

/** A term: a unit (optionally annotated) or an annotation alone. `ratio` is whether the term may stand in a quotient. */
function term(text: string, t: Table): { ratio: boolean } | undefined {
  const annotated = ANNOTATION.exec(text);
  const unit = annotated ? text.slice(0, annotated.index) : text;
  if (unit === '') return annotated ? { ratio: true } : undefined;
  if (unit.includes('{') || unit.includes('}')) return undefined;
  const atom = component(unit, t);
  return atom ? { ratio: !atom.special && !atom.arbitrary } : undefined;
}

/**
 * True when `unit` is of a shape the table vouches for (the UCUM library accepts it); false means only
 * "ask the library", never "invalid".
 */
export function knownValidUcum(unit: string): boolean {
  const t = ucumTable();
  if (!t) return false;
  if (term(unit, t)) return true;
  const slash = unit.indexOf('/');
  if (slash < 0 || unit.indexOf('/', slash + 1) >= 0) return false;
  const right = term(unit.slice(slash + 1), t);
  if (!right?.ratio) return false;
  if (slash === 0) return true;
  return term(unit.slice(0, slash), t)?.ratio === true;
}
