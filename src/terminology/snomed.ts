import { DMD_SYSTEM, SNOMED_SYSTEM } from '../systems/index.js';

/**
 * SNOMED CT identifier (SCTID) checks, offline: 6 to 18 digits without a leading zero, a partition
 * identifier naming a concept, description or relationship (short or extension format) and a final
 * Verhoeff check digit. dm+d codes are SCTIDs too. Passing this says nothing about whether the concept
 * exists; failing it means no release can contain the code.
 */
export const SCTID_SYSTEMS: ReadonlySet<string> = new Set([SNOMED_SYSTEM, DMD_SYSTEM]);

const SHAPE = /^[1-9]\d{5,17}$/;
const PARTITIONS = new Set(['00', '01', '02', '10', '11', '12']);

// Verhoeff dihedral group tables.
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the digits (check digit last) pass the Verhoeff check. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = D[c]![P[i % 8]![digit]!]!;
  }
  return c === 0;
}

/** True when `code` has the form of an SCTID (length, partition, Verhoeff check digit). */
export function isValidSctid(code: string): boolean {
  return SHAPE.test(code) && PARTITIONS.has(code.slice(-3, -1)) && verhoeffValid(code);
}

/**
 * The shape check used for SNOMED CT and dm+d codes: all-digit codes must be valid SCTIDs. Anything
 * else (a post-coordinated expression) is left to a terminology server.
 */
export function passesSctidCheck(code: string): boolean {
  return !/^\d+$/.test(code) || isValidSctid(code);
}
