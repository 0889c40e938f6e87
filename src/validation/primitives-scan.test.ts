/**
 * The primitive checks that scan a whole value (base64 alphabets, whitespace rules) work by character code or with
 * one regex over the value, since values run to megabytes. Each must give what the rule's plain per-character
 * reading gives (written out below, as the reference validator's Java reads it), on any text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64, strictBase64Length } from './engine/rules/attachment.js';
import { characterFacts } from './engine/rules/string-safety.js';
import { BASE64_ALPHABET_ONLY, formIsQuiet, isBase64AlphabetOnly, isPrimitiveType, isValidBase64, NO_CONTROL_CHARACTERS, primitiveFindings, primitiveKind, writtenAsNumberOrBoolean } from './primitives.js';

const JAVA_WHITESPACE = /^[\t\n\x0B\f\r\x1C-\x1F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]$/u;
const UTILITIES_WHITESPACE = /^[ \t\n\x0B\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u;

/** Base64Util.isValidBase64, one character at a time. */
function base64ByCharacter(s: string): boolean {
  let count = 0;
  for (const ch of s) {
    if (JAVA_WHITESPACE.test(ch)) continue;
    if (/[\p{L}\p{Nd}]/u.test(ch) || ch === '/' || ch === '=' || ch === '+') count++;
  }
  return count === 0 || count % 4 === 0;
}

/** The code whitespace rule, one character at a time: no whitespace at the ends, single spaces inside. */
function codeWhitespaceByCharacter(v: string): boolean {
  let lastWasSpace = true;
  for (const ch of v) {
    if (ch === ' ') {
      if (lastWasSpace) return false;
      lastWasSpace = true;
    } else if (UTILITIES_WHITESPACE.test(ch)) return false;
    else lastWasSpace = false;
  }
  return !lastWasSpace || v === '';
}

const rules = (code: string, v: string) => primitiveFindings(code, v).map((f) => f.rule);

/** Text mixing the base64 alphabet, whitespace of both definitions, other ASCII and characters beyond the BMP. */
const text = fc
  .array(fc.oneof(fc.constantFrom('A', 'z', '0', '+', '/', '=', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\u001c', '-', '.', 'é', '\u0663', '𝒜', '😀', '\ud800'), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 24 })
  .map((parts) => parts.join(''));

describe('primitive checks over a whole value', () => {
  it('counts base64 characters as the per-character reading does', () => {
    fc.assert(fc.property(text, (s) => {
        expect(isValidBase64(s)).toBe(base64ByCharacter(s));
      }), { numRuns: 3000 });
  });

  it('applies the code whitespace rule and the string and base64 whitespace warnings as the per-character reading does', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(rules('code', s).includes('Type_Specific_Checks_DT_Code_WS')).toBe(!codeWhitespaceByCharacter(s));
        expect(rules('string', s).includes('Type_Specific_Checks_DT_String_WS_ALL')).toBe([...s].every((ch) => UTILITIES_WHITESPACE.test(ch)));
        if (base64ByCharacter(s)) expect(rules('base64Binary', s).includes('TYPE_SPECIFIC_CHECKS_DT_BASE64_NO_WS_WARNING')).toBe([...s].some((ch) => UTILITIES_WHITESPACE.test(ch)));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes strict base64 as java.util.Base64 does, naming the first character outside the alphabet', () => {
    expect(decodeStrictBase64('SGVsbG8=')).toEqual({ bytes: Buffer.from('Hello') });
    expect(decodeStrictBase64('SGVs bG8=')).toEqual({ error: 'Illegal base64 character 20' });
    expect(decodeStrictBase64('SGV\u00e9')).toEqual({ error: 'Illegal base64 character e9' });
    expect(decodeStrictBase64('SGVsbG=')).toEqual({ error: 'Input byte array has wrong 4-byte ending unit' });
    expect(decodeStrictBase64('SGVsb=')).toEqual({ error: 'Last unit does not have enough valid bits' });
    expect(decodeStrictBase64('SGVsbG8=x')).toEqual({ error: 'Input byte array has incorrect ending byte at 8' });
    fc.assert(
      fc.property(text, (s) => {
        const read = decodeStrictBase64(s);
        const first = [...s.replace(/=.*$/s, '')].find((ch) => !/^[A-Za-z0-9+/]$/.test(ch));
        if (first !== undefined) expect(read).toEqual({ error: `Illegal base64 character ${first.charCodeAt(0).toString(16)}` });
        else if ('bytes' in read) expect(read.bytes).toEqual(Buffer.from(s, 'base64'));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same with what a caller found of the value in its own scan as without', () => {
    const alphabet = fc.array(fc.constantFrom('A', 'z', '0', '+', '/', '=', '==', 'QUJD'), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(alphabet, text), (s) => {
        if (s === '') return;
        if (isBase64AlphabetOnly(s)) expect(primitiveFindings('base64Binary', s, BASE64_ALPHABET_ONLY | NO_CONTROL_CHARACTERS)).toEqual(primitiveFindings('base64Binary', s));
        else expect(isBase64AlphabetOnly(s)).toBe(/[^A-Za-z0-9+/=]/.test(s) === false);
        // Control characters as checkCharacters looks for them (tab, line feed and carriage return are not).
        if (!/[\x00-\x08\x0B\x0C\x0E-\x1F]/.test(s)) for (const code of ['string', 'code', 'uri', 'base64Binary']) expect(primitiveFindings(code, s, NO_CONTROL_CHARACTERS)).toEqual(primitiveFindings(code, s));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads decimals as the regular expressions of Utilities.checkDecimal do', () => {
    const byRegex = (v: string) => {
      if (/^[+-]?0[0-9]/.test(v) || v.endsWith('.')) return 'syntax';
      const m = /^[+-]?([0-9]+)(?:\.([0-9]+))?(?:[eE][+-]?([0-9]+))?$/.exec(v);
      if (!m) return 'syntax';
      return (m[3]?.length ?? 0) > 4 || m[1]!.length + (m[2]?.length ?? 0) > 18 ? 'range' : 'ok';
    };
    const status = (v: string) => {
      const found = rules('decimal', v);
      return found.includes('Type_Specific_Checks_DT_Decimal_Valid') ? 'syntax' : found.includes('Type_Specific_Checks_DT_Decimal_Range') ? 'range' : 'ok';
    };
    const decimal = fc.array(fc.constantFrom('0', '1', '9', '00', '123456789', '-', '+', '.', 'e', 'E', 'e+', 'E-', '12345', ' ', 'x', '٣'), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(decimal, text), (v) => {
        if (v === '') return;
        expect(status(v), v).toBe(byRegex(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('tells the length of strict base64 without decoding it, as many bytes as decoding gives, or the same refusal', () => {
    const alphabet = fc.array(fc.constantFrom('A', 'z', '0', '+', '/', 'Q', '=', '==', ' ', 'é'), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(alphabet, text), (s) => {
        const read = decodeStrictBase64(s);
        expect(strictBase64Length(s)).toEqual('error' in read ? read : { length: read.bytes.length });
        expect(strictBase64Length(s)).toEqual(strictLengthByCharacter(s));
      }),
      { numRuns: 3000 },
    );
  });
  it('applies the string regex and the URI whitespace rule as the definitions read them', () => {
    // The string type's regex as R4 gives it, with Java's \S (not \x20, \t, \n, \x0B, \f, \r).
    const stringRegex = /^(?:[ \r\n\t]|[^ \t\n\x0B\f\r])+$/;
    const trimmed = (v: string) => [...v].filter((_, i, all) => all.slice(0, i + 1).some((c) => !UTILITIES_WHITESPACE.test(c)) && all.slice(i).some((c) => !UTILITIES_WHITESPACE.test(c))).join('');
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: fc.constantFrom('a', ' ', '\x0B', '\f', '\t', '\n', '\r', '\u2003') })), (s) => {
        if (s === '' || rules('string', s).some((r) => r === 'Type_Specific_Checks_DT_String_WS_ALL' || r === 'Type_Specific_Checks_DT_String_WS')) return;
        expect(rules('string', s).includes('Type_Specific_Checks_DT_Primitive_Regex_Type')).toBe(!stringRegex.test(s));
        expect(rules('uri', s).includes('Type_Specific_Checks_DT_URI_WS')).toBe(s !== trimmed(s).replace(/ /g, ''));
        const codeRules = rules('code', s);
        const codeRegex = /^(?:[^ \t\n\x0B\f\r]+([ \t\n\x0B\f\r][^ \t\n\x0B\f\r]+)*)$/;
        expect(codeRules.includes('Type_Specific_Checks_DT_Primitive_Regex_Type')).toBe(!codeRules.includes('Type_Specific_Checks_DT_Code_WS') && !codeRegex.test(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the type regexes', () => {
  // The regex of each type's value as the R4 definitions give it (Java's \S is [^ \t\n\x0B\f\r]).
  const DEFINED: Record<string, RegExp> = {
    boolean: /^(?:true|false)$/,
    integer: /^(?:-?([0]|([1-9][0-9]*)))$/,
    unsignedInt: /^(?:[0]|([1-9][0-9]*))$/,
    positiveInt: /^(?:[1-9][0-9]*)$/,
    decimal: /^(?:-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/,
    string: /^(?:[ \r\n\t]|[^ \t\n\x0B\f\r])+$/,
    code: /^(?:[^ \t\n\x0B\f\r]+([ \t\n\x0B\f\r][^ \t\n\x0B\f\r]+)*)$/,
    uri: /^[^ \t\n\x0B\f\r]*$/,
    url: /^[^ \t\n\x0B\f\r]*$/,
    canonical: /^[^ \t\n\x0B\f\r]*$/,
  };
  const numeric = fc
    .array(fc.constantFrom('0', '1', '9', '00', '007', '2147483647', '-', '+', '.', 'e', 'E', 'e+', 'E-', ' ', 'x', 'true', 'false', 'http://e.org/a', 'urn:', 'oid:', 'uuid:', 'urn:oid:1.2', 'urn:uuid:', 'a b', '\u00a0', '\t'), { minLength: 1, maxLength: 6 })
    .map((p) => p.join(''));

  it('are reported exactly when the value does not match, after every other check found no error (told without the regex where the checks before it already did)', () => {
    fc.assert(
      fc.property(fc.oneof(numeric, text), (v) => {
        if (v === '') return;
        for (const [code, regex] of Object.entries({ ...DEFINED, oid: /^(?:urn:oid:[0-2](\.(0|[1-9][0-9]*))+)$/ })) {
          // As the validator calls it: with what its scan of the characters found.
          const found = primitiveFindings(code, v, characterFacts(v));
          const others = found.filter((f) => f.rule !== 'Type_Specific_Checks_DT_Primitive_Regex_Type');
          expect(found.length - others.length, `${code} '${v}'`).toBe(others.some((f) => f.severity === 'error') || regex.test(v) ? 0 : 1);
          expect(others, `${code} '${v}'`).toEqual(primitiveFindings(code, v).filter((f) => f.rule !== 'Type_Specific_Checks_DT_Primitive_Regex_Type'));
          // The quick answer for common values: nothing found, exactly as the full checks find nothing.
          if (formIsQuiet(code, v, characterFacts(v))) expect(primitiveFindings(code, v), `${code} '${v}'`).toEqual([]);
        }
      }),
      { numRuns: 4000 },
    );
  });
});

describe('isPrimitiveType', () => {
  it('tells the types written as a JSON number or boolean as their JSON kind does', () => {
    for (const code of ['boolean', 'integer', 'unsignedInt', 'positiveInt', 'decimal', 'string', 'code', 'uri', 'xhtml', 'date', 'id', 'Coding', 'constructor']) {
      expect(writtenAsNumberOrBoolean(code), code).toBe(primitiveKind(code) !== 'string');
    }
  });

  it('knows the R4 primitive type codes and nothing an object inherits', () => {
    for (const code of ['string', 'boolean', 'positiveInt', 'base64Binary', 'xhtml']) expect(isPrimitiveType(code), code).toBe(true);
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'Quantity']) expect(isPrimitiveType(code), code).toBe(false);
  });
});

/** java.util.Base64's strict decoder read one character at a time: the byte count, or its refusal. */
function strictLengthByCharacter(s: string): { length: number } | { error: string } {
  let inUnit = 0;
  let characters = s.length;
  let i = 0;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '=') {
      characters = i;
      if (inUnit === 1) return { error: 'Last unit does not have enough valid bits' };
      if (inUnit === 0 || (inUnit === 2 && s[++i] !== '=')) return { error: 'Input byte array has wrong 4-byte ending unit' };
      i++;
      break;
    }
    if (!/^[A-Za-z0-9+/]$/.test(ch)) return { error: `Illegal base64 character ${ch.charCodeAt(0).toString(16)}` };
    inUnit = (inUnit + 1) % 4;
  }
  if (i < s.length) return { error: `Input byte array has incorrect ending byte at ${i}` };
  if (inUnit === 1) return { error: 'Last unit does not have enough valid bits' };
  return { length: Math.floor((characters * 3) / 4) };
}
