// The console as a person uses it, in headless Chromium: sign in, register,
// see the pop-up 20 days before the end, renew, meet the four messages in
// Japanese, see the expiry in red, sign out. Run by run.sh, which starts
// the server (examples/console_stand_in.rs) and passes its URL.
//
//   CONSOLE_URL=http://127.0.0.1:PORT SCREENSHOTS=DIR node console.mjs
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';

const base = process.env.CONSOLE_URL;
const shots = process.env.SCREENSHOTS ?? 'screenshots';
const password = process.env.MDM_TEST_ADMIN_PASSWORD ?? 'stand-in password';
assert.ok(base, 'CONSOLE_URL is not set');
mkdirSync(shots, { recursive: true });
const work = join(tmpdir(), `console-browser-${process.pid}`);
mkdirSync(work, { recursive: true });

// The library's four messages (the administrator's guide), in Japanese.
const MESSAGES = {
  invalid_certificate: '無効な MDM証明書である可能性があります。',
  public_key_mismatch: '証明書の公開キーが違います。',
  retry_later: '時間をおいて再度実行してください。',
  topic_mismatch: '前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。',
};

let step = 0;
const checks = [];
function ok(what) {
  checks.push(what);
  console.log(`ok   ${what}`);
}

async function setClock(iso) {
  const r = await fetch(`${base}/__test/clock`, { method: 'POST', body: iso });
  assert.equal(r.status, 204, `clock ${iso}`);
}

// What the portal hands the customer now, as a file the browser uploads.
async function portalFile(kind, name) {
  const r = await fetch(`${base}/__test/certificate/${kind}`);
  assert.equal(r.status, 200, `${kind}: ${await r.clone().text()}`);
  const path = join(work, name);
  writeFileSync(path, Buffer.from(await r.arrayBuffer()));
  return path;
}

async function shot(page, name) {
  step += 1;
  const file = join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

async function upload(page, path) {
  await page.goto(`${base}/register`);
  await page.setInputFiles('#certificate-file', path);
  await Promise.all([page.waitForLoadState('load'), page.click('#upload')]);
}

async function downloadSignedCsr(page) {
  await page.goto(`${base}/register`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csr')]);
  assert.equal(download.suggestedFilename(), 'signedCSR');
  const path = join(work, `signedCSR-${step}`);
  await download.saveAs(path);
  // The signedCSR file is base64 of a plist holding the three strings.
  const plist = Buffer.from(readFileSync(path, 'utf8'), 'base64').toString('utf8');
  for (const key of ['PushCertRequestCSR', 'PushCertCertificateChain', 'PushCertSignature']) {
    assert.ok(plist.includes(`<key>${key}</key>`), `signedCSR lacks ${key}`);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US' });
  const page = await context.newPage();
  await setClock('2026-01-10T09:00:00Z');

  // Sign-in: a wrong password, then the right one.
  await page.goto(base);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('input[name=user]', 'admin');
  await page.fill('input[name=password]', 'not the password');
  await page.click('#sign-in');
  assert.ok(await page.isVisible('#sign-in-error'));
  ok('a wrong password is refused');
  await page.fill('input[name=user]', 'admin');
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('#sign-in')]);
  const cookie = (await context.cookies()).find((c) => c.name === 'mdm_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', JSON.stringify(cookie));
  ok('signed in; the session cookie is HttpOnly and SameSite=Strict');
  assert.ok(await page.isVisible('#not-registered'));
  await shot(page, 'settings-before-registration');

  // The memo keeps the Apple ID, and says why it is no place for a password.
  await page.fill('#apple-id', 'mdm-admin@example.com');
  await Promise.all([page.waitForURL(`${base}/`), page.click('#save-memo')]);
  assert.equal(await page.inputValue('#apple-id'), 'mdm-admin@example.com');
  assert.ok((await page.textContent('#memo')).includes('Do not write the password here'));
  ok('the Apple ID memo is kept');

  // Reminder addresses: a wrong one is named, good ones are kept.
  await page.fill('#addresses', 'ops@example.com\nnot an address');
  await page.click('#save-notifications');
  assert.ok((await page.textContent('#bad-address')).includes('not an address'));
  await page.fill('#addresses', 'ops@example.com\nmdm-admin@example.com');
  await page.selectOption('#reminder-lang', 'ja');
  await page.click('#save-notifications');
  assert.ok(await page.isVisible('#saved'));
  ok('reminder addresses are checked and saved');

  // First registration: the three steps.
  await downloadSignedCsr(page);
  await shot(page, 'registration-dialog');
  ok('step 1 downloads a file named signedCSR holding the three strings');
  assert.equal(await page.getAttribute('#portal-link', 'href'), 'https://identity.apple.com/pushcert/');
  await upload(page, await portalFile('first.der', 'MDM_Example_Certificate.cer'));
  assert.ok(await page.isVisible('#upload-accepted'));
  assert.match(await page.textContent('#new-expiry'), /^2027-01-10 /);
  ok('the first certificate (DER) is accepted');
  await shot(page, 'first-registration-accepted');

  // 20 days before the end: the pop-up, once per day.
  await setClock('2026-12-21T08:00:00Z');
  await page.goto(base);
  assert.ok(await page.isVisible('#expiry-popup'));
  assert.equal((await page.textContent('#popup-days')).trim(), '20');
  await shot(page, 'expiry-popup');
  await page.click('#popup-close');
  assert.ok(!(await page.isVisible('#expiry-popup')));
  await page.reload();
  assert.ok(!(await page.isVisible('#expiry-popup')));
  ok('the pop-up shows 20 days once, and not again that day');

  // The renewal, in Japanese: the four messages first.
  await page.click('#lang-switch');
  await page.waitForLoadState('load');
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  await downloadSignedCsr(page);
  assert.ok((await page.textContent('#renew-this')).includes('2027-01-10'));
  assert.ok((await page.textContent('#step-2')).includes('mdm-admin@example.com'));
  ok('step 2 names the certificate to renew and the Apple ID of the memo');
  const cases = [
    ['last_year', 'last-year.pem', 'public_key_mismatch'],
    ['created', 'created.pem', 'topic_mismatch'],
    ['truncated', 'truncated.pem', 'retry_later'],
    ['garbage', 'MDM_Example_Certificate.pem.lnk', 'invalid_certificate'],
  ];
  for (const [kind, name, code] of cases) {
    await upload(page, await portalFile(kind, name));
    assert.equal(await page.getAttribute('#upload-error', 'data-code'), code, kind);
    const text = await page.textContent('#error-message');
    assert.ok(text.includes(MESSAGES[code]), `${kind}: ${text}`);
    assert.ok((await page.textContent('#error-remedy')).trim().length > 0);
    await shot(page, `error-${code}`);
    ok(`${kind}: the ${code} message in Japanese, with its remedy`);
  }
  // A .p12 without its password is refused with the invalid-certificate
  // message; with it, the renewal is accepted.
  const p12 = await portalFile('renewal.p12', 'MDM_Example_Certificate.p12');
  await upload(page, p12);
  assert.equal(await page.getAttribute('#upload-error', 'data-code'), 'invalid_certificate');
  ok('a .p12 without its password: the invalid_certificate message');
  await page.goto(`${base}/register`);
  await page.setInputFiles('#certificate-file', p12);
  await page.fill('#p12-password', 'p12 password');
  await Promise.all([page.waitForLoadState('load'), page.click('#upload')]);
  assert.ok(await page.isVisible('#upload-accepted'), await page.content());
  assert.match(await page.textContent('#old-expiry'), /^2027-01-10 /);
  assert.match(await page.textContent('#new-expiry'), /^2027-12-21 /);
  await shot(page, 'renewal-accepted');
  ok('the renewal (.p12 with its password) is accepted: the new expiry a year on, next to the old');

  // After the end: the expiry in red, and the pop-up says it has expired.
  await setClock('2027-12-25T09:00:00Z');
  await page.goto(base);
  const colour = await page.$eval('#expiry', (e) => getComputedStyle(e).color);
  assert.equal(colour, 'rgb(220, 0, 0)');
  assert.ok(await page.isVisible('#expired-note'));
  assert.ok(await page.isVisible('#expiry-popup'));
  await shot(page, 'expired-in-red');
  ok(`the expired certificate's expiry is red (${colour})`);

  // Sign out: the console and the API need a new sign-in.
  await page.click('#popup-close');
  await Promise.all([page.waitForURL(`${base}/login`), page.click('#sign-out')]);
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  const api = await page.request.get(`${base}/mdm/push-certificate`);
  assert.equal(api.status(), 401);
  ok('signed out: the pages and the API ask for a sign-in again');
  await shot(page, 'signed-out');
} finally {
  await browser.close();
}
console.log(`${checks.length} checks passed; screenshots in ${shots}`);
