/**
 * R4-era FHIRPath let `value as String` match a FHIR `string` (the HL7 validator still does), while
 * fhirpath.js applies the later, strict rule: FHIR.string is not System.String, so the cast yields
 * nothing and invariants written for R4 fail on valid data. `ofType()` already converts FHIR
 * primitives to System types, so a cast to a System primitive is rewritten as `(left).ofType(Type)`.
 */

const SYSTEM_PRIMITIVES = 'String|Boolean|Integer|Decimal|Date|DateTime|Time';
const CAST = new RegExp(`\\bas\\s+(?:System\\.)?(${SYSTEM_PRIMITIVES})\\b`, 'g');
/** Operators that bind more loosely than `as`: the left operand of `as` stops at them. */
const LOOSER = /(?:\||<=|>=|<|>|!=|!~|=|~|\band\b|\bor\b|\bxor\b|\bimplies\b|\bin\b|\bcontains\b|,)$/;

/** Where the left operand of an `as` at `end` begins: after an unmatched `(`, a looser operator or the start. */
function operandStart(text: string, end: number): number {
  let depth = 0;
  let inString = false;
  for (let i = end - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (inString) {
      if (ch === "'" && text[i - 1] !== '\\') inString = false;
      continue;
    }
    if (ch === "'") inString = true;
    else if (ch === ')' || ch === ']') depth++;
    else if (ch === '(' || ch === '[') {
      if (depth === 0) return i + 1;
      depth--;
    } else if (depth === 0 && LOOSER.test(text.slice(Math.max(0, i - 8), i + 1))) {
      return i + 1;
    }
  }
  return 0;
}

/** Rewrites each `left as String` (and the other System primitives) to `(left).ofType(String)`. */
export function lenientSystemCasts(expression: string): string {
  if (!/\bas\s/.test(expression)) return expression;
  let out = expression;
  // Rewrite right to left so earlier offsets stay valid.
  const casts = [...expression.matchAll(CAST)].reverse();
  for (const m of casts) {
    if (insideString(expression, m.index)) continue;
    const start = operandStart(out, m.index);
    const left = out.slice(start, m.index).trim();
    if (!left) continue;
    const lead = out.slice(start, m.index).match(/^\s*/)![0];
    out = `${out.slice(0, start)}${lead}(${left}).ofType(${m[1]})${out.slice(m.index + m[0].length)}`;
  }
  return out;
}

function insideString(text: string, at: number): boolean {
  let inString = false;
  for (let i = 0; i < at; i++) if (text[i] === "'" && text[i - 1] !== '\\') inString = !inString;
  return inString;
}
