import type { ElementDefinition, StructureDefinition } from 'fhir/r4';
import { correctedStrength, relaxesVitalSignsUnits } from './package-corrections.js';
import { invariantRuleId } from '../plugin-types/index.js';
import { isPrimitiveType } from './primitives.js';
import { ElementNode, propertyName, sharedExpression, type CompiledConstraint, type CompiledProfile, type CompiledSlicing, type CompiledType, type DiscriminatorType } from './model.js';
import { CORE_SD_BASE as CORE_SD, FHIR_TYPE_EXTENSION, FHIRPATH_SYSTEM_TYPE_BASE } from '../systems/index.js';

/** This module, for the stamp of the code whose output the compiled-profile cache holds. */
export const COMPILER_MODULE = import.meta.url;

/** Core invariants checked natively by the engine, never sent to the InvariantEvaluator. */
export const NATIVE_CONSTRAINTS = new Set(['ele-1', 'dom-2', 'dom-3', 'dom-4', 'dom-5', 'dom-6', 'ext-1', 'ref-1', 'txt-1', 'txt-2']);

const FHIRPATH_SYSTEM: Record<string, string> = {
  [`${FHIRPATH_SYSTEM_TYPE_BASE}String`]: 'string',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}Boolean`]: 'boolean',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}Integer`]: 'integer',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}Decimal`]: 'decimal',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}Date`]: 'date',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}DateTime`]: 'dateTime',
  [`${FHIRPATH_SYSTEM_TYPE_BASE}Time`]: 'time',
};

/** Looks up the type a profile constrains, for targetProfile checks. */
export type TypeOfProfile = (canonical: string) => string | undefined;

function typeCode(t: { code?: string; extension?: { url?: string; valueUrl?: string; valueUri?: string }[] }): string {
  const code = t.code ?? '';
  if (code.startsWith(FHIRPATH_SYSTEM_TYPE_BASE)) {
    const ext = t.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION);
    return ext?.valueUrl ?? ext?.valueUri ?? FHIRPATH_SYSTEM[code] ?? 'string';
  }
  return code;
}

function compileType(t: NonNullable<ElementDefinition['type']>[number], typeOf: TypeOfProfile): CompiledType {
  const targetProfiles = t.targetProfile ?? [];
  const targetTypes: string[] = [];
  for (const tp of targetProfiles) {
    const bare = tp.split('|')[0] ?? tp;
    const type = bare.startsWith(CORE_SD) ? bare.slice(CORE_SD.length) : typeOf(bare);
    if (type) targetTypes.push(type);
  }
  const code = typeCode(t);
  const compiled: CompiledType = { code: propertyName(code), profiles: t.profile ?? [], targetProfiles, targetTypes, primitive: isPrimitiveType(code) };
  if (t.aggregation?.length) compiled.aggregation = t.aggregation;
  return compiled;
}

/** Reads the value of a `prefix[x]` property (fixed[x], pattern[x], minValue[x], ...). */
function choiceValue(e: ElementDefinition, prefix: string): unknown {
  for (const k in e) {
    if (k.startsWith(prefix) && k.length > prefix.length && k.charCodeAt(prefix.length) < 97) {
      return (e as unknown as Record<string, unknown>)[k];
    }
  }
  return undefined;
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Resources contained in the StructureDefinition, by id: targets of `#id` references such as bindings. */
type ContainedById = Map<string, Record<string, unknown>>;

function containedById(sd: StructureDefinition): ContainedById {
  const out: ContainedById = new Map();
  for (const r of (sd.contained ?? []) as unknown as Record<string, unknown>[]) {
    if (r && typeof r.id === 'string') out.set(r.id, r);
  }
  return out;
}

const MAX_VALUE_SET = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-maxValueSet';

function compileBinding(e: ElementDefinition, contained: ContainedById, sdUrl: string | undefined, corrected: boolean): ElementNode['binding'] {
  const binding = e.binding;
  if (!binding?.valueSet) return undefined;
  // `#vs` binds to a value set contained in the profile itself: named after the profile, carried along.
  const isLocal = binding.valueSet.startsWith('#');
  const compiled: NonNullable<ElementNode['binding']> = { strength: corrected ? correctedStrength(e.path, binding) : binding.strength, valueSet: isLocal && sdUrl ? `${sdUrl}${binding.valueSet}` : binding.valueSet };
  const local = isLocal ? contained.get(binding.valueSet.slice(1)) : undefined;
  if (local?.resourceType === 'ValueSet') compiled.valueSetResource = local;
  const max = binding.extension?.find((x) => x.url === MAX_VALUE_SET);
  const maxUrl = max?.valueCanonical ?? max?.valueUri ?? max?.valueString;
  if (maxUrl) compiled.maxValueSet = maxUrl;
  return compiled;
}

function buildNode(e: ElementDefinition, typeOf: TypeOfProfile, contained: ContainedById, sdUrl: string | undefined, corrected = false): ElementNode {
  const node = new ElementNode();
  const path = e.path;
  const last = path.slice(path.lastIndexOf('.') + 1);
  node.path = path;
  node.isChoice = last.endsWith('[x]');
  node.name = node.isChoice ? last.slice(0, -3) : last;
  node.min = e.min ?? 0;
  node.max = e.max === undefined || e.max === '*' ? Infinity : Number(e.max);
  const baseMax = e.base?.max ?? e.max;
  node.isArray = baseMax === '*' || (baseMax !== undefined && Number(baseMax) > 1);
  node.isModifier = e.isModifier === true;
  node.types = (e.type ?? []).map((t) => compileType(t, typeOf));
  node.fixed = choiceValue(e, 'fixed');
  node.pattern = choiceValue(e, 'pattern');
  node.minValue = choiceValue(e, 'minValue');
  node.maxValue = choiceValue(e, 'maxValue');
  node.maxLength = e.maxLength;
  const minLength = e.extension?.find((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/minLength')?.valueInteger;
  if (minLength !== undefined) node.minLength = minLength;
  node.regex = elementRegex(e);
  const maxSize = e.extension?.find((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/maxSize')?.valueDecimal;
  if (maxSize !== undefined && Number.isSafeInteger(maxSize)) node.maxSize = maxSize;
  const maxDecimals = e.extension?.find((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces')?.valueInteger;
  if (maxDecimals !== undefined) node.maxDecimalPlaces = maxDecimals;
  const langControl = (e.extension ?? []).filter((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/narrative-language-control' && x.valueCode).map((x) => x.valueCode!);
  if (langControl.length) node.languageControl = langControl;
  const sourceControl = e.extension?.find((x) => x.url === 'http://hl7.org/fhir/StructureDefinition/narrative-source-control');
  if (sourceControl) node.sourceControl = sourceControl.valueCode ?? sourceControl.valueString ?? '';
  node.valueAlternatives = (e.extension ?? []).filter((x) => x.url.endsWith('ElementDefinition.valueAlternatives') && x.valueCanonical).map((x) => x.valueCanonical!);
  node.mustHaveValue = e.extension?.some((x) => x.url.endsWith('ElementDefinition.mustHaveValue') && x.valueBoolean === true) ?? false;
  node.sliceName = e.sliceName;
  node.binding = compileBinding(e, contained, sdUrl, corrected);
  if (!node.binding && e.binding && Object.keys(e.binding).length > 0) node.bindingNoSource = sdUrl ?? '';
  node.constraints = (e.constraint ?? [])
    .filter((c) => c.expression && !NATIVE_CONSTRAINTS.has(c.key))
    .map<CompiledConstraint>((c) => ({ key: c.key, rule: invariantRuleId(c.source ?? sdUrl, c.key), severity: c.severity === 'warning' ? 'warning' : 'error', human: c.human, expression: sharedExpression(c.expression!) }));
  if (e.slicing) {
    const slicing: CompiledSlicing = {
      discriminators: (e.slicing.discriminator ?? []).map((d) => ({ type: d.type as DiscriminatorType, path: d.path })),
      rules: e.slicing.rules,
      ordered: e.slicing.ordered === true,
    };
    node.slicing = slicing;
  }
  node.contentReference = e.contentReference;
  return node;
}

/**
 * Hangs `child` under `parent`, with every JSON property name that selects it (choice spellings, `_x`). The names
 * are the engine's own copies (propertyName): the walk reads objects by them and looks its keys up by them.
 */
export function addChild(parent: ElementNode, child: ElementNode): void {
  parent.children.push(child);
  const keys: string[] = [];
  if (child.isChoice) {
    for (const t of child.types) {
      const key = propertyName(child.name + upperFirst(t.code));
      const ukey = propertyName(`_${key}`);
      parent.childByKey.set(key, { node: child, key, ukey, type: t, segment: `.${child.name}.ofType(${t.code})` });
      keys.push(key);
      if (t.primitive) keys.push(ukey);
    }
  } else {
    const t = child.types[0];
    const key = propertyName(child.name);
    const ukey = propertyName(`_${key}`);
    parent.childByKey.set(key, { node: child, key, ukey, type: t, segment: `.${child.name}` });
    keys.push(key);
    if (t?.primitive) keys.push(ukey);
  }
  child.keys = keys;
}

/**
 * Compiles a StructureDefinition with a snapshot into an element tree.
 * Slices hang off the sliced element (`slices`), their descendants below them, so re-slicing and
 * slices of choice elements need no special casing.
 */
export function compileStructureDefinition(sd: StructureDefinition, typeOf: TypeOfProfile): CompiledProfile {
  const elements = sd.snapshot?.element ?? [];
  const byId = new Map<string, ElementNode>();
  const lastIdForPath = new Map<string, string>();
  let root: ElementNode | undefined;
  const contained = containedById(sd);
  const corrected = relaxesVitalSignsUnits(sd);
  for (const e of elements) {
    const node = buildNode(e, typeOf, contained, sd.url, corrected);
    const dot = e.path.lastIndexOf('.');
    const parentPath = dot < 0 ? '' : e.path.slice(0, dot);
    const lastSeg = e.path.slice(dot + 1);
    let id = e.id;
    let baseId: string;
    if (!id) {
      const parentId = parentPath ? lastIdForPath.get(parentPath) ?? parentPath : '';
      baseId = parentId ? `${parentId}.${lastSeg}` : lastSeg;
      id = e.sliceName ? `${baseId}:${e.sliceName}` : baseId;
    } else {
      const lastDot = lastDotOutsideSlice(id);
      const lastPart = id.slice(lastDot + 1);
      const colon = lastPart.lastIndexOf(e.sliceName && lastPart.includes('/') ? '/' : ':');
      baseId = e.sliceName && colon >= 0 ? id.slice(0, lastDot + 1 + colon) : id;
    }
    node.id = id;
    byId.set(id, node);
    lastIdForPath.set(e.path, id);
    if (!root) {
      root = node;
      continue;
    }
    if (e.sliceName && baseId !== id) {
      const sliced = byId.get(baseId);
      if (sliced) {
        sliced.slices.push(node);
        continue;
      }
    }
    const parentId = id.slice(0, lastDotOutsideSlice(id));
    const parent = byId.get(parentId) ?? byId.get(lastIdForPath.get(parentPath) ?? parentPath);
    if (parent) addChild(parent, node);
  }
  if (!root) root = new ElementNode();
  // Required children, known only once slices are attached: min > 0 on the element or on any slice.
  for (const node of byId.values()) {
    for (const child of node.children) {
      if (child.min > 0 || child.slices.some((sl) => sl.min > 0)) node.required.push({ node: child, keys: child.keys });
    }
  }
  // In a constraining profile a contentReference points back into the base definition (the engine
  // resolves it there), so the profile's constraints on the referenced element do not leak into it.
  for (const node of sd.derivation === 'constraint' ? [] : byId.values()) {
    if (node.contentReference) {
      const ref = node.contentReference.slice(node.contentReference.indexOf('#') + 1);
      node.contentTarget = byId.get(ref) ?? [...byId.values()].find((n) => n.path === ref);
    }
  }
  const extensionUrl = sd.type === 'Extension' ? (elements.find((e) => e.path === 'Extension.url')?.fixedUri ?? sd.url) : undefined;
  const profile: CompiledProfile = {
    url: sd.url,
    version: sd.version,
    baseDefinition: sd.baseDefinition,
    name: sd.name,
    type: sd.type,
    kind: sd.kind,
    root,
    context: (sd.context ?? []).map((c) => ({ type: c.type, expression: c.expression })),
    contextInvariants: sd.contextInvariant ?? [],
    extensionUrl,
    abstract: sd.abstract === true,
    imposes: imposedProfiles(sd),
  };
  root.owner = profile;
  return profile;
}

const IMPOSE_PROFILE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-imposeProfile';

/** The canonicals of a definition's imposeProfile extensions, in order. */
export function imposedProfiles(sd: { extension?: unknown } | undefined): string[] {
  const urls: string[] = [];
  for (const ext of (Array.isArray(sd?.extension) ? sd.extension : []) as { url?: unknown; valueCanonical?: unknown; valueUri?: unknown }[]) {
    const url = ext && ext.url === IMPOSE_PROFILE ? (ext.valueCanonical ?? ext.valueUri) : undefined;
    if (typeof url === 'string') urls.push(url);
  }
  return urls;
}

/** Index of the '.' before the last path segment of an element id. */
function lastDotOutsideSlice(id: string): number {
  return id.lastIndexOf('.');
}

const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';

/**
 * The regex extension of an element definition, as the reference reads it (checkPrimitive): only when the
 * element carries one, and then a type's own regex extension (an older place for it) takes its place.
 */
function elementRegex(e: ElementDefinition): string | undefined {
  const own = e.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
  if (own === undefined) return undefined;
  for (const t of e.type ?? []) {
    const onType = t.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
    if (onType !== undefined) return onType;
  }
  return own;
}
