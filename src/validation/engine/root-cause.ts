/**
 * Root-cause reporting: one defect is reported once, where it is. What follows from it elsewhere in the
 * instance (a reference whose target fails the profile it asks for, a profile probe that would fail because
 * of another resource) is folded into that finding. See docs/validation.md, "How findings are reported once".
 */
import type { ValidationIssue } from '../../plugin-types/index.js';
import { clip } from '../primitives.js';
import type { RuleContext } from './context.js';

/** Resources held inside a value: entries of Bundles and resources of Parameters (`entries`), and contained ones. */
export interface HeldResources {
  entries: WeakSet<object>;
  contained: WeakSet<object>;
}

/** What a value that is not an object holds (never added to). */
const NOTHING_HELD: HeldResources = { entries: new WeakSet(), contained: new WeakSet() };

/**
 * The resources held inside `value`, at any depth (made once per value and validation: the cache is the
 * validation's own, so a payload changed between two validations is read afresh).
 */
function heldBy(value: unknown, heldCache: WeakMap<object, HeldResources>): HeldResources {
  if (!value || typeof value !== 'object') return NOTHING_HELD;
  const cached = heldCache.get(value);
  if (cached) return cached;
  // Made only on a miss: this is asked for at every reference a profile probe meets.
  const held: HeldResources = { entries: new WeakSet(), contained: new WeakSet() };
  const visit = (r: unknown, depth: number): void => {
    if (!r || typeof r !== 'object' || Array.isArray(r) || depth > 50) return;
    const res = r as Record<string, unknown>;
    if (Array.isArray(res.contained)) {
      for (const c of res.contained) {
        if (c && typeof c === 'object') {
          held.contained.add(c);
          visit(c, depth + 1);
        }
      }
    }
    const entry = (inner: unknown) => {
      if (!inner || typeof inner !== 'object') return;
      held.entries.add(inner);
      visit(inner, depth + 1);
    };
    if (res.resourceType === 'Bundle' && Array.isArray(res.entry)) {
      for (const e of res.entry) if (e && typeof e === 'object') entry((e as { resource?: unknown }).resource);
    } else if (res.resourceType === 'Parameters' && Array.isArray(res.parameter)) {
      const params = (list: unknown[], d: number): void => {
        if (d > 20) return;
        for (const p of list) {
          if (!p || typeof p !== 'object') continue;
          entry((p as { resource?: unknown }).resource);
          const part = (p as { part?: unknown }).part;
          if (Array.isArray(part)) params(part, d + 1);
        }
      };
      params(res.parameter, 0);
    }
  };
  visit(value, 0);
  heldCache.set(value, held);
  return held;
}

/**
 * True in a profile probe when `target` is another entry of the Bundle (or resource of the Parameters) the
 * probed value sits in: that resource is validated in its own right, and what it breaks is reported there.
 * So a resource conforms to a profile or not on its own content (its contained resources included), never
 * because a resource it refers to fails a profile of its own.
 */
export function judgedElsewhere(target: object, ctx: RuleContext): boolean {
  const subject = ctx.probeSubject;
  if (ctx.options.reportConsequences || subject === undefined || target === subject) return false;
  const cache = ctx.probeHeld;
  return heldBy(ctx.root, cache).entries.has(target) && !heldBy(subject, cache).entries.has(target);
}

/** True when the target names, in meta.profile, one of `profiles` or a profile derived from one of them. */
export function claims(target: unknown, profiles: readonly string[], ctx: RuleContext): boolean {
  if (!target || typeof target !== 'object') return false;
  const meta = (target as { meta?: unknown }).meta as { profile?: unknown } | undefined;
  if (!meta || !Array.isArray(meta.profile)) return false;
  return meta.profile.some((url) => typeof url === 'string' && profiles.some((p) => ctx.registry.derivesFrom(url, p)));
}

/** True when the instance validated holds the target (it is the root, an entry or a contained resource). */
function heldByInstance(target: object, ctx: RuleContext): boolean {
  if (target === ctx.root) return true;
  const held = heldBy(ctx.root, ctx.probeHeld);
  return held.entries.has(target) || held.contained.has(target);
}

/**
 * True when a target that fails `profiles` is reported where it is, never at a reference to it: the instance holds
 * it and it claims one of them, so it is validated against that profile in its own right (not with `reportConsequences`).
 */
export function answersForItself(target: object, profiles: readonly string[], ctx: RuleContext): boolean {
  return !ctx.options.reportConsequences && heldByInstance(target, ctx) && claims(target, profiles, ctx);
}

/**
 * A resolved reference target conforms to none of the `profiles` for its type among the `choices` its element
 * allows (Reference_REF_CantMatchChoice).
 * When the target is in the instance and claims one of them (or a profile derived from one), its own findings are
 * reported where it is, against that profile: nothing more is said at the references. Otherwise the failure is reported
 * once per target, at the first reference met, with the target's first findings against the profiles as the reason.
 * With `reportConsequences`, every reference reports it, as the reference validator does.
 */
export function reportTargetMismatch(target: Record<string, unknown>, ref: string, profiles: readonly string[], choices: readonly string[], path: string, ctx: RuleContext): void {
  if (answersForItself(target, profiles, ctx)) return;
  if (!ctx.options.reportConsequences && ctx.firstReport(target, path) !== path) return; // reported at an earlier reference
  ctx.report('Reference_REF_CantMatchChoice', 'error', 'structure', path, `Unable to find a profile match for ${clip(ref)} among choices: ${choices.join(', ')}${reasons(target, profiles, ctx)}`);
}

/** The first few errors the target gives against the profiles, as one clause. */
function reasons(target: Record<string, unknown>, profiles: readonly string[], ctx: RuleContext): string {
  const found: ValidationIssue[] = [];
  for (const p of profiles) {
    for (const i of ctx.profileFindings(target, p, true)) if (!found.some((f) => f.expression === i.expression && f.message === i.message)) found.push(i);
  }
  if (found.length === 0) return '';
  const shown = found.slice(0, 3).map((i) => `${i.expression}: ${i.message}`);
  return ` (${shown.join('; ')}${found.length > shown.length ? `; and ${found.length - shown.length} more` : ''})`;
}
