/**
 * The compiled form of a StructureDefinition snapshot: a tree of element nodes, built once per
 * profile and reused for every validated resource.
 */

export interface CompiledType {
  code: string;
  /** type.profile canonicals (extension definitions, constrained datatypes, resource profiles). */
  profiles: string[];
  /** type.targetProfile canonicals, for Reference/canonical. */
  targetProfiles: string[];
  /** Resource type names allowed as targets (last segment of each targetProfile, core only). */
  targetTypes: string[];
  /** True for primitive types (value in JSON, `_name` companion for id/extensions). */
  primitive: boolean;
  /** type.aggregation of a Reference: where its target may live (contained, bundled, referenced). */
  aggregation?: string[];
}

export interface CompiledConstraint {
  key: string;
  /** Rule id of a failure: `<source>#<key>` (the defining profile's URL, else this profile's). */
  rule: string;
  severity: 'error' | 'warning';
  human: string;
  expression: string;
}

const sharedTexts = new Map<string, string>();

/**
 * One string object for every copy of an expression's text. Each snapshot repeats the core constraints, so
 * the same text arrives as many strings; the invariant evaluator finds its compiled form by the text on every
 * call, and a lookup with the very string it stored compares no characters.
 */
export function sharedExpression(text: string): string {
  const shared = sharedTexts.get(text);
  if (shared !== undefined) return shared;
  sharedTexts.set(text, text);
  return text;
}

/**
 * The JavaScript engine's one copy of a name (it keeps one string object per property name, the one JSON.parse
 * gives keys): maps keyed by such names and objects read by them then compare no characters. For the names the
 * walk looks up per value (property names, type codes); a concatenated or long parsed string is a copy of its own.
 */
export function propertyName(name: string): string {
  return Object.keys({ [name]: 0 })[0]!;
}

export type DiscriminatorType = 'value' | 'pattern' | 'type' | 'exists' | 'profile';

export interface CompiledSlicing {
  discriminators: { type: DiscriminatorType; path: string }[];
  rules: 'open' | 'closed' | 'openAtEnd';
  ordered: boolean;
}

/** A child reachable from an object under a given JSON property name. */
export interface ChildEntry {
  node: ElementNode;
  /** The JSON property name (`valueQuantity`, `name`). */
  key: string;
  /** Its `_` companion (`_valueString`), precomputed so lookups use an interned string. */
  ukey: string;
  /** The type the property name selects (for choice elements) or the single type. */
  type: CompiledType | undefined;
  /**
   * What the child adds to its parent's location (`.name`, `.value.ofType(Quantity)`), made once per definition so
   * that a value's location is one string joined to its parent's rather than several.
   */
  segment: string;
}

export class ElementNode {
  /** Property name without `[x]`. */
  name = '';
  path = '';
  id = '';
  min = 0;
  max = Infinity;
  /** True when the base definition repeats, so JSON must hold an array. */
  isArray = false;
  isChoice = false;
  isModifier = false;
  types: CompiledType[] = [];
  children: ElementNode[] = [];
  /** JSON property name -> child, including every `valueX` spelling of choice children. */
  childByKey = new Map<string, ChildEntry>();
  /** Children with min > 0, each with the property names that satisfy it. */
  required: { node: ElementNode; keys: string[] }[] = [];
  fixed: unknown = undefined;
  pattern: unknown = undefined;
  minValue: unknown = undefined;
  maxValue: unknown = undefined;
  maxLength: number | undefined = undefined;
  minLength: number | undefined = undefined;
  /** The regex extension of the element definition: the whole value must match it. */
  regex: string | undefined = undefined;
  /** The maxSize extension: the most bytes an attachment or base64Binary value may hold. */
  maxSize: number | undefined = undefined;
  /** The maxDecimalPlaces extension: the most digits a decimal may have after its point. */
  maxDecimalPlaces: number | undefined = undefined;
  /** narrative-language-control codes: `_yes`, `_no`, `_resource` or language codes required. */
  languageControl: string[] | undefined = undefined;
  /** narrative-source-control's level (`hint`, `warning`, `error`): narrative content must carry its source class. */
  sourceControl: string | undefined = undefined;
  /** R5 valueAlternatives: extensions one of which must stand in for a missing value. */
  valueAlternatives: string[] = [];
  /** R5 mustHaveValue (carried as a cross-version extension in R4 profiles). */
  mustHaveValue = false;
  /** JSON property names that carry this element (choice spellings, `_x` companions). */
  keys: string[] = [];
  /**
   * `valueSetResource`: the value set contained in the profile when `valueSet` is a local `#id`;
   * `maxValueSet`: the elementdefinition-maxValueSet extension of the binding.
   */
  binding: { strength: 'required' | 'extensible' | 'preferred' | 'example'; valueSet: string; valueSetResource?: Record<string, unknown>; maxValueSet?: string } | undefined = undefined;
  /**
   * A binding that names no value set (only a strength or description): the url of the profile that carries
   * it, for the reference's hint that such a binding cannot be checked (Terminology_TX_Binding_NoSource).
   */
  bindingNoSource: string | undefined = undefined;
  /** Constraints evaluated through the InvariantEvaluator (ele-1 and dom-* are native). */
  constraints: CompiledConstraint[] = [];
  slicing: CompiledSlicing | undefined = undefined;
  slices: ElementNode[] = [];
  sliceName: string | undefined = undefined;
  /** `#Questionnaire.item` style pointer, resolved to the node after the tree is built. */
  contentReference: string | undefined = undefined;
  contentTarget: ElementNode | undefined = undefined;
  /** Set on the root node only. */
  owner!: CompiledProfile;
}

export interface CompiledProfile {
  url: string;
  /** StructureDefinition.version, when stated. */
  version: string | undefined;
  /** The definition this one derives from (types: their base type, e.g. Age -> Quantity). */
  baseDefinition: string | undefined;
  name: string;
  /** The type this profile constrains (`Patient`, `Extension`, `HumanName`). */
  type: string;
  kind: string;
  root: ElementNode;
  /** Extension definitions only: where the extension may be used. */
  context: { type: string; expression: string }[];
  /** Extension definitions only: FHIRPath conditions on the element holding the extension. */
  contextInvariants: string[];
  /** Extension definitions only: the fixed Extension.url. */
  extensionUrl: string | undefined;
  /** True for abstract types such as Resource or DomainResource. */
  abstract: boolean;
  /**
   * Profiles the definition imposes on what conforms to it (structuredefinition-imposeProfile extensions), read
   * when compiling so that validation need not read the whole definition again; absent on profiles compiled
   * by code that did not record them.
   */
  imposes?: string[];
}
