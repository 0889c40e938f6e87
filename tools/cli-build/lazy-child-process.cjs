// `child_process` as the CLI bundle hands it to commander: commander requires it when it loads, for subcommands
// that are separate executables (ads-fhir has none), and loading it pulls in the net, dgram and stream modules.
// This stand-in loads the real module only when a property of it is read, which no ads-fhir command does.
let real;
module.exports = new Proxy({}, {
  get: (_target, key) => (real ??= require('node:child_process'))[key],
});
