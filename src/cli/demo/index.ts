/** The end-to-end demo behind `ads-fhir demo` / `npm run demo`. */
export { type DemoOptions, type DemoResult, type DemoRow, formatDemoTable, runDemo } from './run-demo.js';
export { type DemoBundle, DEFAULT_BROKEN_CASE, demoBundles } from './bundles.js';
export { type DemoValidate, demoValidator } from './validator.js';
