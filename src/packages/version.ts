/**
 * Orders FHIR/NPM-style versions ("4.0.1", "2.0.0-beta", "1.2"): numeric parts numerically,
 * a release after its pre-releases. Good enough for "latest wins"; not a full semver parser.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const [aMain = '', aPre] = splitPre(a);
  const [bMain = '', bPre] = splitPre(b);
  const byMain = compareParts(aMain.split('.'), bMain.split('.'));
  if (byMain !== 0) return byMain;
  if (aPre === undefined) return bPre === undefined ? 0 : 1;
  if (bPre === undefined) return -1;
  return compareParts(aPre.split('.'), bPre.split('.'));
}

function splitPre(v: string): [string, string | undefined] {
  const i = v.indexOf('-');
  return i < 0 ? [v, undefined] : [v.slice(0, i), v.slice(i + 1)];
}

function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** True when `wanted` names `actual`: equal, or a prefix of it by whole parts ("4.0" matches "4.0.1"). */
export function versionMatches(wanted: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return wanted === actual || actual.startsWith(`${wanted}.`) || actual.startsWith(`${wanted}-`);
}
