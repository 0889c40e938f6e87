/**
 * NHS number check digit (Modulus 11), as specified in the NHS Data Dictionary:
 * weight the first nine digits 10 down to 2, sum, take the remainder modulo 11 and subtract it from 11.
 * 11 becomes 0; 10 means the nine digits can never form a valid NHS number.
 */
export function nhsNumberCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/**
 * True for an Identifier.value that is an NHS number: exactly ten digits (no spaces, as FHIR carries it)
 * whose last digit is the Modulus 11 check digit of the first nine.
 */
export function isValidNhsNumberValue(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const check = nhsNumberCheckDigit(value.slice(0, 9));
  return check !== undefined && check === Number(value[9]);
}
