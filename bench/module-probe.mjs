// Lists every module a Node process loads, for the start-up bench: `node --import ./bench/module-probe.mjs ...`
// with ADS_MODULE_PROBE=<file>. ES modules are seen by a loader hook (which runs on its own thread and appends
// each URL to the file as it loads); CommonJS modules are read from the require cache when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.ADS_MODULE_PROBE;
if (out) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) {
      if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(out)}, 'esm ' + url + '\\n');
      return next(url, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const files = Object.keys(cache).filter((f) => !f.includes('module-probe'));
    if (files.length > 0) appendFileSync(out, files.map((f) => `cjs file://${f}`).join('\n') + '\n');
  });
}
