import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml } from '../../src/reporting/index.js';
import { startQaServer, type QaServer } from '../../src/server/index.js';
import { createValidationService } from '../../src/validation/index.js';

// Debian's chromium package (installed by .ci/run); playwright never downloads a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots for a person to look at (not committed, see .gitignore). */
const SHOTS = join(import.meta.dirname, '..', '..', 'test-output');

// An XML payload as a user would paste it: three errors on known lines and one long unbroken line.
const LONG = `urn:oid:${'1.2'.repeat(120)}`;
const XML = [
  '<Patient xmlns="http://hl7.org/fhir">',
  `  <identifier><system value="${LONG}"/><value value="1"/></identifier>`,
  '  <gender value="bogus"/>',
  '  <birthDate value="2020-13-45"/>',
  '  <bogus/>',
  '</Patient>',
].join('\n');

let server: QaServer;
let browser: Browser;
let service: Awaited<ReturnType<typeof createValidationService>>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (see .ci/run) or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  service = await createValidationService();
  server = await startQaServer({ service });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(width: number): Promise<{ page: Page; outside: string[]; validateCalls: () => number }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const outside: string[] = [];
  let calls = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/validate')) calls++;
    if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:')) outside.push(r.url());
  });
  await page.goto(server.url);
  await expect.poll(() => page.locator('#profile option').count()).toBeGreaterThan(5);
  return { page, outside, validateCalls: () => calls };
}

async function validate(page: Page, text: string): Promise<void> {
  await page.getByLabel('FHIR JSON or XML payload').fill(text);
  await page.getByRole('button', { name: 'Validate' }).click();
  // "Validating…" also starts with "Valid": wait for the verdict itself.
  await expect.poll(() => page.locator('#summary').textContent()).toMatch(/^(Valid|Invalid)(?!ating)/);
}

// Browser-side code is given as text: the tests compile without the DOM library.
const sideways = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
const activeText = (page: Page) => page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');

describe.each([1366, 420])('QA page at %i px wide', (width) => {
  it('shows an XML payload as pasted, with line numbers and its issues grouped by severity, without sideways scrolling', async () => {
    const { page, outside } = await open(width);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await validate(page, XML);
    expect(await page.locator('#summary').textContent()).toMatch(/^Invalid: \d+ errors?/);
    // As pasted: the same lines, XML not turned into JSON, each numbered.
    expect(await page.locator('#payload .code').allTextContents()).toEqual(XML.split('\n'));
    expect(await page.locator('#payload .ln').allTextContents()).toEqual(['1', '2', '3', '4', '5', '6']);
    // Grouped: a heading per severity present, errors first.
    const groups = await page.locator('#issues .group').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-severity')));
    expect(groups[0]).toBe('error');
    const errorLines = await page.locator('#issues .group[data-severity="error"] .where').allTextContents();
    for (const line of ['line 3', 'line 4', 'line 5']) expect(errorLines.some((t) => t.endsWith(line))).toBe(true);
    expect(await page.locator('#payload .line.hit-error').evaluateAll((rows) => rows.map((r) => r.id))).toEqual(expect.arrayContaining(['line-3', 'line-4', 'line-5']));
    // The long line wraps inside the payload box: neither the page nor the box scrolls sideways.
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await page.locator('#payload').evaluate((p) => p.scrollWidth - p.clientWidth)).toBeLessThanOrEqual(0);
    // The issue list is not clipped: it has no scroll box of its own and its last issue can be reached.
    expect(await page.locator('#issues').evaluate((n) => n.scrollHeight - n.clientHeight)).toBeLessThanOrEqual(0);
    await page.locator('#issues .issue').last().scrollIntoViewIfNeeded();
    expect(await page.locator('#issues .issue').last().isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, `qa-page-${width}.png`), fullPage: true });
    expect(outside).toEqual([]);
    await page.close();
  });

  it('moves between issues with the arrow keys and shows the line of the one chosen with Enter', async () => {
    const { page } = await open(width);
    await validate(page, XML);
    const issues = page.locator('#issues .issue');
    await issues.first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await activeText(page)).toBe(await issues.nth(1).textContent());
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    expect(await page.evaluate<boolean>("document.activeElement === document.querySelector('#issues .issue')")).toBe(true);
    await page.keyboard.press('Enter');
    const where = (await issues.first().locator('.where').textContent()) ?? '';
    const line = /line (\d+)$/.exec(where)?.[1];
    expect(line).toBeDefined();
    expect(await page.locator('#payload .line.focus').getAttribute('id')).toBe(`line-${line}`);
    expect(await page.locator(`#line-${line}`).isVisible()).toBe(true);
    const box = await page.locator(`#line-${line}`).boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(900);
    await page.close();
  });
});

describe('QA page', () => {
  it('labels every control and announces results in a live region', async () => {
    const { page } = await open(1366);
    expect(await page.getByLabel('FHIR JSON or XML payload').evaluate((n) => n.tagName)).toBe('TEXTAREA');
    expect(await page.getByLabel('Open a file').getAttribute('type')).toBe('file');
    expect(await page.getByLabel('Profile').evaluate((n) => n.tagName)).toBe('SELECT');
    const summary = page.locator('#summary');
    expect(await summary.getAttribute('role')).toBe('status');
    expect(await summary.getAttribute('aria-live')).toBe('polite');
    await validate(page, JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
    expect(await summary.textContent()).toMatch(/^Valid: no errors/);
    await page.close();
  });

  it('opens a file from the file picker', async () => {
    const { page } = await open(1366);
    const text = JSON.stringify({ resourceType: 'Patient', gender: 'male' }, null, 2);
    await page.getByLabel('Open a file').setInputFiles({ name: 'patient.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(() => page.getByLabel('FHIR JSON or XML payload').inputValue()).toBe(text);
    await page.close();
  });

  it('says what to do on an empty box, without asking the server or showing its API', async () => {
    const { page, validateCalls } = await open(1366);
    await page.getByRole('button', { name: 'Validate' }).click();
    const said = (await page.locator('#summary').textContent()) ?? '';
    expect(said).toMatch(/Paste a payload/);
    expect(said).not.toMatch(/[{}"]/);
    expect(validateCalls()).toBe(0);
    await page.close();
  });

  it('clears the old result while a new one runs', async () => {
    const { page } = await open(1366);
    await validate(page, XML);
    expect(await page.locator('#issues .issue').count()).toBeGreaterThan(0);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/validate', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByLabel('FHIR JSON or XML payload').fill(JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/^Validating/);
    expect(await page.locator('#issues .issue').count()).toBe(0);
    expect(await page.locator('#payload .line').count()).toBe(0);
    release();
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/^Valid/);
    await page.close();
  });

  it('filters the issues by severity', async () => {
    const { page } = await open(1366);
    await validate(page, JSON.stringify({ resourceType: 'Patient', meta: { profile: ['http://example.org/StructureDefinition/unknown'] }, gender: 'bogus' }));
    const errors = page.locator('#issues .group[data-severity="error"]');
    const warnings = page.locator('#issues .group[data-severity="warning"]');
    expect(await errors.isVisible()).toBe(true);
    expect(await warnings.isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: /^Errors \(\d+\)$/ }).uncheck();
    expect(await errors.isVisible()).toBe(false);
    expect(await warnings.isVisible()).toBe(true);
    await page.close();
  });

  it('validates against a picked profile', async () => {
    const { page } = await open(1366);
    // An NHS number identifier without a value: fine for core R4, an error for UK Core's nhsNumber slice.
    const patient = JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number' }] });
    await validate(page, patient);
    expect(await page.locator('#summary').textContent()).toMatch(/^Valid/);
    await page.selectOption('#profile', 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient');
    await validate(page, patient);
    expect(await page.locator('#summary').textContent()).toMatch(/^Invalid/);
    await page.close();
  });
});

describe('HTML report in a browser', () => {
  it('lands a "line N" link with the line in view, below the top edge', async () => {
    const { outcome, resource } = service.validateText(JSON.stringify({ resourceType: 'Patient', gender: 'bogus', birthDate: '2020-13-45', name: [{ family: 'Test' }] }), { withResource: true });
    const results = Array.from({ length: 6 }, (_, i) => ({ file: `payload-${i}.json`, outcome, source: JSON.stringify(resource) }));
    const file = join(mkdtempSync(join(tmpdir(), 'ads-report-')), 'report.html');
    writeFileSync(file, formatHtml(results));
    const page = await browser.newPage({ viewport: { width: 1366, height: 700 } });
    await page.goto(pathToFileURL(file).href);
    // The summary table links to the last input's section.
    await page.locator('table.summary a').last().click();
    expect(page.url()).toMatch(/#f5$/);
    const link = page.locator('#f5 a[href^="#f5-l"]').first();
    const target = (await link.getAttribute('href'))!.slice(1);
    await link.click();
    const box = await page.locator(`#${target}`).boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(20);
    expect(box!.y + box!.height).toBeLessThanOrEqual(700);
    await page.screenshot({ path: join(SHOTS, 'html-report-line-link.png') });
    await page.close();
  });
});

describe('analyst page (docs/ads-mapping.html) in a browser', () => {
  it('finds items by words, codes and displays with its search box, and says how many it shows', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(pathToFileURL(join(import.meta.dirname, '..', '..', 'docs', 'ads-mapping.html')).href);
    const rows = page.locator('tbody tr[data-item]');
    const total = await rows.count();
    expect(total).toBeGreaterThan(50);
    expect(await page.locator('section.items h2').allTextContents()).toEqual(['Header', 'Call', 'Response', 'Patient contact']);
    await page.getByLabel('Search items, paths and codes').fill('conveyance');
    const shown = page.locator('tbody tr[data-item]:not([hidden])');
    expect(await shown.count()).toBeGreaterThan(0);
    expect(await shown.count()).toBeLessThan(total);
    for (const text of await shown.allTextContents()) expect(text.toLowerCase()).toContain('conveyance');
    expect(await page.locator('#shown').textContent()).toBe(`${await shown.count()} of ${total} mappings shown`);
    // A display of an allowed code finds the item bound to it (ADS33, treatment type: "see-and-treat").
    await page.getByLabel('Search items, paths and codes').fill('see-and-treat');
    expect(await shown.evaluateAll((trs) => trs.map((t) => t.getAttribute('data-item')))).toContain('ADS33');
    expect(await page.locator('section.items:not([hidden]) h2').allTextContents()).toEqual(['Call']);
    await page.screenshot({ path: join(SHOTS, 'ads-mapping-search.png') });
    await page.getByLabel('Search items, paths and codes').fill('');
    expect(await shown.count()).toBe(total);
    await page.close();
  });
});

