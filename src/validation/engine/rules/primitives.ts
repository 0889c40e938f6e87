/**
 * Rules on primitive values that passed their JSON kind and format check: length limits, fixed and
 * pattern values, minValue/maxValue, markdown that embeds HTML, UUID and OID URIs, and '#id' links to
 * contained resources (they count for dom-3).
 */
import { clip } from '../../primitives.js';
import { deepEqual } from '../../values.js';
import type { ElementNode } from '../../model.js';
import type { RuleContext } from '../context.js';

export function checkPrimitiveValue(v: string | number | boolean, code: string, path: string, node: ElementNode, ctx: RuleContext): void {
  if (node.maxLength !== undefined && typeof v === 'string' && v.length > node.maxLength) {
    ctx.report('Type_Specific_Checks_DT_Primitive_Length', 'error', 'too-long', path, `The value is ${v.length} characters long, more than the maximum ${node.maxLength}`);
  }
  if (node.fixed !== undefined && !deepEqual(node.fixed, v)) {
    ctx.report('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but is fixed to '${clip(String(node.fixed))}'`);
  }
  if (node.pattern !== undefined && !deepEqual(node.pattern, v)) {
    ctx.report('_DT_Fixed_Wrong', 'error', 'value', path, `Value is '${clip(String(v))}' but must be '${clip(String(node.pattern))}'`);
  }
  if (typeof v === 'number' || typeof v === 'string') checkRange(node, v, path, ctx);
  if (code === 'markdown' && typeof v === 'string') {
    const tag = /<[a-zA-Z]/.exec(v);
    if (tag) {
      ctx.report('TYPE_SPECIFIC_CHECKS_DT_MARKDOWN_HTML', ctx.options.noHtmlInMarkdown ? 'error' : 'warning', 'invalid', path, `The markdown contains content that appears to be an embedded HTML tag starting at '${v.slice(tag.index, tag.index + 2)}'. This will (or SHOULD) be escaped by the presentation layer`);
    }
  }
  if ((code === 'uri' || code === 'url' || code === 'canonical' || code === 'uuid' || code === 'oid') && typeof v === 'string') {
    if (v.startsWith('urn:uuid:') && !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v)) {
      ctx.report('Type_Specific_Checks_DT_UUID_Valid', 'error', 'invalid', path, `UUIDs must be valid and lowercase (${clip(v.slice(9))})`);
    } else if (v.startsWith('urn:oid:') && !/^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/.test(v)) {
      ctx.report('Type_Specific_Checks_DT_OID_Valid', 'error', 'invalid', path, `OIDs must be valid (${clip(v.slice(8))})`);
    }
  }
  if (node.minLength !== undefined && typeof v === 'string' && v.length < node.minLength) {
    ctx.report('PRIMITIVE_TOO_SHORT', 'error', 'too-long', path, `Value '${clip(v)}' is shorter than permitted minimum length of ${node.minLength}`);
  }
  if ((code === 'canonical' || code === 'uri' || code === 'url') && (v as string).charCodeAt(0) === 35 /* # */) {
    // Canonical and uri values pointing at '#id' count as references to contained resources (dom-3).
    ctx.addLocalRef((v as string).slice(1));
  }
}

function checkRange(node: ElementNode, v: number | string, path: string, ctx: RuleContext): void {
  if (node.minValue !== undefined && typeof node.minValue === typeof v && (v as number) < (node.minValue as number)) {
    ctx.report(rangeRule(v, 'LT'), 'error', 'value', path, `The value ${clip(String(v))} is less than the specified minValue ${String(node.minValue)}`);
  }
  if (node.maxValue !== undefined && typeof node.maxValue === typeof v && (v as number) > (node.maxValue as number)) {
    ctx.report(rangeRule(v, 'GT'), 'error', 'value', path, `The value ${clip(String(v))} is greater than the specified maxValue ${String(node.maxValue)}`);
  }
}

/** The reference validator's rule for a value below minValue (`LT`) or above maxValue (`GT`), by the value's kind. */
function rangeRule(v: number | string, side: 'LT' | 'GT'): string {
  if (typeof v === 'string') return `TYPE_SPECIFIC_CHECKS_DT_DT_${side}`;
  return Number.isInteger(v) ? `Type_Specific_Checks_DT_Integer_${side}` : `Type_Specific_Checks_DT_Decimal_${side}`;
}
