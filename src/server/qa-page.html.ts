/**
 * The QA page: one HTML document with inline CSS and script, so it works offline and makes no request anywhere
 * but back to the server that served it. Built for keyboard and screen-reader use (labelled controls, issues as
 * buttons with arrow-key navigation, results announced) and for narrow screens (one column, lines wrap).
 */
const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#005eb8;color:#fff;padding:10px 20px}header h1{margin:0;font-size:20px}header p{margin:2px 0 0}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;padding:14px 20px;max-width:1600px}
@media (max-width:900px){main{grid-template-columns:minmax(0,1fr);padding:10px}}
h2{font-size:17px;margin:4px 0 8px}h3{font-size:15px;margin:12px 0 4px}
label{font-weight:600}
textarea{display:block;width:100%;height:420px;font:13px/1.4 ui-monospace,monospace;border:2px dashed #8a8a8a;border-radius:6px;padding:8px;margin-top:4px}
@media (max-width:900px){textarea{height:220px}}
textarea.drag{border-color:#005eb8;background:#eef5fc}
.bar{display:flex;gap:8px 12px;align-items:center;margin:10px 0;flex-wrap:wrap}
.bar .field{display:flex;gap:6px;align-items:center;flex-wrap:wrap;max-width:100%}
select{max-width:100%;min-width:0;font:inherit;padding:4px}
input[type=file]{max-width:100%;font:inherit}
button{font:inherit;background:#005eb8;color:#fff;border:0;border-radius:4px;padding:7px 16px;cursor:pointer}
button:disabled{opacity:.55;cursor:default}
:focus-visible{outline:3px solid #ffb81c;outline-offset:2px}
#summary{font-weight:600;margin:6px 0;min-height:1.4em}#summary.ok{color:#1a7f37}#summary.bad{color:#b00020}
fieldset{border:1px solid #ccc;border-radius:4px;padding:4px 10px;margin:6px 0;display:flex;gap:4px 16px;flex-wrap:wrap}
fieldset label{font-weight:normal}fieldset input:disabled+span{color:#767676}
.group ul{list-style:none;padding:0;margin:0}
.issue{display:block;width:100%;text-align:left;background:#fff;color:#1d1d1f;border:1px solid #ddd;border-radius:4px;padding:5px 8px;margin:3px 0;overflow-wrap:anywhere}
.issue:hover,.issue.current{background:#eef5fc;border-color:#005eb8}
.sev{display:inline-block;min-width:6.5em;font-weight:700}.sev-error,.sev-fatal{color:#b00020}.sev-warning{color:#8a5a00}.sev-information{color:#005eb8}
.where{display:block;font:12px ui-monospace,monospace;color:#444}
#payload{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;margin:8px 0;font:12px/1.5 ui-monospace,monospace;max-height:70vh;overflow-y:auto;overflow-x:hidden}
#payload:empty{display:none}
.line{display:grid;grid-template-columns:4.5em minmax(0,1fr)}
.ln{color:#57606a;text-align:right;padding-right:10px;user-select:none;border-right:1px solid #d0d7de}
.code{white-space:pre-wrap;overflow-wrap:anywhere;padding-left:8px}
.line.hit-warning{background:#fff5cc}.line.hit-error{background:#ffe3e6}.line.focus{outline:2px solid #005eb8;outline-offset:-2px}
.line{scroll-margin:3em}
`;

const SCRIPT = `
(function () {
  var input = document.getElementById('input');
  var fileInput = document.getElementById('file');
  var select = document.getElementById('profile');
  var summary = document.getElementById('summary');
  var issuesBox = document.getElementById('issues');
  var filter = document.getElementById('filter');
  var payload = document.getElementById('payload');
  var payloadHeading = document.getElementById('payload-h');
  var validateButton = document.getElementById('validate');
  var downloadButton = document.getElementById('download');
  var lastOutcome = null;
  var GROUPS = [['error', 'Errors'], ['warning', 'Warnings'], ['information', 'Information']];

  fetch('profiles').then(function (r) { return r.json(); }).then(function (list) {
    list.forEach(function (p) {
      var o = document.createElement('option');
      o.value = p.url; o.textContent = p.name + ' (' + p.type + ')';
      select.appendChild(o);
    });
  });

  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n; }
  function say(text, cls) { summary.textContent = text; summary.className = cls || ''; }
  function clearResults() {
    lastOutcome = null; downloadButton.disabled = true;
    issuesBox.textContent = ''; payload.textContent = ''; filter.hidden = true; payloadHeading.hidden = true;
  }
  function load(file) {
    if (!file) return;
    file.text().then(function (t) { input.value = t; clearResults(); say('Opened ' + file.name + '. Press Validate.'); input.focus(); });
  }

  fileInput.addEventListener('change', function () { load(fileInput.files[0]); });
  input.addEventListener('dragover', function (e) { e.preventDefault(); input.classList.add('drag'); });
  input.addEventListener('dragleave', function () { input.classList.remove('drag'); });
  input.addEventListener('drop', function (e) { e.preventDefault(); input.classList.remove('drag'); load(e.dataTransfer.files[0]); });

  function band(severity) { return severity === 'fatal' ? 'error' : severity; }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function showLine(index, button) {
    var lines = payload.children;
    for (var i = 0; i < lines.length; i++) lines[i].classList.remove('focus');
    var current = issuesBox.querySelectorAll('.issue.current');
    for (var j = 0; j < current.length; j++) current[j].classList.remove('current');
    button.classList.add('current');
    var line = lines[index];
    if (!line) return;
    line.classList.add('focus');
    line.scrollIntoView({ block: 'center' });
  }

  function render(result) {
    lastOutcome = result.outcome;
    downloadButton.disabled = false;
    var issues = result.outcome.issue.map(function (issue, k) { return { issue: issue, line: result.issueLines[k] }; })
      .filter(function (x) { return !(x.issue.severity === 'information' && x.issue.code === 'informational' && !x.issue.expression); });
    var counts = { error: 0, warning: 0, information: 0 };
    issues.forEach(function (x) { counts[band(x.issue.severity)]++; });
    say(counts.error ? 'Invalid: ' + plural(counts.error, 'error') + ', ' + plural(counts.warning, 'warning') + ', ' + counts.information + ' information'
      : 'Valid: no errors, ' + plural(counts.warning, 'warning') + ', ' + counts.information + ' information', counts.error ? 'bad' : 'ok');

    payloadHeading.hidden = false;
    result.lines.forEach(function (text, i) {
      var row = el('div', 'line');
      row.id = 'line-' + (i + 1);
      row.appendChild(el('span', 'ln', String(i + 1)));
      row.appendChild(el('span', 'code', text));
      payload.appendChild(row);
    });
    issues.forEach(function (x) {
      var row = x.line === null ? null : payload.children[x.line];
      if (!row) return;
      if (band(x.issue.severity) === 'error') { row.classList.remove('hit-warning'); row.classList.add('hit-error'); }
      else if (band(x.issue.severity) === 'warning' && !row.classList.contains('hit-error')) row.classList.add('hit-warning');
    });

    GROUPS.forEach(function (g) {
      var members = issues.filter(function (x) { return band(x.issue.severity) === g[0]; });
      if (!members.length) return;
      members.sort(function (a, b) { return (a.line === null ? 1e9 : a.line) - (b.line === null ? 1e9 : b.line); });
      var section = el('section', 'group');
      section.dataset.severity = g[0];
      section.setAttribute('aria-labelledby', 'group-' + g[0]);
      var h = el('h3', '', g[1] + ' (' + members.length + ')'); h.id = 'group-' + g[0];
      section.appendChild(h);
      var list = el('ul');
      members.forEach(function (x) {
        var li = el('li');
        var b = el('button', 'issue');
        b.type = 'button';
        b.appendChild(el('span', 'sev sev-' + x.issue.severity, x.issue.severity));
        b.appendChild(document.createTextNode(' ' + ((x.issue.details && x.issue.details.text) || x.issue.diagnostics || x.issue.code)));
        var where = (x.issue.expression ? x.issue.expression[0] : '') + (x.line !== null ? (x.issue.expression ? ', ' : '') + 'line ' + (x.line + 1) : '');
        if (where) b.appendChild(el('span', 'where', where));
        if (x.line !== null) b.addEventListener('click', function () { showLine(x.line, b); });
        else b.setAttribute('aria-disabled', 'true');
        li.appendChild(b);
        list.appendChild(li);
      });
      section.appendChild(list);
      issuesBox.appendChild(section);
    });
    filter.hidden = issues.length === 0;
    Array.prototype.forEach.call(filter.querySelectorAll('input'), function (box) {
      box.nextElementSibling.textContent = box.dataset.label + ' (' + counts[box.value] + ')';
      box.disabled = counts[box.value] === 0;
      applyFilter(box);
    });
  }

  function applyFilter(box) {
    var group = issuesBox.querySelector('.group[data-severity="' + box.value + '"]');
    if (group) group.hidden = !box.checked;
  }
  filter.addEventListener('change', function (e) { if (e.target.matches('input')) applyFilter(e.target); });

  // Arrow keys move between the issues shown; Home and End go to the first and last.
  issuesBox.addEventListener('keydown', function (e) {
    if (['ArrowDown', 'ArrowUp', 'Home', 'End'].indexOf(e.key) < 0) return;
    var buttons = Array.prototype.filter.call(issuesBox.querySelectorAll('.issue'), function (b) { return !b.closest('[hidden]'); });
    var at = buttons.indexOf(document.activeElement);
    if (at < 0 || !buttons.length) return;
    e.preventDefault();
    var next = e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : Math.min(buttons.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
    buttons[next].focus();
  });

  validateButton.addEventListener('click', function () {
    if (input.value.trim() === '') { clearResults(); say('Paste a payload, open a file or drop one on the box first.', 'bad'); input.focus(); return; }
    clearResults();
    say('Validating…');
    validateButton.disabled = true;
    fetch('validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: input.value, profile: select.value || undefined }) })
      .then(function (r) { return r.json(); })
      .then(function (result) { if (result.outcome) render(result); else say(result.message || 'The server could not validate this payload', 'bad'); })
      .catch(function () { say('The server did not answer', 'bad'); })
      .finally(function () { validateButton.disabled = false; });
  });

  downloadButton.addEventListener('click', function () {
    if (!lastOutcome) return;
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([JSON.stringify(lastOutcome, null, 2)], { type: 'application/fhir+json' }));
    a.download = 'OperationOutcome.json'; a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  });
})();
`;

export const QA_PAGE_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ads-fhir validator</title>
<style>${STYLE}</style></head>
<body><header><h1>ads-fhir validator</h1><p>Paste, open or drop a FHIR JSON or XML payload. Nothing leaves this machine.</p></header>
<main>
<section aria-labelledby="input-h">
<h2 id="input-h">Payload</h2>
<label for="input">FHIR JSON or XML payload</label>
<textarea id="input" spellcheck="false" placeholder="Paste a payload here, or drop a file on this box"></textarea>
<div class="bar">
<span class="field"><label for="file">Open a file</label><input type="file" id="file" accept=".json,.xml,.ndjson,application/json,application/fhir+json,application/xml,text/xml"></span>
<span class="field"><label for="profile">Profile</label><select id="profile"><option value="">Use meta.profile (and the base resource)</option></select></span>
<button id="validate" type="button">Validate</button>
<button id="download" type="button" disabled>Download OperationOutcome</button>
</div>
</section>
<section aria-labelledby="results-h">
<h2 id="results-h">Results</h2>
<p id="summary" role="status" aria-live="polite">No payload validated yet.</p>
<fieldset id="filter" hidden><legend>Show</legend>
<label><input type="checkbox" value="error" data-label="Errors" checked><span>Errors</span></label>
<label><input type="checkbox" value="warning" data-label="Warnings" checked><span>Warnings</span></label>
<label><input type="checkbox" value="information" data-label="Information" checked><span>Information</span></label>
</fieldset>
<div id="issues" role="group" aria-label="Issues (arrow keys move between them, Enter shows the line)"></div>
<h3 id="payload-h" hidden>Payload as sent, with line numbers</h3>
<div id="payload" role="region" aria-labelledby="payload-h" tabindex="0"></div>
</section>
</main>
<script>${SCRIPT}</script></body></html>
`;
