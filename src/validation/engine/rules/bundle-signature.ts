/** Bundle.signature: the digital signature checks of src/validation/signatures/, in the rule table's signature. */
import { checkBundleSignature } from '../../signatures/bundle-signature.js';
import type { ResourceRule } from '../context.js';

export const checkSignature: ResourceRule = (bundle, path, ctx) => checkBundleSignature(bundle, path, ctx.report);
