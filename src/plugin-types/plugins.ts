import type { Coding, CodeableConcept } from 'fhir/r4';
import type { ValidationIssue } from './issue.js';

/** Binding strengths of ElementDefinition.binding. */
export type BindingStrength = 'required' | 'extensible' | 'preferred' | 'example';

/**
 * Checks coded values against a value set binding. Implemented by `src/terminology`.
 * The validator calls it once per bound coded value (code, Coding, CodeableConcept, Quantity-as-Coding)
 * and copies the returned issues into the outcome. Must not throw.
 */
export interface BindingChecker {
  check(args: {
    /** Canonical URL of the bound value set, possibly `url|version`. */
    valueSet: string;
    strength: BindingStrength;
    /** A bare string for `code`/`string`/`uri` elements, else the Coding or CodeableConcept. */
    value: Coding | CodeableConcept | string;
    /** FHIRPath location of the value, to copy into issues. */
    path: string;
    /**
     * The value set itself when the binding names one contained in the profile (`#id`), which no
     * canonical lookup can find.
     */
    valueSetResource?: Record<string, unknown>;
    /**
     * Languages a display must be valid in (the requested display language, else the resource's
     * language); absent means a display or designation in any language is accepted.
     */
    displayLanguages?: string[];
    /**
     * The binding's maximum value set (the elementdefinition-maxValueSet extension), on an extensible binding:
     * a value outside the bound value set must still come from this one.
     */
    maxValueSet?: string;
  }): ValidationIssue[];

  /**
   * Authoring rules for a CodeSystem, ValueSet or ConceptMap resource (concept lists against their systems,
   * filters, parameters, expansions, supplements, mapped codes). The validator calls it once per such
   * resource, contained ones included. Optional; must not throw.
   */
  checkResource?(resource: Record<string, unknown>, path: string): ValidationIssue[];
}

/**
 * Evaluates a FHIRPath invariant (ElementDefinition.constraint). Implemented by `src/fhirpath`.
 * Each (key, expression) pair should be compiled once and cached by the implementation; the validator
 * calls `evaluate` for every node the constraint applies to. Must not throw: an expression that fails
 * to evaluate should be reported as an issue, not an exception. The validator reuses the `args` object
 * from call to call, so an implementation must copy what it wants to keep.
 */
export interface InvariantEvaluator {
  evaluate(args: {
    key: string;
    /**
     * Rule id for a failure of this constraint; default the key. The validator passes `<source>#<key>`
     * (the defining profile's URL and the key), the message id the HL7 Java validator gives invariants.
     */
    rule?: string;
    expression: string;
    severity: 'error' | 'warning';
    /** ElementDefinition.constraint.human: the sentence for the issue message. */
    human: string;
    /** The JSON node the constraint applies to (object, or primitive value for primitive elements). */
    node: unknown;
    /** The nearest enclosing resource (`%resource`). */
    resource: unknown;
    /** The outermost resource being validated (`%rootResource` / Bundle). */
    root: unknown;
    /** FHIRPath location of `node`. */
    path: string;
    /** FHIR type of `node` (`Patient`, `HumanName`, `string`, ...). */
    elementType: string;
    /** `%extension`, for an extension definition's context invariants: the extension being checked. */
    extension?: unknown;
  }): ValidationIssue[];
  /**
   * Optional: a check of one constraint prepared once per definition, for the common case. It answers `true`
   * only when `evaluate` would return no issues for the node (the constraint holds, nothing to note); any
   * other answer means the validator calls `evaluate` for the issues. Undefined when there is no such check.
   * Must not throw.
   */
  prepare?(key: string, expression: string): PreparedInvariant | undefined;
}

/** See {@link InvariantEvaluator.prepare}: the node and its nearest resource (`%resource`) in, `true` when it holds. */
export type PreparedInvariant = ((node: unknown, resource: unknown) => boolean) & {
  /**
   * JSON keys such that the check holds on any object node (not an array) that has none of them as a property,
   * whatever else it has: the validator need not run it on such a node. Absent when there are none.
   */
  readonly holdsWithout?: readonly string[];
};
