/**
 * Resource.meta.security is a set: the same label (system and code) twice is an error, as the reference's
 * InstanceValidator.validateResourceRules reports it. Its location names `meta.profile[i]` (the index of
 * the repeated label), which is where the reference puts it; we report it there too so outcomes compare.
 */
import type { ResourceRule } from '../context.js';

export const checkSecurityLabels: ResourceRule = (resource, path, ctx) => {
  const meta = resource.meta;
  if (!meta || typeof meta !== 'object') return;
  const security = (meta as { security?: unknown }).security;
  if (!Array.isArray(security) || security.length < 2) return;
  const seen = new Set<string>();
  security.forEach((label, i) => {
    const l = label && typeof label === 'object' ? (label as { system?: unknown; code?: unknown }) : {};
    const key = `${typeof l.system === 'string' ? l.system : 'null'}#${typeof l.code === 'string' ? l.code : 'null'}`;
    if (seen.has(key)) ctx.report('Meta_RES_Security_Duplicate', 'error', 'business-rule', `${path}.meta.profile[${i}]`, `Duplicate Security Label ${key}`);
    seen.add(key);
  });
};
