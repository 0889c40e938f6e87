// Lists every module a Node process loads, for the start-up bench: `node --import ./bench/module-probe.mjs ...`
// with ADS_MODULE_PROBE=<file>. ES modules are seen by a loader hook (which runs on its own thread and appends
// each URL to the file as it loads); CommonJS modules are read from the require cache when the process exits,
// and scripts compiled through node:vm (the built CLI's bundle, which its launcher loads with a code cache) are
// noted as they are made.
import { appendFileSync } from 'node:fs';
import { createRequire, register, syncBuiltinESMExports } from 'node:module';
import vm from 'node:vm';

const out = process.env.ADS_MODULE_PROBE;
if (out) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    export async function load(url, context, next) {
      if (!url.startsWith('node:')) appendFileSync(${JSON.stringify(out)}, 'esm ' + url + '\\n');
      return next(url, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const scripts = [];
  const Script = vm.Script;
  vm.Script = class extends Script {
    constructor(code, options) {
      super(code, options);
      if (typeof options?.filename === 'string') scripts.push(options.filename);
    }
  };
  syncBuiltinESMExports();
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const files = [...Object.keys(cache).filter((f) => !f.includes('module-probe')).map((f) => `cjs file://${f}`), ...scripts.map((f) => `script file://${f}`)];
    if (files.length > 0) appendFileSync(out, files.join('\n') + '\n');
  });
}
