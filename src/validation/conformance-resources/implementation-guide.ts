/**
 * ImplementationGuide rules (the reference validator's ImplementationGuideValidator) that need no package
 * registry: the FHIR version stated, each dependency's canonical URL, package id and version, and the
 * status, work group and maturity extensions of HL7's own guides. The checks that ask a package cache or
 * registry (which package a canonical URL belongs to, whether a package exists, its FHIR version) are not
 * made: ads-fhir validates offline.
 */
import { clip } from '../primitives.js';
import type { ConformanceContext } from './context.js';
import { EXT_WORKGROUP, extensionsOf } from './publication.js';

const EXT_STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const EXT_FMM_LEVEL = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fmm';

/** An NPM package id as the FHIR package tools accept it. */
const PACKAGE_ID = /^[a-zA-Z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;
/** A package version, as the tools accept it after `#`. */
const PACKAGE_VERSION = /^[A-Za-z0-9\-_$]+(\.[A-Za-z0-9\-_$]+)*$/;

export function checkImplementationGuide(ig: Record<string, unknown>, path: string, cx: ConformanceContext): void {
  const { report } = cx;
  const versions = Array.isArray(ig.fhirVersion) ? ig.fhirVersion : typeof ig.fhirVersion === 'string' ? [ig.fhirVersion] : [];
  if (versions.length === 0) {
    report('IG_NO_VERSION', 'warning', 'business-rule', path, "No fhir version was specified for the IG so the version consistency can't be checked");
  }
  const deps = Array.isArray(ig.dependsOn) ? ig.dependsOn : [];
  deps.forEach((d, i) => {
    if (d && typeof d === 'object' && !Array.isArray(d)) checkDependency(d as Record<string, unknown>, `${path}.dependsOn[${i}]`, cx);
  });
  if (typeof ig.url === 'string' && ig.url.startsWith('http://hl7.org/fhir/')) {
    if (extensionsOf(ig, EXT_STANDARDS_STATUS).length === 0) {
      report('IG_HL7_STANDARDS_STATUS_REQUIRED', 'error', 'business-rule', path, `HL7 Implementation Guides must state their status explicitly using the extension ${EXT_STANDARDS_STATUS}`);
    }
    if (extensionsOf(ig, EXT_WORKGROUP).length === 0) {
      report('IG_HL7_WG_REQUIRED', 'error', 'business-rule', path, `HL7 Implementation Guides must state their owning workgroup explicitly using the extension ${EXT_WORKGROUP}`);
    }
    if (extensionsOf(ig, EXT_FMM_LEVEL).length === 0) {
      report('IG_HL7_FMM_SHOULD', 'warning', 'business-rule', path, `HL7 Implementation Guides should state their maturity explicitly using the extension ${EXT_FMM_LEVEL}`);
    }
  }
}

function checkDependency(dep: Record<string, unknown>, at: string, cx: ConformanceContext): void {
  const { report } = cx;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  let uri = str(dep.uri);
  const packageId = str(dep.packageId);
  const version = str(dep.version);
  let ok = true;
  if (uri !== undefined && uri.includes('|')) {
    const uver = uri.slice(uri.indexOf('|') + 1);
    uri = uri.slice(0, uri.indexOf('|'));
    if (uver === '') {
      ok = false;
      report('IG_DEPENDENCY_CAN_VERSION_NONE', 'error', 'business-rule', at, "The canonical URL cannot end in '|'");
    } else if (version === undefined) {
      ok = false;
      report('IG_DEPENDENCY_CAN_VERSION_ALONE', 'error', 'business-rule', at, `The canonical URL specifies the version '${clip(uver)}', while the dependency does not. If a version is specified, it must be in the explicit version property`);
    } else if (uver !== version && !uri.includes('/ImplementationGuide/')) {
      // The reference reports the version clash only where the URL is not an ImplementationGuide's (its condition, kept).
      ok = false;
      report('IG_DEPENDENCY_CAN_VERSION_ERROR', 'error', 'business-rule', at, `The canonical URL specifies the version '${clip(uver)}', while the dependency has version '${clip(version)}'. If a version is specified, it must be the same as in the explicit version property`);
    }
  }
  if (uri !== undefined && !uri.includes('/ImplementationGuide/')) {
    ok = false;
    report('IG_DEPENDENCY_DIRECT', 'error', 'business-rule', at, "The URL should refer directly to the ImplementationGuide resource (e.g. include '/ImplementationGuide/')");
  }
  if (packageId !== undefined && !PACKAGE_ID.test(packageId)) {
    ok = false;
    report('IG_DEPENDENCY_INVALID_PACKAGEID', 'error', 'business-rule', at, `The packageId ${clip(packageId)} is not valid`);
  }
  // Without a stated package id the reference asks the package registry for one; offline that is not known.
  if (!ok || packageId === undefined) return;
  if (version === undefined) {
    report('IG_DEPENDENCY_NO_VERSION', 'warning', 'business-rule', at, "No version was specified for the package so the version consistency can't be checked");
    return;
  }
  if (!PACKAGE_VERSION.test(version)) {
    report('IG_DEPENDENCY_INVALID_PACKAGE_VERSION', 'error', 'business-rule', at, `The version ${clip(version)} is not a valid NPM package version`);
  }
}
