/**
 * The QA page: one HTML document with inline CSS and script, so it works offline and makes no
 * request anywhere but back to the server that served it.
 */
export const QA_PAGE_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ads-fhir validator</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#005eb8;color:#fff;padding:10px 20px}header h1{margin:0;font-size:19px}
main{display:grid;grid-template-columns:1fr 1fr;gap:16px;padding:14px 20px}
textarea{width:100%;height:420px;font:12px ui-monospace,monospace;box-sizing:border-box;border:2px dashed #aaa;border-radius:6px;padding:8px}
textarea.drag{border-color:#005eb8;background:#eef5fc}
.bar{display:flex;gap:8px;align-items:center;margin:8px 0;flex-wrap:wrap}select{max-width:360px}
button{background:#005eb8;color:#fff;border:0;border-radius:4px;padding:6px 14px;cursor:pointer}button:disabled{opacity:.5}
#summary{font-weight:600;margin:6px 0}#summary.ok{color:#1a7f37}#summary.bad{color:#b00020}
ul#issues{list-style:none;padding:0;margin:0;max-height:260px;overflow:auto}ul#issues li{padding:3px 4px;cursor:pointer;border-radius:3px}ul#issues li:hover{background:#eef5fc}
.sev{display:inline-block;min-width:80px;font-weight:600}.sev-error,.sev-fatal{color:#b00020}.sev-warning{color:#9a6700}.sev-information{color:#005eb8}
code{font:12px ui-monospace,monospace;color:#555}
pre#payload{background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;overflow:auto;max-height:420px;margin:8px 0;padding:0}
pre#payload span{display:block;padding:0 8px;white-space:pre}pre#payload span.hit-error{background:#ffe3e6}pre#payload span.hit-warning{background:#fff5cc}pre#payload span.focus{outline:2px solid #005eb8}
</style></head>
<body><header><h1>ads-fhir validator</h1><div>Paste or drop a FHIR JSON or XML payload. Nothing leaves this machine.</div></header>
<main>
<section>
<textarea id="input" spellcheck="false" placeholder="Paste a payload here, or drop a file"></textarea>
<div class="bar">
<label>Profile <select id="profile"><option value="">Use meta.profile (and the base resource)</option></select></label>
<button id="validate">Validate</button>
<button id="download" disabled>Download OperationOutcome</button>
</div>
</section>
<section>
<div id="summary">No payload validated yet.</div>
<ul id="issues"></ul>
<pre id="payload"></pre>
</section>
</main>
<script>
(function () {
  var input = document.getElementById('input');
  var select = document.getElementById('profile');
  var lastOutcome = null;
  fetch('profiles').then(function (r) { return r.json(); }).then(function (list) {
    list.forEach(function (p) {
      var o = document.createElement('option');
      o.value = p.url; o.textContent = p.name + ' (' + p.type + ')';
      select.appendChild(o);
    });
  });
  input.addEventListener('dragover', function (e) { e.preventDefault(); input.classList.add('drag'); });
  input.addEventListener('dragleave', function () { input.classList.remove('drag'); });
  input.addEventListener('drop', function (e) {
    e.preventDefault(); input.classList.remove('drag');
    var file = e.dataTransfer.files[0];
    if (file) file.text().then(function (t) { input.value = t; });
  });
  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n; }
  function render(result) {
    lastOutcome = result.outcome;
    document.getElementById('download').disabled = false;
    var issues = result.outcome.issue.filter(function (i) { return !(i.code === 'informational' && !i.expression); });
    var errors = issues.filter(function (i) { return i.severity === 'error' || i.severity === 'fatal'; }).length;
    var warnings = issues.filter(function (i) { return i.severity === 'warning'; }).length;
    var summary = document.getElementById('summary');
    summary.textContent = errors ? errors + ' error(s), ' + warnings + ' warning(s)' : 'Valid: no errors, ' + warnings + ' warning(s)';
    summary.className = errors ? 'bad' : 'ok';
    var pre = document.getElementById('payload');
    pre.textContent = '';
    var spans = result.lines.map(function (text) { var s = el('span', '', text); pre.appendChild(s); return s; });
    var list = document.getElementById('issues');
    list.textContent = '';
    issues.forEach(function (issue, k) {
      var line = result.issueLines[result.outcome.issue.indexOf(issue)];
      var li = el('li');
      li.appendChild(el('span', 'sev sev-' + issue.severity, issue.severity));
      li.appendChild(document.createTextNode(' ' + ((issue.details && issue.details.text) || issue.diagnostics || issue.code) + ' '));
      if (issue.expression) li.appendChild(el('code', '', issue.expression[0]));
      if (line !== null && spans[line]) {
        var blocking = issue.severity === 'error' || issue.severity === 'fatal';
        if (blocking || spans[line].className !== 'hit-error') spans[line].className = blocking ? 'hit-error' : 'hit-warning';
        li.addEventListener('click', function () {
          spans.forEach(function (s) { s.classList.remove('focus'); });
          spans[line].classList.add('focus');
          spans[line].scrollIntoView({ block: 'center' });
        });
      }
      li.dataset.index = String(k);
      list.appendChild(li);
    });
  }
  document.getElementById('validate').addEventListener('click', function () {
    var button = this; button.disabled = true;
    fetch('validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: input.value, profile: select.value || undefined }) })
      .then(function (r) { return r.json(); })
      .then(function (result) { if (result.outcome) render(result); else { document.getElementById('summary').textContent = result.message || 'The server could not validate this payload'; } })
      .catch(function () { document.getElementById('summary').textContent = 'The server did not answer'; })
      .finally(function () { button.disabled = false; });
  });
  document.getElementById('download').addEventListener('click', function () {
    if (!lastOutcome) return;
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([JSON.stringify(lastOutcome, null, 2)], { type: 'application/fhir+json' }));
    a.download = 'OperationOutcome.json'; a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  });
})();
</script></body></html>
`;
