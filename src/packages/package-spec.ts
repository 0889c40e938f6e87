import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PackageError } from './errors.js';
import { fhirPackageCache } from './locations.js';
import { compareVersions, versionMatches } from './version.js';

/** A FHIR package id (`hl7.fhir.uv.ips`, `UKCore.R4.STU.02.00.00`), optionally with `#version`. */
const PACKAGE_ID = /^([A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+)(?:#([^#/\\\s]+))?$/;

/** The versions of package `name` in a FHIR package cache folder (its `name#version` entries), newest first. */
export function cachedVersions(name: string, cache: string = fhirPackageCache()): string[] {
  if (!existsSync(cache)) return [];
  const prefix = `${name}#`;
  return readdirSync(cache)
    .filter((entry) => entry.startsWith(prefix) && existsSync(join(cache, entry, 'package', 'package.json')))
    .map((entry) => entry.slice(prefix.length))
    .sort((a, b) => compareVersions(b, a));
}

/**
 * Resolves what a user names a package by, as the HL7 validator's `-ig` takes it: a package folder or `.tgz`
 * file, or `name#version` (or `name` for the newest version) from the FHIR package cache, `~/.fhir/packages`
 * or `$FHIR_PACKAGE_CACHE`, where other FHIR tools install packages. A version may be a prefix (`4.0` finds
 * `4.0.1`). Nothing is downloaded.
 * @returns the folder or file to load.
 * @throws PackageError `not-found`, saying where it looked and which versions the cache has.
 */
export function resolvePackageSpec(spec: string, cache: string = fhirPackageCache()): string {
  if (existsSync(spec)) return spec;
  const id = PACKAGE_ID.exec(spec);
  if (!id || /\.(tgz|json)$/i.test(spec)) throw new PackageError('not-found', spec, 'no such package folder or file');
  const [, name = '', version] = id;
  const versions = cachedVersions(name, cache);
  const pick = version === undefined ? versions[0] : versions.find((v) => v === version) ?? versions.find((v) => versionMatches(version, v));
  if (pick !== undefined) return join(cache, `${name}#${pick}`);
  const has = versions.length ? `it has ${versions.map((v) => `${name}#${v}`).join(', ')}` : `it has no version of ${name}`;
  throw new PackageError(
    'not-found',
    spec,
    `not a folder or file here, and not in the FHIR package cache ${cache} (${has}). Install the package there with a FHIR package tool, or give its folder or .tgz`,
  );
}
