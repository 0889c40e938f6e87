import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQaServer, type QaServer } from '../../src/server/index.js';
import { createValidationService } from '../../src/validation/index.js';

// Debian's chromium package (installed by .ci/run); playwright never downloads a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: QaServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (see .ci/run)`);
  const service = await createValidationService();
  server = await startQaServer({ service });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('QA page in a browser', () => {
  it('shows the issues of a broken payload, highlights them, and makes no outside request', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:')) outside.push(r.url());
    });
    await page.goto(server.url);
    await expect.poll(() => page.locator('#profile option').count()).toBeGreaterThan(5);
    const broken = { resourceType: 'Patient', gender: 'unknown-gender', birthDate: '2020-13-45', name: [{ family: 'Test' }] };
    await page.fill('#input', JSON.stringify(broken, null, 2));
    await page.click('#validate');
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/error/);
    const issues = await page.locator('#issues li').allTextContents();
    expect(issues.some((t) => t.includes('Patient.gender'))).toBe(true);
    expect(issues.some((t) => t.includes('Patient.birthDate'))).toBe(true);
    expect(await page.locator('#payload span.hit-error').count()).toBeGreaterThanOrEqual(2);
    await page.locator('#issues li').first().click();
    expect(await page.locator('#payload span.focus').count()).toBe(1);
    expect(outside).toEqual([]);
    await page.close();
  });

  it('says a valid payload is valid, and validates against a picked profile', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.fill('#input', JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
    await page.click('#validate');
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/^Valid/);
    await page.selectOption('#profile', 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient');
    await page.fill('#input', JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765918' }] }));
    await page.click('#validate');
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/error/);
    await page.close();
  });
});
