/** The shapes shared by the fast compiler's modules. */

export interface FastEnv {
  resource: unknown;
  rootResource: unknown;
  /** `%extension` (an extension's context invariants); undefined elsewhere, where fhirpath.js reports it unknown. */
  extension?: unknown;
}

/** A compiled sub-expression: the focus, `$this` and the environment in, the result collection out. */
export type Eval = (focus: unknown[], self: unknown[], env: FastEnv) => unknown[];

/** Thrown at compile time for an expression outside the fast subset (it is left to fhirpath.js). */
export class NotInSubset extends Error {}

export function arity(args: readonly unknown[], n: number, name: string): void {
  if (args.length !== n) throw new NotInSubset(`${name} with ${args.length} arguments`);
}
