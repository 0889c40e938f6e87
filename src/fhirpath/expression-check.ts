import { fhirpathJs } from './fhirpath-js.js';
import type { FhirPathFunction } from './functions.js';

interface AstNode {
  type?: string;
  text?: string;
  children?: AstNode[];
}

/** Names of the functions an expression calls (throws on a syntax error). */
export function functionNames(expression: string): string[] {
  const names = new Set<string>();
  const stack: AstNode[] = [fhirpathJs().parse(expression) as AstNode];
  while (stack.length > 0) {
    const node = stack.pop() as AstNode;
    if (node.type === 'Functn' && node.text) names.add(node.text);
    if (node.children) stack.push(...node.children);
  }
  return [...names];
}

const builtIn = new Map<string, boolean>();

/** True when fhirpath.js implements the function or `extra` supplies it. */
export function isKnownFunction(name: string, extra: Record<string, FhirPathFunction> = {}): boolean {
  if (Object.prototype.hasOwnProperty.call(extra, name)) return true;
  let known = builtIn.get(name);
  if (known === undefined) {
    // fhirpath.js does not export its function table; calling the function with no input tells.
    // A wrong number of arguments only logs a warning there, which is silenced for the probe.
    const warn = console.warn;
    console.warn = () => {};
    try {
      fhirpathJs().evaluate([], `${name}()`);
      known = true;
    } catch (e) {
      known = !(e instanceof Error && e.message.startsWith('Not implemented'));
    } finally {
      console.warn = warn;
    }
    builtIn.set(name, known);
  }
  return known;
}
