/**
 * A Timing with a fixed or pattern value must have as many `event` times as that value
 * (InstanceValidator.checkTiming: the events are then compared one by one).
 */
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

export function checkTimingEventCount(obj: Record<string, unknown>, path: string, def: ElementNode, ctx: RuleContext): void {
  const required = (def.fixed ?? def.pattern) as { event?: unknown } | undefined;
  if (!required || typeof required !== 'object') return;
  const expected = Array.isArray(required.event) ? required.event.length : 0;
  const found = Array.isArray(obj.event) ? obj.event.length : obj.event === undefined ? 0 : 1;
  if (found !== expected) ctx.report('Bundle_MSG_Event_Count', 'error', 'value', path, `Expected ${expected} but found ${found} event elements`);
}
