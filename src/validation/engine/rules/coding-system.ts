/**
 * A Coding's system must be a code system, not a supplement of one: a supplement only adds designations
 * and properties to the codes of its base, and codes are always of the base (the reference's terminology
 * layer reports CODESYSTEM_CS_NO_SUPPLEMENT when Coding.system resolves to a supplement).
 */
import { clip } from '../../primitives.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

export function checkCodingNotSupplement(obj: Record<string, unknown>, path: string, _def: ElementNode, ctx: RuleContext): void {
  if (typeof obj.system !== 'string' || typeof obj.code !== 'string') return;
  // The package index tells most systems apart without reading them (a code system can be large).
  const indexed = ctx.registry.entry(obj.system);
  if (indexed && (indexed.resourceType !== 'CodeSystem' || !indexed.supplement)) return;
  const cs = ctx.lookup(obj.system);
  if (!cs || cs.resourceType !== 'CodeSystem' || (cs.content !== 'supplement' && cs.supplements === undefined)) return;
  const url = typeof cs.version === 'string' ? `${String(cs.url)}|${cs.version}` : String(cs.url ?? obj.system);
  ctx.report('CODESYSTEM_CS_NO_SUPPLEMENT', 'error', 'invalid', `${path}.system`, `CodeSystem ${clip(url)} is a supplement, so can't be used as a value in Coding.system`);
}
