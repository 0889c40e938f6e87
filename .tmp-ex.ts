import { EXAMPLES } from './examples/index.js';
import { createValidationService } from './src/validation/index.js';
const service = await createValidationService();
const { outcome } = EXAMPLES['conveyed-to-ed']!({ validator: service });
for (const i of outcome.issue) console.log(i.severity, i.expression?.[0], i.details?.text?.slice(0,300));
