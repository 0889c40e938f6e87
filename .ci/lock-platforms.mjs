// Adds lock entries for platform-specific optional packages that the registry reachable from our
// build machines does not serve (it carries only the linux builds). Without an entry `npm ci`
// refuses the lock as out of sync; with one, npm skips the package on a non-matching platform
// before fetching it. Run after any dependency change: `node .ci/lock-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

// @rollup/rollup-<os>-<cpu>[-<abi>] naming: derive os/cpu/libc from the name.
function platformOf(name) {
  const m = /^@rollup\/rollup-([a-z0-9]+)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (!m) return undefined;
  const [, os, arch, abi] = m;
  const cpu = { 'arm': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' }[arch];
  if (!cpu) return undefined;
  const entry = { os: [os], cpu: [cpu] };
  if (abi && abi.startsWith('gnu')) entry.libc = ['glibc'];
  if (abi && abi.startsWith('musl')) entry.libc = ['musl'];
  return entry;
}

let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[key] = { version, ...platform, dev: meta.dev ?? false, optional: true };
    if (!meta.dev) delete packages[key].dev;
    added++;
  }
  void path;
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`lock-platforms: added ${added} platform entries`);
