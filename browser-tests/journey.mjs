// Guildhall in a real browser: the registration journey with and without
// JavaScript, GOV.UK Frontend's behaviour under our Content Security Policy,
// keyboard access, and axe-core's accessibility checks.
//
// Run by browser-tests/run, which starts the server and sets:
//   GUILDHALL_URL             the server's base URL, e.g. http://127.0.0.1:8123
//   GUILDHALL_DATA_DIR        its data directory (emails land in outbox/)
//   GUILDHALL_ADMIN_EMAIL     an administrator's address...
//   GUILDHALL_ADMIN_PASSWORD  ...and password
//
// Tests run one after another (node --test runs a file's top-level tests in
// order) against one browser.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const BASE = requiredEnv('GUILDHALL_URL').replace(/\/+$/, '');
const OUTBOX = path.join(requiredEnv('GUILDHALL_DATA_DIR'), 'outbox');
const ADMIN_EMAIL = requiredEnv('GUILDHALL_ADMIN_EMAIL');
const ADMIN_PASSWORD = requiredEnv('GUILDHALL_ADMIN_PASSWORD');
const SCREENSHOTS = path.join(here, 'screenshots');
const AXE = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// axe rules with these tags fail the run when their impact is serious or
// critical. Everything axe finds is printed.
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const FAILING_IMPACTS = ['serious', 'critical'];

// The register of councils: Leeds.
const LEEDS = 'E08000035';

// A run's addresses are unique, so the tests can run again on a data
// directory that already has members.
const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with browser-tests/run`);
  }
  return value;
}

function url(p) {
  return `${BASE}${p}`;
}

// ---------------------------------------------------------------------------
// The browser, and the problems seen on any page in any test.

let browser;
const problems = []; // console errors, uncaught exceptions, CSP violations

before(async () => {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
});

after(async () => {
  await browser?.close();
});

/**
 * A new browser context whose pages report problems into `problems`.
 * `label` names the test in the report.
 */
async function newContext(label, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 768 },
    ...options,
  });
  // Document responses that were meant to be errors (a 404 page, a form
  // answered 400/422): Chromium logs "Failed to load resource" for those,
  // and that is not a problem.
  const expectedErrorDocuments = new Set();
  context.on('response', (response) => {
    if (response.request().resourceType() === 'document' && response.status() >= 400) {
      expectedErrorDocuments.add(response.url());
    }
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url ?? '';
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text) &&
        expectedErrorDocuments.has(where)) {
      return;
    }
    problems.push(`${label}: console error on ${message.page()?.url() ?? where}: ${text}`);
  });
  context.on('weberror', (error) => {
    problems.push(`${label}: uncaught exception on ${error.page()?.url()}: ${error.error().message}`);
  });
  // Chromium also logs CSP violations to the console; this catches them
  // even where a page clears or hides its console.
  if (options.javaScriptEnabled !== false && !options.bypassCSP) {
    await context.exposeBinding('__guildhallCspViolation', ({ page }, v) => {
      problems.push(`${label}: CSP violation on ${page.url()}: ${v}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__guildhallCspViolation(
          `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
        );
      });
    });
  }
  return context;
}

let shot = 0;
async function screenshot(page, name) {
  shot += 1;
  const file = path.join(SCREENSHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function expectHeading(page, text) {
  const h1 = page.locator('h1').first();
  await h1.waitFor();
  assert.equal((await h1.innerText()).trim(), text, `h1 on ${page.url()}`);
}

// ---------------------------------------------------------------------------
// Emails: the server writes each one as an .eml file in the outbox.

function decodeBody(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  // Unfold continued header lines before reading them.
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  let decoded = body;
  if (encoding === 'base64') {
    decoded = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (encoding === 'quoted-printable') {
    const bytes = Buffer.from(
      body.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
    decoded = bytes.toString('utf8');
  }
  return { to: headers.to ?? '', subject: headers.subject ?? '', body: decoded };
}

/**
 * The newest email to `address` whose body has a link starting with
 * `BASE + prefix`, waiting for it: the server sends emails from a job queue.
 */
async function waitForLink(address, prefix, timeoutMs = 15000) {
  const wanted = `${BASE}${prefix}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(OUTBOX)
      ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith('.eml')).map((f) => path.join(OUTBOX, f))
      : [];
    const newestFirst = files
      .map((f) => ({ f, mtime: fs.statSync(f).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime || b.f.localeCompare(a.f));
    for (const { f } of newestFirst) {
      const email = decodeBody(fs.readFileSync(f, 'utf8'));
      if (!email.to.toLowerCase().includes(address.toLowerCase())) continue;
      const link = email.body.split(/\s+/).find((w) => w.startsWith(wanted));
      if (link) return { link, email, file: f };
    }
    if (Date.now() > deadline) {
      throw new Error(`no email to ${address} with a link ${wanted}... in ${OUTBOX} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------
// Steps shared by the tests.

async function fillRegistration(page, person) {
  await page.getByLabel('Full name').fill(person.name);
  await page.getByLabel('Email address').fill(person.email);
  await chooseOrganisation(page, person);
  await page.getByLabel('Job title').fill(person.jobTitle);
  await page.getByLabel('Create a password').fill(person.password);
}

/**
 * With JavaScript, init.js turns the organisation select into a type-ahead
 * (accessible-autocomplete): type, then pick the option. Without, the select.
 */
async function chooseOrganisation(page, person) {
  if (await page.locator('body.js-enabled').count() === 0) {
    await page.getByLabel('Organisation').selectOption(person.organisation);
    return;
  }
  const box = page.getByRole('combobox', { name: 'Organisation' });
  await box.fill(person.organisationName);
  await page.locator('#organisation__listbox').getByRole('option', { name: person.organisationName, exact: true }).click();
  assert.equal(await page.locator('select[name="organisation"]').inputValue(), person.organisation);
}

async function submit(page, name) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main').getByRole('button', { name, exact: true }).click(),
  ]);
}

/** Whether the element is inside the viewport, measured without page scripts. */
async function isInViewport(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize();
  // boundingBox is relative to the main frame's viewport.
  return box !== null && box.y >= 0 && box.y + box.height <= viewport.height;
}

async function signIn(page, email, password) {
  await page.goto(url('/sign-in'));
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, 'Sign in');
}

/** Registers and confirms the address in a context of its own. */
async function registerAndVerify(person) {
  const context = await newContext(`register ${person.email}`);
  const page = await context.newPage();
  await page.goto(url('/register'));
  await fillRegistration(page, person);
  await submit(page, 'Register');
  await expectHeading(page, 'Check your email');
  const { link } = await waitForLink(person.email, '/verify-email/');
  await page.goto(link);
  await submit(page, 'Confirm email address');
  await expectHeading(page, 'Email address confirmed');
  await context.close();
}

function person(name, domain) {
  return {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${RUN}@${domain}`,
    organisation: LEEDS,
    organisationName: 'Leeds',
    jobTitle: 'Neighbourhood planning officer',
    password: `correct horse battery ${RUN}`,
  };
}

// ---------------------------------------------------------------------------
// 1. The registration journey, JavaScript on.

test('registration journey: register, confirm the email, sign in, sign out', async () => {
  const context = await newContext('journey');
  const page = await context.newPage();
  const ruth = person('Ruth Browser', 'leeds.gov.uk');

  await page.goto(url('/'));
  await expectHeading(page, 'Communities of practice for the public sector');
  await screenshot(page, 'home');

  // The start button on the home page.
  await Promise.all([
    page.waitForURL(url('/register')),
    page.locator('main').getByRole('button', { name: 'Register' }).click(),
  ]);
  await expectHeading(page, 'Register for Guildhall');
  await fillRegistration(page, ruth);
  assert.equal(await page.locator('select[name="organisation"] option:checked').innerText(), 'Leeds');
  await screenshot(page, 'register-filled');
  await submit(page, 'Register');
  await expectHeading(page, 'Check your email');
  await screenshot(page, 'check-your-email');

  const { link, email } = await waitForLink(ruth.email, '/verify-email/');
  assert.match(email.subject, /\S/, 'the email has a subject');
  await page.goto(link);
  await expectHeading(page, 'Confirm your email address');
  await screenshot(page, 'confirm-email');
  await submit(page, 'Confirm email address');
  await expectHeading(page, 'Email address confirmed');
  await screenshot(page, 'email-confirmed');

  await Promise.all([
    page.waitForURL(/\/sign-in/),
    page.locator('main').getByRole('link', { name: 'Sign in' }).click(),
  ]);
  await expectHeading(page, 'Sign in');
  await page.getByLabel('Email address').fill(ruth.email);
  await page.getByLabel('Password').fill(ruth.password);
  await screenshot(page, 'sign-in');
  await submit(page, 'Sign in');
  // Onboarding: a short profile step, then suggested communities.
  assert.equal(new URL(page.url()).pathname, '/welcome');
  await expectHeading(page, 'Tell colleagues about your work');
  await page.getByLabel('What are you responsible for?').fill('Temporary accommodation and allocations.');
  await page.getByLabel('Homelessness').check();
  await page.getByLabel('Your areas of expertise (optional)').fill('rough sleeping, housing register');
  await screenshot(page, 'welcome-profile');
  await submit(page, 'Save and continue');
  assert.equal(new URL(page.url()).pathname, '/welcome/communities');
  await expectHeading(page, 'Communities you might like');
  await screenshot(page, 'welcome-communities');
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Go to your home page' }).click(),
  ]);
  await expectHeading(page, `Welcome, ${ruth.name}`);
  assert.equal(await page.locator('#complete-profile').count(), 0, 'the profile step is done');
  await screenshot(page, 'signed-in-home');

  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  await expectHeading(page, 'You have signed out');
  await screenshot(page, 'signed-out');
  // Signed out for real: the home page is the public one again.
  await page.goto(url('/'));
  await expectHeading(page, 'Communities of practice for the public sector');
  await context.close();
});

// ---------------------------------------------------------------------------
// 2. The same first form with JavaScript off.

const REGISTER_FIELDS = ['name', 'email', 'organisation', 'job_title', 'password'];

test('register form without JavaScript: error summary links to each field', async () => {
  const context = await newContext('no-js', { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('/register'));
  await submit(page, 'Register');
  await expectHeading(page, 'Register for Guildhall');
  await screenshot(page, 'register-errors-no-js');
  // Our module did not run: it would have marked the body.
  assert.doesNotMatch(await page.locator('body').getAttribute('class'), /govuk-frontend-supported|js-enabled/,
    'JavaScript is off');

  const summary = page.locator('.govuk-error-summary');
  assert.equal(await summary.count(), 1, 'one error summary');
  assert.equal((await summary.locator('.govuk-error-summary__title').innerText()).trim(), 'There is a problem');
  assert.equal(await summary.locator('[role=alert]').count(), 1, 'the summary is announced');
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual([...hrefs].sort(), REGISTER_FIELDS.map((f) => `#${f}`).sort(), 'a link to each field');
  for (const field of REGISTER_FIELDS) {
    const target = page.locator(`#${field}`);
    assert.equal(await target.count(), 1, `#${field} exists`);
    const describedBy = (await target.getAttribute('aria-describedby') ?? '').split(/\s+/);
    assert.ok(describedBy.includes(`${field}-error`), `#${field} is described by its error message`);
    assert.equal(await page.locator(`#${field}-error`).count(), 1, `#${field}-error exists`);
  }
  // Without our script, following a link is the browser's own behaviour: it
  // scrolls to the field (at the bottom of a short viewport).
  await page.setViewportSize({ width: 1024, height: 400 });
  const link = summary.locator('a[href="#password"]');
  await link.click();
  assert.equal(new URL(page.url()).hash, '#password');
  assert.ok(await page.locator('#password').isVisible());
  const inView = await isInViewport(page, '#password');
  assert.ok(inView, 'the password field is scrolled into view');
  await context.close();
});

// ---------------------------------------------------------------------------
// 3. GOV.UK Design System: the summary lists errors in the order the fields
// appear on the page.
test('register form: the error summary lists errors in the order of the fields', async () => {
  const context = await newContext('order', { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('/register'));
  await submit(page, 'Register');
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const fieldOrder = await page.locator('main form').locator('input:not([type=hidden]), select, textarea')
    .evaluateAll((fields) => fields.map((f) => `#${f.id}`));
  await context.close();
  assert.deepEqual(hrefs, fieldOrder);
});

// ---------------------------------------------------------------------------
// 4. GOV.UK Frontend's JavaScript runs under the Content Security Policy.

test('with JavaScript: GOV.UK Frontend focuses the error summary and its links focus fields', async () => {
  const context = await newContext('js');
  const page = await context.newPage();
  const response = await page.goto(url('/register'));
  assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/,
    'the page is served with our CSP');
  await submit(page, 'Register');
  // GOV.UK Frontend's initAll() marks the body, then the ErrorSummary
  // component focuses its element.
  await page.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'),
    null, { timeout: 5000 });
  assert.ok(await page.evaluate(() => document.body.classList.contains('js-enabled')));
  await page.waitForFunction(
    () => document.activeElement?.classList.contains('govuk-error-summary'),
    null,
    { timeout: 5000 },
  );
  assert.equal(await page.locator('.govuk-error-summary').getAttribute('tabindex'), '-1');
  await screenshot(page, 'register-errors-js');

  // With JavaScript the summary's links focus the field itself.
  await page.locator('.govuk-error-summary a[href="#job_title"]').click();
  await page.waitForFunction(() => document.activeElement?.id === 'job_title', null, { timeout: 2000 });
  await page.locator('.govuk-error-summary a[href="#organisation"]').click();
  await page.waitForFunction(() => document.activeElement?.id === 'organisation', null, { timeout: 2000 });
  await context.close();
});

// ---------------------------------------------------------------------------
// 4b. With JavaScript the organisation select becomes a type-ahead
// (alphagov's accessible-autocomplete), under the same CSP; the hidden select
// still carries the value the form submits.

/** The element's computed (top) border colour. */
async function borderColour(locator) {
  return locator.evaluate((el) => getComputedStyle(el).borderTopColor);
}

test('with JavaScript: the organisation type-ahead offers Leeds for "Leed" and submits E08000035', async () => {
  const context = await newContext('autocomplete');
  const page = await context.newPage();
  const sam = person('Sam Typeahead', 'leeds.gov.uk');
  const posted = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/register') {
      posted.push(new URLSearchParams(request.postData() ?? ''));
    }
  });

  await page.goto(url('/register'));
  const box = page.getByRole('combobox', { name: 'Organisation' });
  await box.waitFor();
  assert.equal(await box.getAttribute('id'), 'organisation', 'the label and error links lead to the box');
  assert.match(await box.getAttribute('class'), /\bautocomplete__input\b/);
  const select = page.locator('select[name="organisation"]');
  assert.equal(await select.getAttribute('id'), 'organisation-select');
  assert.equal(await select.isVisible(), false, 'the select is hidden');
  assert.equal(await select.inputValue(), '', 'nothing chosen yet');
  assert.equal(await box.inputValue(), '', 'the box starts empty');
  assert.equal((await page.locator('#organisation-hint').innerText()).trim(),
    'Start typing, then choose your organisation from the list', 'the hint suits the type-ahead');
  assert.ok((await box.getAttribute('aria-describedby')).split(' ').includes('organisation-hint'),
    'the box is described by the field hint');
  // The component's stylesheet is loaded, by a versioned URL; its script is
  // a classic script from /assets/.
  assert.equal(await page.locator('link[rel=stylesheet][href*="/assets/accessible-autocomplete.min.css?v="]').count(), 1);
  assert.equal(await page.locator('script[src*="/assets/accessible-autocomplete.min.js?v="]').count(), 1);
  assert.equal(await borderColour(box), 'rgb(11, 12, 12)', 'a black border, as GOV.UK inputs');

  // Clicking the empty box shows every council (showAllValues).
  await box.click();
  const listbox = page.locator('#organisation__listbox');
  await listbox.getByRole('option').first().waitFor();
  assert.ok(await listbox.getByRole('option').count() > 300, 'all councils are offered');
  assert.equal((await listbox.getByRole('option').first().innerText()).trim(), 'Select your organisation',
    'the full list starts with "no choice"');
  await screenshot(page, 'register-autocomplete-all');
  // Leaving the box without choosing chooses nothing (not the first council).
  await page.locator('h1').click();
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.inputValue(), '', 'the box is still empty');
  assert.equal(await select.inputValue(), '', 'nothing is chosen');

  // Typing narrows them.
  await box.pressSequentially('Leed', { delay: 20 });
  const leeds = listbox.getByRole('option', { name: 'Leeds', exact: true });
  await leeds.waitFor();
  const offered = (await listbox.getByRole('option').allInnerTexts()).map((t) => t.trim());
  assert.ok(offered.includes('Leeds'), `Leeds is offered: ${offered.join(', ')}`);
  assert.ok(offered.every((t) => /leed/i.test(t)), `only matches are offered: ${offered.join(', ')}`);
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  // The grey completion ("Leed" + "s") behind the box is hidden from assistive technology.
  assert.equal(await page.locator('.autocomplete__hint').getAttribute('aria-hidden'), 'true');
  await screenshot(page, 'register-autocomplete-leed');
  await leeds.click();
  assert.equal(await box.inputValue(), 'Leeds');
  assert.equal(await select.inputValue(), LEEDS, 'the hidden select holds the choice');

  // An emptied box does not keep an earlier choice.
  await box.fill('');
  await page.getByLabel('Job title').focus();
  assert.equal(await box.inputValue(), '');
  assert.equal(await select.inputValue(), '', 'emptying the box clears the choice');
  // Nor does a box left with text that names no council.
  await box.pressSequentially('Leeds', { delay: 20 });
  await page.keyboard.press('Enter');
  assert.equal(await select.inputValue(), LEEDS);
  await box.fill('Nowhere at all');
  await page.getByLabel('Job title').focus();
  assert.equal(await box.inputValue(), 'Nowhere at all');
  assert.equal(await select.inputValue(), '', 'text that names no council clears the choice');

  // Submitted without an organisation: the error shows on the box.
  await submit(page, 'Register');
  await expectHeading(page, 'Register for Guildhall');
  const boxInError = page.getByRole('combobox', { name: 'Organisation' });
  await boxInError.waitFor();
  assert.equal(await borderColour(boxInError), 'rgb(202, 53, 53)', 'a red border in error');
  await screenshot(page, 'register-autocomplete-error');
  const describedBy = (await boxInError.getAttribute('aria-describedby')).split(' ');
  assert.ok(describedBy.includes('organisation-hint') && describedBy.includes('organisation-error'),
    `the box is described by the hint and the error: ${describedBy.join(' ')}`);
  await boxInError.pressSequentially('Leed', { delay: 20 });
  // The component rewrites aria-describedby as the box fills: ours stay.
  const describedByTyping = (await boxInError.getAttribute('aria-describedby') ?? '').split(' ');
  assert.ok(describedByTyping.includes('organisation-error'), describedByTyping.join(' '));
  await screenshot(page, 'register-autocomplete-error-open');
  await page.locator('#organisation__listbox').getByRole('option', { name: 'Leeds', exact: true }).click();

  // The rest of the form, and it registers.
  await page.getByLabel('Full name').fill(sam.name);
  await page.getByLabel('Email address').fill(sam.email);
  await page.getByLabel('Job title').fill(sam.jobTitle);
  await page.getByLabel('Create a password').fill(sam.password);
  await submit(page, 'Register');
  assert.equal(new URL(page.url()).pathname, '/register/check-email');
  await expectHeading(page, 'Check your email');
  assert.equal(posted.length, 2, 'two posts of the form');
  assert.equal(posted[0].get('organisation'), '', 'the first, with no council named in the box');
  assert.deepEqual(posted[1].getAll('organisation'), [LEEDS],
    'the second, with Leeds chosen (and the box itself submits nothing)');
  await context.close();
});

test('with JavaScript: axe-core finds no serious or critical WCAG violations in the type-ahead', async () => {
  const context = await newContext('autocomplete axe', { bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url('/register'));
  const box = page.getByRole('combobox', { name: 'Organisation' });
  await box.waitFor();
  await checkAxe(page, 'register, type-ahead');
  await box.pressSequentially('Leed', { delay: 20 });
  await page.locator('#organisation__listbox').getByRole('option', { name: 'Leeds', exact: true }).waitFor();
  await checkAxe(page, 'register, type-ahead open');
  await page.keyboard.press('Escape');
  await box.fill('');
  await submit(page, 'Register');
  await page.getByRole('combobox', { name: 'Organisation' }).waitFor();
  await checkAxe(page, 'register with errors, type-ahead');
  await context.close();
});

// On iOS the component hides its "n of 355" option suffixes with an inline
// style attribute, which the CSP blocks (so this context does not report
// CSP violations as problems): our stylesheet hides them instead.
test('with JavaScript on iOS: the type-ahead\'s option position suffixes stay visually hidden', async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  });
  const page = await context.newPage();
  const violations = [];
  await context.exposeBinding('__iosCspViolation', (_, v) => violations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__iosCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  await page.goto(url('/register'));
  const box = page.getByRole('combobox', { name: 'Organisation' });
  await box.pressSequentially('Leed', { delay: 20 });
  const suffix = page.locator('#organisation__option-suffix--0');
  await suffix.waitFor({ state: 'attached' });
  assert.match(await suffix.textContent(), /1 of \d+/);
  const size = await suffix.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { width: r.width, height: r.height };
  });
  assert.ok(size.width <= 1 && size.height <= 1, `the suffix is visually hidden: ${JSON.stringify(size)}`);
  const kinds = [...new Set(violations)];
  console.log(`CSP violations on iOS (expected: the suffixes' style attributes): ${violations.length}` +
    (kinds.length ? ` (${kinds.join('; ')})` : ''));
  await context.close();
});

// ---------------------------------------------------------------------------
// 5. Accessibility: axe-core on every page.

async function checkAxe(page, name) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const lines = [];
  for (const v of results.violations) {
    const wcag = v.tags.filter((tag) => WCAG_TAGS.includes(tag));
    const fails = wcag.length > 0 && FAILING_IMPACTS.includes(v.impact);
    for (const node of v.nodes) {
      const line = `${fails ? 'FAIL' : 'info'} ${name}: ${v.id} (${v.impact}; ${v.tags.join(', ')}) ${node.target.join(' ')}\n` +
        `      ${node.html.slice(0, 300)}\n      ${node.failureSummary?.replace(/\n/g, '\n      ')}\n      ${v.helpUrl}`;
      lines.push(line);
    }
  }
  if (lines.length) {
    console.log(`axe on ${name} (${page.url()}):\n  ${lines.join('\n  ')}`);
  } else {
    console.log(`axe on ${name}: no violations (${results.passes?.length ?? 'some'} rules passed)`);
  }
  const failing = lines.filter((l) => l.startsWith('FAIL'));
  assert.equal(failing.length, 0, `axe: serious or critical WCAG violations on ${name}:\n${failing.join('\n')}`);
}

test('accessibility: axe-core finds no serious or critical WCAG A/AA violations', async (t) => {
  // Someone waiting for approval, so /admin shows its table.
  const pending = person('Pat Pending', 'example.org');
  await registerAndVerify(pending);

  // axe is injected as a script: allow it past the CSP in this context only.
  const context = await newContext('axe', { bypassCSP: true });
  const page = await context.newPage();
  // The same pages in a context that enforces the CSP, so that a violation
  // or console error on any of them is caught, and GOV.UK Frontend is seen
  // to start on each.
  const strictContext = await newContext('pages');
  const strict = await strictContext.newPage();
  const visit = async (name, p, status = 200) => {
    await t.test(name, async () => {
      const strictResponse = await strict.goto(url(p));
      assert.equal(strictResponse.status(), status, `${p} answers ${status}`);
      await strict.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'),
        null, { timeout: 5000 });
      const response = await page.goto(url(p));
      assert.equal(response.status(), status, `${p} answers ${status}`);
      await checkAxe(page, name);
    });
  };

  await visit('home, signed out', '/');
  await visit('register', '/register');
  await t.test('register with errors', async () => {
    await page.goto(url('/register'));
    await submit(page, 'Register');
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await checkAxe(page, 'register with errors');
  });
  await visit('sign in', '/sign-in');
  await t.test('sign in with errors', async () => {
    await page.goto(url('/sign-in'));
    await submit(page, 'Sign in');
    assert.equal(await page.locator('.govuk-error-summary').count(), 1);
    await checkAxe(page, 'sign in with errors');
  });
  await visit('forgot password', '/forgot-password');
  await visit('accessibility statement', '/accessibility');
  await visit('privacy notice', '/privacy');
  await visit('page not found', `/no-such-page-${RUN}`, 404);

  for (const p of [page, strict]) {
    await signIn(p, ADMIN_EMAIL, ADMIN_PASSWORD);
    await expectHeading(p, 'Welcome, Ada Admin');
  }
  await visit('home, signed in', '/');
  await visit('account', '/account');
  await visit('change password', '/account/password');
  await visit('API tokens', '/account/tokens');
  await t.test('API tokens, one created', async () => {
    await page.goto(url('/account/tokens'));
    await page.getByLabel('Token name').fill('browser tests');
    await submit(page, 'Create token');
    assert.equal(await page.locator('#new-token').count(), 1, 'the new token is shown');
    await checkAxe(page, 'API tokens, one created');
  });
  await t.test('administration', async () => {
    await page.goto(url('/admin'));
    await expectHeading(page, 'Administration');
    assert.match(await page.locator('#awaiting').innerText(), new RegExp(pending.name),
      'the pending member is listed');
    await screenshot(page, 'admin');
    await checkAxe(page, 'administration');
  });
  await t.test('administration, search', async () => {
    await page.goto(url(`/admin?q=${encodeURIComponent('Pending')}`));
    await checkAxe(page, 'administration, search');
  });
  await strictContext.close();
  await context.close();
});

// ---------------------------------------------------------------------------
// 5b. Accessibility of the community pages: a member creates communities
// through the pages, then axe runs on each page they lead to, as the owner,
// as a signed-out visitor and as the administrator.

/** Fills in and submits the create form as `page`'s member. */
async function createCommunity(page, c) {
  await page.goto(url('/communities/new'));
  await page.locator('#name').fill(c.name);
  await page.locator('#slug').fill(c.slug);
  await page.locator('#purpose').fill(c.purpose);
  await page.locator(`input[name="visibility"][value="${c.visibility}"]`).check();
  await page.locator(`input[name="join_policy"][value="${c.joinPolicy}"]`).check();
  await page.locator('#tags').fill(c.tags);
  for (const tool of c.tools) {
    await page.locator(`input[name="tools"][value="${tool}"]`).check();
  }
  await submit(page, 'Create community');
  assert.equal(new URL(page.url()).pathname, `/communities/${c.slug}`, 'the new community\'s home page');
  await expectHeading(page, c.name);
}

test('accessibility: axe-core finds no serious or critical WCAG violations on the community pages', async (t) => {
  const member = person('Cara Communities', 'leeds.gov.uk');
  await registerAndVerify(member);
  const open = {
    name: 'Housing officers network',
    slug: `housing-${RUN}`,
    purpose: 'For **housing officers** in councils to share what works:\n\n- allocations\n- homelessness prevention',
    visibility: 'public',
    joinPolicy: 'open',
    tags: 'housing, homelessness',
    tools: ['forum', 'wiki'],
  };
  const closed = {
    name: 'Safeguarding leads',
    slug: `safeguarding-${RUN}`,
    purpose: 'A private group for safeguarding leads.',
    visibility: 'private',
    joinPolicy: 'request',
    tags: 'safeguarding',
    tools: ['forum'],
  };

  // As in the test above: axe in a context that bypasses the CSP, and the
  // same pages in one that enforces it. Signed in once: the second context
  // starts with the first one's cookies.
  const contexts = [];
  const pair = async (label, who) => {
    const axeContext = await newContext(`${label} axe`, { bypassCSP: true });
    contexts.push(axeContext);
    const page = await axeContext.newPage();
    if (who) {
      await signIn(page, who.email, who.password);
      await expectHeading(page, `Welcome, ${who.name}`);
    }
    const strictContext = await newContext(label, { storageState: await axeContext.storageState() });
    contexts.push(strictContext);
    return { page, strict: await strictContext.newPage() };
  };
  // `check`, if given, looks at the page before axe does.
  const visitor = (page, strict) => async (name, p, check = async () => {}) => {
    await t.test(name, async () => {
      const strictResponse = await strict.goto(url(p));
      assert.equal(strictResponse.status(), 200, `${p} answers 200`);
      await strict.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'),
        null, { timeout: 5000 });
      const response = await page.goto(url(p));
      assert.equal(response.status(), 200, `${p} answers 200`);
      await check(page);
      await checkAxe(page, name);
    });
  };

  try {
    // The member who creates the communities.
    const m = await pair('communities member', member);
    const visit = visitor(m.page, m.strict);
    const page = m.page;

    await visit('create a community', '/communities/new');
    await t.test('create a community, with errors', async () => {
      await page.goto(url('/communities/new'));
      await submit(page, 'Create community');
      assert.equal(await page.locator('.govuk-error-summary').count(), 1);
      await screenshot(page, 'community-create-errors');
      await checkAxe(page, 'create a community, with errors');
    });
    await t.test('create two communities', async () => {
      await createCommunity(page, open);
      await createCommunity(page, closed);
    });
    await visit('community home, as its owner', `/communities/${open.slug}`, async () => {
      await expectHeading(page, open.name);
      assert.match(await page.locator('#my-role').innerText(), /owner/);
      await screenshot(page, 'community-home-owner');
    });
    await visit('community home, private, as its owner', `/communities/${closed.slug}`);
    await visit('communities directory, with ours listed', '/communities', async () => {
      const results = await page.locator('#results').innerText();
      assert.match(results, new RegExp(open.name));
      assert.match(results, new RegExp(closed.name));
      await screenshot(page, 'communities-directory');
    });
    await visit('communities directory, a search that finds nothing',
      `/communities?q=${encodeURIComponent(`nothing-${RUN}`)}`, async () => {
        assert.equal(await page.locator('#empty').count(), 1, 'nothing found');
      });
    await visit('community members', `/communities/${open.slug}/members`);
    await t.test('community members, one invited', async () => {
      await page.goto(url(`/communities/${open.slug}/members`));
      await page.locator('#invite #email').fill(ADMIN_EMAIL);
      await submit(page, 'Send invitation');
      assert.equal(await page.locator('#pending-invitations').count(), 1, 'the invitation is listed');
      await checkAxe(page, 'community members, one invited');
    });
    await visit('community settings', `/communities/${open.slug}/settings`);
    await visit('community visibility', `/communities/${closed.slug}/visibility`);
    await t.test('community visibility, confirm a more open choice', async () => {
      await page.goto(url(`/communities/${closed.slug}/visibility`));
      await page.locator('input[name="visibility"][value="members"]').check();
      await submit(page, 'Continue');
      assert.equal(await page.locator('#consequence').count(), 1, 'the confirmation page');
      await checkAxe(page, 'community visibility, confirm a more open choice');
    });
    await visit('community requests, none', `/communities/${closed.slug}/requests`);
    await visit('community audit log', `/communities/${open.slug}/audit`);
    await visit('delete a community', `/communities/${open.slug}/delete`);
    await visit('your invitations, none', '/communities/invitations');

    // A signed-out visitor.
    const anon = await pair('communities signed out');
    await visitor(anon.page, anon.strict)('community home, public, signed out', `/communities/${open.slug}`);

    // The administrator: asks to join the private one, sees the invitation,
    // and the administration pages.
    const a = await pair('communities admin', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, name: 'Ada Admin' });
    const adminVisit = visitor(a.page, a.strict);
    await adminVisit('ask to join', `/communities/${closed.slug}/request`);
    await t.test('ask to join, sent', async () => {
      await a.page.goto(url(`/communities/${closed.slug}/request`));
      await a.page.locator('#message').fill('I lead on safeguarding in Leeds.');
      await submit(a.page, 'Send request');
    });
    await visit('community requests, one waiting', `/communities/${closed.slug}/requests`);
    await adminVisit('your invitations, one waiting', '/communities/invitations');
    await adminVisit('administration: communities', '/admin/communities');
    await adminVisit('administration: communities, one found', `/admin/communities?slug=${encodeURIComponent(closed.slug)}`);
    await adminVisit('administration: break-glass access', `/admin/communities/${closed.slug}/break-glass`);
  } finally {
    for (const c of contexts) await c.close();
  }
});

// ---------------------------------------------------------------------------
// 5c. The forum, the blog and moderation, without JavaScript: people do all
// of it with the page's scripts switched off (plain forms and links), and
// axe runs on each page they see. It runs on the page as it is (scripts are
// switched on only for axe itself); a page reached by a link or a redirect is
// also loaded with JavaScript (axe again) and under the CSP (GOV.UK Frontend
// must start, with no console errors or CSP violations).

/**
 * A signed-in person: `page` has its scripts switched off (through the
 * DevTools protocol, so that they can be switched on for axe alone); `js`
 * shares its cookies with scripts on; `strict` enforces the CSP.
 */
async function signedInWithoutJs(label, who, contexts) {
  const context = await newContext(`${label} no-js`, { bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  await signIn(page, who.email, who.password);
  await expectHeading(page, `Welcome, ${who.name}`);
  assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'no scripts ran');
  const strictContext = await newContext(label, { storageState: await context.storageState() });
  contexts.push(strictContext);
  return { page, cdp, js: await context.newPage(), strict: await strictContext.newPage() };
}

/** Clicks what `locator` finds and waits for the page it leads to. */
async function follow(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/** The path and query of `page`'s address. */
function pathOf(page) {
  const u = new URL(page.url());
  return `${u.pathname}${u.search}`;
}

/**
 * axe on `who`'s page as it is; then, unless the page came from a form post
 * (`posted`), the same address with JavaScript and under the CSP.
 */
async function checkPage(who, name, { posted = false } = {}) {
  await who.cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
  try {
    await checkAxe(who.page, `${name} (no JavaScript)`);
  } finally {
    await who.cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  }
  if (posted) return;
  const p = pathOf(who.page);
  const strictResponse = await who.strict.goto(url(p));
  assert.equal(strictResponse.status(), 200, `${p} answers 200`);
  await who.strict.waitForFunction(() => document.body.classList.contains('govuk-frontend-supported'),
    null, { timeout: 5000 });
  const response = await who.js.goto(url(p));
  assert.equal(response.status(), 200, `${p} answers 200`);
  await checkAxe(who.js, name);
}

/** The message (an `article.app-message`) whose text has `text`. */
function message(page, text) {
  return page.locator('article.app-message', { hasText: text });
}

async function notice(page) {
  return (await page.locator('.govuk-notification-banner__heading').innerText()).trim();
}

test('forum, blog and moderation without JavaScript: axe-core finds no serious or critical WCAG violations', async (t) => {
  const owner = person('Olu Owner', 'leeds.gov.uk');
  const member = person('Mo Member', 'leeds.gov.uk');
  await registerAndVerify(owner);
  await registerAndVerify(member);
  const community = {
    name: 'Allotment officers',
    slug: `allotments-${RUN}`,
    purpose: 'For council **allotment officers** to compare waiting lists, rents and rules.',
    visibility: 'public',
    joinPolicy: 'open',
    tags: 'allotments, parks',
    tools: ['forum', 'blog'],
  };
  const question = {
    title: 'How do you manage a waiting list of 400?',
    body: 'Our waiting list for **plots** is over 400 people.\n\n- Do you split plots?\n- Do you close the list?',
  };
  const answer = 'We halved our larger plots and the list fell by a third in two years.';
  const advert = 'Buy cheap garden sheds at our shop, ten per cent off this week only.';

  const contexts = [];
  try {
    const olu = await signedInWithoutJs('forum owner', owner, contexts);
    const mo = await signedInWithoutJs('forum member', member, contexts);
    const ada = await signedInWithoutJs('forum admin', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, name: 'Ada Admin' }, contexts);
    const forum = `/communities/${community.slug}/forum`;
    let topic; // its address

    await t.test('a community with a forum and a blog', async () => {
      await createCommunity(olu.page, community);
      assert.equal(await olu.page.locator('#forum-link').count(), 1, 'a Forum link');
      assert.equal(await olu.page.locator('#blog-link').count(), 1, 'a Blog link');
      for (const who of [mo, ada]) {
        await who.page.goto(url(`/communities/${community.slug}`));
        await submit(who.page, 'Join this community');
        assert.match(await who.page.locator('#my-role').innerText(), /member/);
      }
    });

    // The forum.
    await t.test('forum, no topics yet', async () => {
      await olu.page.goto(url(`/communities/${community.slug}`));
      await follow(olu.page, olu.page.locator('#forum-link'));
      assert.equal(pathOf(olu.page), forum);
      await checkPage(olu, 'forum, no topics yet');
    });
    await t.test('start a topic', async () => {
      await follow(olu.page, olu.page.locator('#start-topic'));
      await expectHeading(olu.page, 'Start a topic');
      await checkPage(olu, 'start a topic');
    });
    await t.test('start a topic, with errors', async () => {
      await submit(olu.page, 'Post topic');
      assert.equal(await olu.page.locator('.govuk-error-summary').count(), 1);
      await checkPage(olu, 'start a topic, with errors', { posted: true });
    });
    await t.test('start a topic, preview', async () => {
      await olu.page.locator('#title').fill(question.title);
      await olu.page.locator('#body').fill(question.body);
      await olu.page.locator('#question').check();
      await submit(olu.page, 'Preview');
      assert.match(await olu.page.locator('#preview').innerText(), /Do you split plots\?/);
      assert.equal(await olu.page.locator('#title').inputValue(), question.title, 'the title is kept');
      assert.ok(await olu.page.locator('#question').isChecked(), 'still a question');
      await screenshot(olu.page, 'forum-topic-preview');
      await checkPage(olu, 'start a topic, preview', { posted: true });
    });
    await t.test('a question posted', async () => {
      await submit(olu.page, 'Post topic');
      assert.match(pathOf(olu.page), /^\/topics\/\d+\?done=created$/);
      topic = new URL(olu.page.url()).pathname;
      await expectHeading(olu.page, question.title);
      assert.equal(await olu.page.locator('#question').count(), 1, 'marked as a question');
      await checkPage(olu, 'topic, a new question');
    });
    await t.test('a reply, previewed then posted', async () => {
      await mo.page.goto(url(topic));
      await mo.page.locator('#body').fill(answer);
      await submit(mo.page, 'Preview');
      assert.match(await mo.page.locator('#preview').innerText(), /halved our larger plots/);
      await checkPage(mo, 'reply, preview', { posted: true });
      await submit(mo.page, 'Post reply');
      assert.equal(await notice(mo.page), 'Your reply has been posted');
      assert.equal(await message(mo.page, answer).count(), 1);
      await checkPage(mo, 'topic, one reply');
    });
    await t.test('another reply', async () => {
      await ada.page.goto(url(topic));
      await ada.page.locator('#body').fill(advert);
      await submit(ada.page, 'Post reply');
      assert.equal(await message(ada.page, advert).count(), 1);
    });
    await t.test('a reply marked useful, then accepted', async () => {
      await olu.page.goto(url(topic));
      await follow(olu.page, message(olu.page, answer).locator('button.app-useful'));
      assert.match(await message(olu.page, answer).locator('.app-useful-count').innerText(), /^1 person found this useful/);
      await checkPage(olu, 'topic, a reply found useful');
      await follow(olu.page, message(olu.page, answer).locator('button.app-accept'));
      assert.equal(await notice(olu.page), 'The reply has been marked as the accepted answer');
      assert.match(await olu.page.locator('#accepted-answer').innerText(), /halved our larger plots/);
      assert.equal(await olu.page.locator('#answered').count(), 1, 'answered');
      await screenshot(olu.page, 'forum-topic-answered');
      await checkPage(olu, 'topic, answered');
    });
    await t.test('the question edited, and its history', async () => {
      await follow(olu.page, olu.page.locator('#opening .app-edit'));
      await expectHeading(olu.page, 'Edit your topic');
      await checkPage(olu, 'edit a topic');
      await olu.page.locator('#body').fill(`${question.body}\n\nWe are in a city with little spare land.`);
      await submit(olu.page, 'Preview');
      assert.match(await olu.page.locator('#preview').innerText(), /little spare land/);
      await checkPage(olu, 'edit a topic, preview', { posted: true });
      await submit(olu.page, 'Save changes');
      assert.equal(await notice(olu.page), 'Your changes have been saved');
      await follow(olu.page, olu.page.locator('#opening .app-edited'));
      await expectHeading(olu.page, 'Edit history');
      assert.equal(await olu.page.locator('#versions > li').count(), 2, 'two versions');
      await checkPage(olu, 'edit history');
    });
    await t.test('a reply reported', async () => {
      await mo.page.goto(url(topic));
      await follow(mo.page, message(mo.page, advert).locator('.app-flag'));
      await expectHeading(mo.page, 'Report this reply');
      await checkPage(mo, 'report a reply');
      await submit(mo.page, 'Send report');
      assert.equal(await mo.page.locator('.govuk-error-summary').count(), 1, 'a reason is needed');
      await checkPage(mo, 'report a reply, with errors', { posted: true });
      await mo.page.locator('#reason').fill('It is advertising.');
      await submit(mo.page, 'Send report');
      assert.equal(await notice(mo.page), 'Thank you. A facilitator will look at your report');
      assert.equal(await mo.page.locator('.app-hide').count(), 0, 'members see no Hide links');
      await checkPage(mo, 'topic, after a report');
    });
    await t.test('the moderation queue: the reply hidden with a reason', async () => {
      await olu.page.goto(url(`/communities/${community.slug}`));
      await follow(olu.page, olu.page.locator('#moderation-link'));
      await expectHeading(olu.page, 'Moderation');
      const card = olu.page.locator('.app-flag');
      assert.equal(await card.count(), 1, 'one report');
      assert.match(await card.locator('.app-flag-reason').innerText(), /advertising/);
      await screenshot(olu.page, 'moderation-queue');
      await checkPage(olu, 'moderation queue, one report');
      await card.getByLabel('Hide the reply').check();
      await card.getByLabel('Reason').fill('Advertising is not allowed in this community.');
      await follow(olu.page, card.getByRole('button', { name: /^Decide/ }));
      assert.equal(await olu.page.locator('.app-flag').count(), 0, 'no reports left');
      assert.match(await olu.page.locator('.app-hidden').innerText(), /garden sheds/);
      await checkPage(olu, 'moderation queue, a reply hidden');
    });
    await t.test('the hidden reply on the topic page', async () => {
      await olu.page.goto(url(topic));
      const hidden = message(olu.page, 'Hidden by a facilitator');
      assert.equal(await hidden.locator('button.app-restore').count(), 1, 'the facilitator can show it again');
      assert.ok(await olu.page.locator('.app-hide').count() > 0, 'and hide the rest');
      await screenshot(olu.page, 'forum-topic-facilitator');
      await checkPage(olu, 'topic, a reply hidden, as its facilitator');
      await ada.page.goto(url(topic));
      assert.match(await message(ada.page, advert).innerText(), /Advertising is not allowed/, 'its author sees the reason');
      await checkPage(ada, 'topic, a reply hidden, as its author');
      await mo.page.goto(url(topic));
      assert.equal(await mo.page.getByText('garden sheds').count(), 0, 'others do not see it');
      assert.equal(await mo.page.locator('button.app-restore').count(), 0);
    });
    await t.test('muted members', async () => {
      await olu.page.goto(url(`/communities/${community.slug}/moderation`));
      await follow(olu.page, olu.page.getByRole('link', { name: 'Mute a member, or let them post again' }));
      await expectHeading(olu.page, 'Muted members');
      await checkPage(olu, 'muted members');
    });

    // The blog.
    const post = {
      title: 'What we learnt from splitting plots',
      summary: 'Half-plots suit new growers, and the list moves.',
      tags: 'allotments, waiting lists',
      body: '## Why we did it\n\nNew growers often **gave up** in the first year.\n\n1. We measured every plot.\n2. We offered half-plots first.',
    };
    let postAddress;
    await t.test('blog, no posts yet', async () => {
      await olu.page.goto(url(`/communities/${community.slug}`));
      await follow(olu.page, olu.page.locator('#blog-link'));
      await checkPage(olu, 'blog, no posts yet');
    });
    await t.test('write a post', async () => {
      await follow(olu.page, olu.page.locator('#write-post'));
      await expectHeading(olu.page, 'Write a post');
      await checkPage(olu, 'write a post');
    });
    await t.test('write a post, with errors', async () => {
      await submit(olu.page, 'Publish');
      assert.equal(await olu.page.locator('.govuk-error-summary').count(), 1);
      await checkPage(olu, 'write a post, with errors', { posted: true });
    });
    await t.test('write a post, preview', async () => {
      await olu.page.locator('#title').fill(post.title);
      await olu.page.locator('#summary').fill(post.summary);
      await olu.page.locator('#tags').fill(post.tags);
      await olu.page.locator('#body').fill(post.body);
      await submit(olu.page, 'Preview');
      assert.match(await olu.page.locator('#preview-body').innerText(), /offered half-plots first/);
      await screenshot(olu.page, 'blog-post-preview');
      await checkPage(olu, 'write a post, preview', { posted: true });
    });
    await t.test('a post saved as a draft', async () => {
      await submit(olu.page, 'Save as draft');
      assert.match(pathOf(olu.page), /^\/posts\/\d+\?done=draft$/);
      postAddress = new URL(olu.page.url()).pathname;
      assert.equal(await olu.page.locator('#draft-warning').count(), 1);
      await checkPage(olu, 'a draft post');
    });
    await t.test('the post published', async () => {
      await submit(olu.page, 'Publish this post');
      assert.equal(await notice(olu.page), 'Your post has been published');
      assert.equal(await olu.page.locator('#draft-warning').count(), 0);
      await checkPage(olu, 'a published post');
    });
    await t.test('a comment, previewed then added', async () => {
      await mo.page.goto(url(postAddress));
      await mo.page.locator('#body').fill('Did the people on the list mind getting half a plot?');
      await submit(mo.page, 'Preview');
      assert.match(await mo.page.locator('#preview-body').innerText(), /half a plot/);
      await checkPage(mo, 'comment, preview', { posted: true });
      await submit(mo.page, 'Add comment');
      assert.equal(await notice(mo.page), 'Your comment has been added');
      await screenshot(mo.page, 'blog-post-comment');
      await checkPage(mo, 'a post with a comment');
    });
    await t.test('a comment hidden and shown again by its facilitator', async () => {
      await olu.page.goto(url(postAddress));
      assert.equal(await olu.page.locator('.app-hide').count(), 2, 'Hide on the post and the comment');
      await checkPage(olu, 'a post with a comment, as its facilitator');
      const comment = message(olu.page, 'half a plot');
      await follow(olu.page, comment.locator('.app-hide'));
      await expectHeading(olu.page, 'Hide this comment');
      await checkPage(olu, 'hide a comment');
      await olu.page.locator('#reason').fill('Please ask this in the forum instead.');
      await submit(olu.page, 'Hide comment');
      assert.equal(await notice(olu.page), 'It has been hidden. Its author can see your reason');
      assert.equal(await message(olu.page, 'half a plot').locator('.app-restore').count(), 1);
      await screenshot(olu.page, 'blog-post-facilitator');
      await checkPage(olu, 'a post with a hidden comment, as its facilitator');
      await follow(olu.page, message(olu.page, 'half a plot').locator('.app-restore'));
      assert.equal(await notice(olu.page), 'It can be seen again');
      await checkPage(olu, 'a post with a comment shown again');
    });
    await t.test('a member\'s posts', async () => {
      await follow(mo.page, mo.page.locator('#byline a'));
      assert.match(pathOf(mo.page), /^\/people\/[^/]+\/posts$/);
      assert.match(await mo.page.locator('main').innerText(), new RegExp(post.title));
      await screenshot(mo.page, 'member-posts');
      await checkPage(mo, 'a member\'s posts');
      // Their profile, which links back to their posts.
      await mo.page.goto(url(pathOf(mo.page).replace(/\/posts$/, '')));
      assert.match(await mo.page.locator('#communities').innerText(), new RegExp(community.name));
      await checkPage(mo, 'a member\'s profile');
    });
    await t.test('the blog, one post', async () => {
      await mo.page.goto(url(`/communities/${community.slug}/blog`));
      assert.match(await mo.page.locator('main').innerText(), new RegExp(post.title));
      await checkPage(mo, 'blog, one post');
    });
    await t.test('the forum, one topic', async () => {
      await mo.page.goto(url(forum));
      assert.match(await mo.page.locator('main').innerText(), new RegExp(question.title));
      await screenshot(mo.page, 'forum-index');
      await checkPage(mo, 'forum, one topic');
    });
  } finally {
    for (const c of contexts) await c.close();
  }
});

// ---------------------------------------------------------------------------
// 5d. People: the profile step, editing a profile and its photo, the people
// finder and people like you, without JavaScript, axe on each page.

// A 1 x 1 PNG: the server crops and enlarges it to 256 x 256.
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

test('people pages without JavaScript: axe-core finds no serious or critical WCAG violations', async (t) => {
  const petra = person('Petra People', 'leeds.gov.uk');
  const quinn = person('Quinn Peer', 'leeds.gov.uk');
  await registerAndVerify(petra);
  await registerAndVerify(quinn);
  const contexts = [];
  try {
    const pe = await signedInWithoutJs('people petra', petra, contexts);
    const qu = await signedInWithoutJs('people quinn', quinn, contexts);
    const ada = await signedInWithoutJs('people admin', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, name: 'Ada Admin' }, contexts);

    await t.test('the profile step', async () => {
      for (const who of [pe, qu]) {
        await who.page.goto(url('/welcome'));
        await expectHeading(who.page, 'Tell colleagues about your work');
        await who.page.getByLabel('What are you responsible for?').fill('Temporary accommodation, rough sleeping outreach and allocations.');
        await who.page.getByLabel('Homelessness').check();
        await who.page.getByLabel('Your areas of expertise (optional)').fill('rough sleeping, temporary accommodation');
      }
      await checkPage(pe, 'the profile step', { posted: true });
      for (const who of [pe, qu]) {
        await submit(who.page, 'Save and continue');
        await expectHeading(who.page, 'Communities you might like');
      }
      await checkPage(pe, 'communities you might like');
    });
    await t.test('editing a profile', async () => {
      await pe.page.goto(url('/profile'));
      await expectHeading(pe.page, 'Edit your profile');
      await checkPage(pe, 'edit your profile');
      await pe.page.getByLabel('About me', { exact: true }).fill('I run the **temporary accommodation** team.');
      await pe.page.locator('#audience-contact').selectOption('nobody');
      await submit(pe.page, 'Save your profile');
      assert.match(pathOf(pe.page), /^\/people\//, 'back to the profile');
      assert.match(await pe.page.locator('main').innerText(), /temporary accommodation team/);
      await screenshot(pe.page, 'profile');
      await checkPage(pe, 'your profile');
    });
    await t.test('editing a profile, with errors', async () => {
      await pe.page.goto(url('/profile'));
      await pe.page.getByLabel('Expertise', { exact: true }).fill(Array.from({ length: 12 }, (_, i) => `subject ${i}`).join(', '));
      await submit(pe.page, 'Save your profile');
      assert.equal(await pe.page.locator('.govuk-error-summary').count(), 1);
      await checkPage(pe, 'edit your profile, with errors', { posted: true });
    });
    await t.test('a photo', async () => {
      await pe.page.goto(url('/profile/photo'));
      await expectHeading(pe.page, 'Your photo');
      await checkPage(pe, 'your photo');
      await pe.page.locator('#photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: TINY_PNG });
      await submit(pe.page, 'Upload photo');
      const src = await pe.page.locator('main img').first().getAttribute('src');
      assert.match(src, /\/photo/, 'the profile shows the photo');
      const photo = await pe.page.request.get(url(src));
      assert.equal(photo.headers()['content-type'], 'image/jpeg');
    });
    await t.test('the people finder', async () => {
      await qu.page.goto(url('/people'));
      await expectHeading(qu.page, 'Find people');
      await checkPage(qu, 'find people');
      await qu.page.getByLabel('Search people').fill('temporary accommodation');
      await submit(qu.page, 'Search');
      assert.match(await qu.page.locator('main').innerText(), /Petra People/);
      await screenshot(qu.page, 'people-finder');
      await checkPage(qu, 'find people, results');
    });
    await t.test('people like you', async () => {
      await qu.page.goto(url('/'));
      await follow(qu.page, qu.page.locator('#people-like-me'));
      await expectHeading(qu.page, 'People like you');
      await checkPage(qu, 'people like you');
      // Both work at Leeds: shown once one's own organisation is let in.
      await qu.page.getByLabel('Leave out people from my organisation').uncheck();
      await submit(qu.page, 'Update');
      const text = await qu.page.locator('main').innerText();
      assert.match(text, /Petra People/);
      assert.match(text, /Shares: .*rough sleeping/i, 'with the reasons');
      await screenshot(qu.page, 'people-like-you');
      await checkPage(qu, 'people like you, own organisation too');
    });
    await t.test('service areas, for administrators', async () => {
      await ada.page.goto(url('/admin/service-areas'));
      await expectHeading(ada.page, 'Service areas');
      await checkPage(ada, 'service areas');
    });
  } finally {
    for (const c of contexts) await c.close();
  }
});

// ---------------------------------------------------------------------------
// 5e. Search, without JavaScript: the box in every page's header, results
// with their words marked, a type facet, filters with an error, nothing
// found, and a community's own search; axe on each page.

test('search without JavaScript: axe-core finds no serious or critical WCAG violations', async (t) => {
  const sam = person('Sam Searcher', 'leeds.gov.uk');
  await registerAndVerify(sam);
  const community = {
    name: 'Bridge inspectors',
    slug: `bridges-${RUN}`,
    purpose: 'For council **bridge inspectors** to compare inspection regimes.',
    visibility: 'public',
    joinPolicy: 'open',
    tags: 'bridges, highways',
    tools: ['forum'],
  };
  const word = `scour${RUN}`;
  const title = `Checking ${word} around river piers`;
  const contexts = [];
  try {
    const se = await signedInWithoutJs('search sam', sam, contexts);

    await t.test('something to find', async () => {
      await createCommunity(se.page, community);
      await follow(se.page, se.page.locator('#forum-link'));
      await follow(se.page, se.page.locator('#start-topic'));
      await se.page.locator('#title').fill(title);
      await se.page.locator('#body').fill(`How often do you inspect for **${word}** after a flood?`);
      await submit(se.page, 'Post topic');
    });
    await t.test('the header box', async () => {
      // The index follows the database within a second.
      await se.page.waitForTimeout(1200);
      await se.page.goto(url('/'));
      const box = se.page.getByRole('search', { name: 'Site' });
      await box.getByLabel('Search Guildhall').fill(word);
      await Promise.all([
        se.page.waitForNavigation({ waitUntil: 'load' }),
        box.getByRole('button', { name: 'Search', exact: true }).click(),
      ]);
      assert.equal(new URL(se.page.url()).pathname, '/search');
      await expectHeading(se.page, 'Search');
      assert.match(await se.page.locator('#results').innerText(), new RegExp(title));
      assert.ok(await se.page.locator('#results .app-snippet mark').count() > 0, 'the words found are marked');
      await screenshot(se.page, 'search-results');
      await checkPage(se, 'search results');
    });
    await t.test('a type facet', async () => {
      await follow(se.page, se.page.locator('#facets li[data-type="topic"] a'));
      assert.match(pathOf(se.page), /[?&]type=topic(&|$)/);
      assert.equal(await se.page.locator('#facets li[data-type="topic"] strong').count(), 1, 'the facet is chosen');
      const types = await se.page.locator('#results li.app-result').evaluateAll((items) => items.map((i) => i.dataset.type));
      assert.ok(types.length > 0 && types.every((type) => type === 'topic'), `only topics: ${types}`);
      await checkPage(se, 'search results, forum topics');
    });
    await t.test('filters, with an error', async () => {
      // The filters are open: a type is chosen.
      await se.page.locator('#from').fill('31/12/2026');
      await submit(se.page, 'Apply filters');
      assert.equal(await se.page.locator('.govuk-error-summary a[href="#from"]').count(), 1);
      assert.match(await se.page.locator('#from-error').innerText(), /Enter a real date/);
      await screenshot(se.page, 'search-error');
      await checkPage(se, 'search, with an error');
    });
    await t.test('nothing found', async () => {
      await se.page.goto(url(`/search?q=qqxxzz${RUN}&type=topic`));
      assert.equal(await se.page.locator('#empty').count(), 1);
      await checkPage(se, 'search, nothing found');
    });
    await t.test('a community\'s own search', async () => {
      await se.page.goto(url(`/communities/${community.slug}`));
      const box = se.page.getByRole('search', { name: 'This community' });
      await box.getByLabel('Search this community').fill(word);
      await Promise.all([
        se.page.waitForNavigation({ waitUntil: 'load' }),
        box.getByRole('button', { name: 'Search', exact: true }).click(),
      ]);
      await expectHeading(se.page, `Search ${community.name}`);
      assert.match(await se.page.locator('#result-count').innerText(), new RegExp(`1 result in ${community.name}`));
      await checkPage(se, 'search within a community');
    });
  } finally {
    for (const c of contexts) await c.close();
  }
});

// ---------------------------------------------------------------------------
// 6. Keyboard: the skip link comes first and leads to the main content.

test('keyboard: Tab first focuses the skip link, which leads to #main-content', async () => {
  const context = await newContext('keyboard');
  const page = await context.newPage();
  await page.goto(url('/sign-in'));
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({
    className: document.activeElement?.className ?? '',
    href: document.activeElement?.getAttribute('href'),
    text: document.activeElement?.textContent?.trim(),
  }));
  assert.match(focused.className, /\bgovuk-skip-link\b/, 'the skip link has focus');
  assert.equal(focused.href, '#main-content');
  assert.equal(focused.text, 'Skip to main content');
  assert.ok(await page.locator('.govuk-skip-link').isVisible(), 'the focused skip link is visible');
  await screenshot(page, 'skip-link-focused');
  assert.equal(await page.locator('#main-content').count(), 1, '#main-content exists');
  assert.equal(await page.locator('main#main-content').count(), 1, '#main-content is the main element');

  // Following it moves focus to the main content (GOV.UK Frontend's
  // SkipLink sets tabindex="-1" on it), so the next Tab is the first field.
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main-content', null, { timeout: 2000 });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
  await context.close();
});

// ---------------------------------------------------------------------------
// 7. Last: nothing went wrong in any page of any test above.

test('no console errors, uncaught exceptions or CSP violations on any page', () => {
  assert.deepEqual(problems, []);
});
