// End-to-end journeys of the web client in a real browser: playwright-core drives Debian's
// Chromium against the real local platform (HTTP API, local issuer, demo data) and the built
// client, with axe-core after every page load and interaction (a serious or critical
// violation fails), at desktop width and at 375 px, mostly from the keyboard.
// Screenshots go to target/screenshots/ (SCREENSHOTS=docs refreshes the ones docs/screenshots/
// keeps, so that a test run leaves the tracked files alone). Run with `npm run e2e` after `npm run build` and the
// Maven build (it starts org.territoire.local.runtime.WebClientServer itself), or point it at a
// running platform with WEB_CLIENT_URL=http://127.0.0.1:8080; JOURNEYS=regex runs only the journeys whose name matches it.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { X509Certificate, webcrypto } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HtmlValidate } from 'html-validate';
import { chromium } from 'playwright-core';
import * as x509 from '@peculiar/x509';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const shots = process.env.SCREENSHOTS === 'docs' ? join(root, 'docs', 'screenshots') : join(here, '..', 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TOKEN_TTL = Number(process.env.TERRITOIRE_LOCAL_TOKEN_TTL || 60);
let passed = 0;
let failed = 0;

async function startPlatform() {
  if (process.env.WEB_CLIENT_URL) {
    return { url: process.env.WEB_CLIENT_URL, aws: process.env.AWS_ENDPOINT_URL, stop: () => {},
      command: async () => { throw new Error('a running platform takes no command: let the journeys start their own'); } };
  }
  const cp = readFileSync(join(root, 'infrastructure/local-runtime/target/runtime-classpath.txt'), 'utf8').trim();
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', `-Dterritoire.root=${root}`, '-cp',
    `${join(root, 'infrastructure/local-runtime/target/classes')}:${cp}`,
    'org.territoire.local.runtime.WebClientServer', join(root, 'web', 'dist')], {
    cwd: root, stdio: ['pipe', 'pipe', 'inherit'],
    // Tokens of a minute (an hour in AWS), so that every signed-in journey lives through silent refreshes.
    env: { TERRITOIRE_LOCAL_TOKEN_TTL: String(TOKEN_TTL), ...process.env, AWS_EMF_ENVIRONMENT: 'Local', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  let aws;
  const answers = [];
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the platform did not start within 180 s')), 180_000);
    child.on('exit', (code) => reject(new Error(`the platform exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (/^(SWEPT|REFUSED) /.test(line)) answers.shift()?.(line);
      const endpoint = /^AWS_ENDPOINT_URL=(.+)$/.exec(line);
      if (endpoint) aws = endpoint[1];
      const m = /^WEB_CLIENT_URL=(.+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  // Closing its standard input stops it (WebClientServer.main), and so does killing it.
  // A test-only command on its standard input (LocalSweep: the feedback sweep run once at a later clock); its answer line.
  const command = (line) => new Promise((resolve) => { answers.push(resolve); child.stdin.write(`${line}\n`); });
  return { url, aws, command, stop: () => { child.stdin.end(); setTimeout(() => child.kill(), 5000).unref(); } };
}

// The rendered document is checked by html-validate too (.htmlvalidate.json says which rules and why).
const htmlValidate = new HtmlValidate(JSON.parse(readFileSync(join(here, '..', '.htmlvalidate.json'), 'utf8')));

async function validHtml(page, label) {
  const report = await htmlValidate.validateString(await page.content());
  if (!report.valid) {
    const messages = report.results.flatMap((r) => r.messages).slice(0, 5).map((m) => `${m.ruleId}: ${m.message} (${m.selector ?? `line ${m.line}`})`);
    throw new Error(`html-validate: ${label}: ${messages.join('; ')}`);
  }
}

// The narrowest viewport the journeys use (375 px, a small phone): WCAG 2.1 SC 1.4.10 (Reflow) wants no sideways scrolling there.
const MOBILE_WIDTH = 375;

/**
 * At the mobile viewport, the page must reflow to its width: the document no wider than the window (1 px for
 * rounding). A table that needs two dimensions may scroll inside its own container, which clips it; so the offender
 * named is the element reaching furthest right among those no scrolling or clipping ancestor holds (an absolutely
 * positioned one escapes an overflow container that is not its containing block, as a .sr-only text can).
 */
async function reflows(page, label) {
  if ((page.viewportSize()?.width ?? Infinity) > MOBILE_WIDTH) return;
  const overflow = await page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width + 1) return undefined;
    const clipped = (e) => {
      let escaping = getComputedStyle(e).position;
      for (let n = e.parentElement; n && n !== document.body; n = n.parentElement) {
        const style = getComputedStyle(n);
        if (escaping === 'absolute' && style.position !== 'static') escaping = 'static';
        if (escaping !== 'absolute' && escaping !== 'fixed' && style.overflowX !== 'visible') return true;
        if (escaping !== 'absolute' && escaping !== 'fixed') escaping = style.position;
      }
      return false;
    };
    let widest;
    let right = -Infinity;
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect().right;
      // >= : on a tie the innermost element (later in document order) is the more telling one.
      if (r > width + 1 && r >= right && !clipped(e)) {
        widest = e;
        right = r;
      }
    }
    const attributes = ['id', 'class', 'type'].filter((a) => widest?.getAttribute(a)).map((a) => ` ${a}="${widest.getAttribute(a)}"`).join('');
    const name = widest ? `<${widest.tagName.toLowerCase()}${attributes}>` : 'no element';
    const text = (widest?.textContent || widest?.getAttribute('value') || '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return { scrollWidth: document.documentElement.scrollWidth, width, element: `${name} "${text}"`, right: Math.round(right) };
  });
  if (overflow) {
    throw new Error(`reflow: ${label}: the page is ${overflow.scrollWidth} px wide at a ${overflow.width} px viewport; widest: ${overflow.element} (its right edge at ${overflow.right} px)`);
  }
}

/** Runs axe-core in the page, and html-validate on its document; a serious or critical violation fails the journey. */
async function axe(page, label) {
  await page.waitForLoadState('load');
  await reflows(page, label);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
  await validHtml(page, label);
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    throw new Error(`axe: ${label}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
  }
}

/** Moves the focus with Tab until it is on an element that matches, as a keyboard user would; fails if it never gets there. */
async function tabTo(page, matches, label) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate(matches);
    if (hit) return;
  }
  throw new Error(`keyboard: could not reach ${label} with Tab`);
}

const byText = (text) => new Function(`const e = document.activeElement; return !!e && (e.textContent || '').trim().startsWith(${JSON.stringify(text)});`);
const byLabel = (id) => new Function(`return document.activeElement && document.activeElement.id === ${JSON.stringify(id)};`);

async function shot(page, name, size) {
  await reflows(page, `${name} (screenshot)`);
  await page.screenshot({ path: join(shots, `${name}-${size}.png`), fullPage: true });
}

/**
 * Waits until the service worker's API cache holds an answer whose URL contains `part`: the worker answers the
 * page first and stores the copy after, so going offline right after a page showed its data could lose it.
 */
async function cachedByWorker(page, part) {
  await page.waitForFunction(async (p) => {
    for (const name of (await caches.keys()).filter((n) => n.startsWith('territoire-api-'))) {
      if ((await (await caches.open(name)).keys()).some((r) => r.url.includes(p))) return true;
    }
    return false;
  }, part, { timeout: 15_000, polling: 100 });
}

/** A device's own key pair and PKCS#10 request (P-256), as a device makes them: the PEM request and the public key (SPKI, DER). */
async function deviceCsr(deviceId) {
  x509.cryptoProvider.set(webcrypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, false, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${deviceId}`, keys, signingAlgorithm: algorithm });
  return { csrPem: csr.toString('pem'), spki: Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)) };
}

async function expectText(page, selector, text) {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout: 15_000 });
}

// JOURNEYS=<regular expression> runs only the journeys whose name matches (those that share a page with an earlier
// one need it too), e.g. JOURNEYS='sign-up|expires' npm run e2e.
const only = process.env.JOURNEYS ? new RegExp(process.env.JOURNEYS) : null;

async function journey(name, fn) {
  if (only && !only.test(name)) return;
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    await evidence(name);
  }
}

/**
 * What every open page showed when a journey failed: a screenshot and the text of its main region, in
 * web/target/failures/ (CI keeps the log; the text is printed too, so that a failure says what the page said).
 */
async function evidence(name) {
  const dir = join(here, '..', 'target', 'failures');
  mkdirSync(dir, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let n = 0;
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      n++;
      try {
        await page.screenshot({ path: join(dir, `${slug}-${n}.png`), fullPage: true });
        const text = (await page.locator('main').first().innerText({ timeout: 2_000 })).replace(/\s+/g, ' ').slice(0, 600);
        console.log(`     page ${n} ${page.url()}: ${text}`);
      } catch (e) {
        console.log(`     page ${n}: no evidence (${e.message.split('\n')[0]})`);
      }
    }
  }
}

const platform = await startPlatform();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const sizes = [
    { size: 'desktop', viewport: { width: 1280, height: 800 }, service: 0 },
    { size: 'mobile', viewport: { width: 375, height: 740 }, service: 1 },
  ];
  for (const { size, viewport, service } of sizes) {
    // One browser context per size: a fresh page, no token (tokens live in memory only). bypassCSP lets
    // the test inject axe-core, which the client's Content-Security-Policy rightly refuses.
    const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', bypassCSP: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await journey(`${size}: the public map of open reports, anonymous, as a list`, async () => {
      await page.goto(`${platform.url}/`);
      await expectText(page, 'h1', 'Bienvenue');
      await axe(page, 'home');
      await shot(page, 'home', size);
      await tabTo(page, byText('Signalements'), 'the reports link');
      await page.keyboard.press('Enter');
      await expectText(page, '[role=status]', 'signalement(s) ouvert(s)');
      if ((await page.locator('main .item').count()) < 3) throw new Error('fewer than 3 open reports listed');
      // The Leaflet map above the list (loaded on demand, no tiles here): one marker per located report, the
      // territory's outline, hidden from assistive technologies and with nothing in it that takes the focus.
      await page.locator('.map-canvas.leaflet-container').waitFor();
      const map = await page.evaluate(() => {
        const el = document.querySelector('.map-canvas');
        const located = [...document.querySelectorAll('main .item')].filter((i) => i.textContent.includes('Position')).length;
        return { hidden: el.getAttribute('aria-hidden'), paths: el.querySelectorAll('svg path').length, located,
          focusable: el.querySelectorAll('a, button, input, [tabindex]').length + (el.hasAttribute('tabindex') ? 1 : 0) };
      });
      if (map.hidden !== 'true' || map.focusable !== 0 || map.paths !== map.located + 1) throw new Error(`the map: ${JSON.stringify(map)}`);
      await axe(page, 'map');
      await shot(page, 'map', size);
    });

    await journey(`${size}: signing in with the code flow and PKCE on the local login page`, async () => {
      await tabTo(page, byText('Se connecter'), 'the sign-in button');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/oauth2\/authorize/);
      await expectText(page, 'h1', 'Connexion');
      await axe(page, 'local login page');
      await shot(page, 'login', size);
      await tabTo(page, byText('Se connecter : Alice'), 'the demo user alice');
      await page.keyboard.press('Enter');
      await expectText(page, '.who', 'alice');
      // The token stays in memory: nothing in either storage holds it.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      if (/eyJ/.test(stored)) throw new Error('a token was written to web storage');
      await axe(page, 'back from sign-in');
    });

    await journey(`${size}: the catalogue by kind, a service's ratings, and rating it from the keyboard`, async () => {
      await page.goto(`${platform.url}/#/services`);
      await expectText(page, '[role=status]', 'service(s)');
      await page.selectOption('#kind', 'TERRITORIAL');
      await expectText(page, 'label', 'Catégorie');
      await page.waitForFunction(() => location.hash.includes('kind=TERRITORIAL'));
      await expectText(page, 'main .item', 'Crèche des Petits Pas');
      await axe(page, 'catalogue by kind');
      await page.selectOption('#category', 'culture');
      await expectText(page, '[role=status]', /^1 service\(s\) affiché\(s\)/);
      await expectText(page, 'main .item', 'Médiathèque');
      await axe(page, 'catalogue by category');
      await page.selectOption('#category', '');
      await shot(page, 'catalogue', size);
      // The unfiltered catalogue: its category filter gone, and its own list, never the one filtered before it.
      await page.goto(`${platform.url}/#/services`);
      await page.locator('#category').waitFor({ state: 'detached' });
      await expectText(page, '[role=status]', 'service(s)');
      const link = page.locator('main .item h2 a').nth(service);
      const serviceName = (await link.textContent()).trim();
      await link.focus();
      await page.keyboard.press('Enter');
      await expectText(page, 'h1', serviceName);
      await expectText(page, 'h2', 'Avis des habitants');
      await axe(page, 'service page');
      await tabTo(page, () => document.activeElement?.getAttribute('name') === 'rating', 'the rating');
      // Arrow keys move within a radio group: from 1 star to 4 stars.
      await page.keyboard.press('Space');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await tabTo(page, byLabel('comment'), 'the comment');
      await page.keyboard.type('Accueil chaleureux, je recommande.');
      await tabTo(page, byText('Publier mon avis'), 'the submit button');
      await page.keyboard.press('Enter');
      await expectText(page, '[role=status]', 'Merci, votre avis est publié.');
      await expectText(page, 'main .item', 'Accueil chaleureux');
      await expectText(page, 'h2', 'Modifier votre avis');
      await axe(page, 'service page after rating');
      await shot(page, 'service', size);
    });

    await journey(`${size}: reporting a problem without a map: the open report within 50 m offered and followed, or a new one filed`, async () => {
      await page.goto(`${platform.url}/#/report`);
      await expectText(page, 'h1', 'Signaler un problème');
      await page.locator('#service option', { hasText: 'Collecte des déchets' }).waitFor({ state: 'attached' });
      await page.selectOption('#service', { label: 'Collecte des déchets et déchetterie' });
      await page.fill('#description', size === 'desktop' ? 'Le lampadaire devant l’école ne s’allume plus le soir.' : 'Un banc cassé au bord du chemin des vignes.');
      // A French decimal comma is understood.
      await page.fill('#lat', size === 'desktop' ? '45,7641' : '45,7800');
      await page.fill('#lon', size === 'desktop' ? '4,8357' : '4,8600');
      await axe(page, 'report form');
      await tabTo(page, byText('Continuer'), 'the continue button');
      await page.keyboard.press('Enter');
      if (size === 'desktop') {
        await expectText(page, 'h2', 'à moins de 50 m');
        await expectText(page, 'main .item', 'Lampadaire éteint');
        await axe(page, 'nearby reports offered');
        await tabTo(page, byText('Suivre ce signalement'), 'the follow button');
        await page.keyboard.press('Enter');
        await expectText(page, '[role=status]', 'Vous suivez ce signalement');
        await axe(page, 'report followed');
        await shot(page, 'report-nearby', size);
      } else {
        await expectText(page, '[role=status]', 'Signalement envoyé');
        await axe(page, 'report filed');
        await page.goto(`${platform.url}/#/reports/mine`);
        await expectText(page, 'main .item', 'Un banc cassé');
        await axe(page, 'my reports');
        // Photos attached: posted by the browser itself to S3's presigned POST (cross-origin, as in AWS), then
        // processed by the photos function: pending, then published, shown as a thumbnail linking to the photo.
        const mine = page.locator('main .item', { hasText: 'Un banc cassé' }).first();
        // Its history starts with the filing, told in words, not the API's internal note.
        await mine.locator('.history li').first().filter({ hasText: 'Ouvert : signalement envoyé' }).waitFor({ timeout: 15_000 });
        const thumbnails = mine.locator('.thumbnails a img');
        /** Waits for the nth thumbnail to be shown and loaded, and checks it and its full photo: presigned JPEGs. */
        const published = async (n, width, height) => {
          // The thumbnail, or what says why there is none (an error, or the processing's refusal), whichever comes first.
          const refusal = mine.locator('[role=alert]').or(mine.locator('.photo-states li', { hasText: 'Photo refusée' }));
          await thumbnails.nth(n).or(refusal).first().waitFor({ timeout: 60_000 });
          if ((await refusal.count()) > 0) throw new Error(`photo ${n} is not published: ${await refusal.first().textContent()}`);
          const alt = await thumbnails.nth(n).getAttribute('alt');
          if (!alt || !alt.includes('Un banc cassé')) throw new Error(`thumbnail ${n}'s alt text: ${alt}`);
          await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumbnails.nth(n).elementHandle());
          const shown = await thumbnails.nth(n).evaluate((img) => ({ src: img.currentSrc, width: img.naturalWidth, height: img.naturalHeight }));
          const src = new URL(shown.src);
          if (!src.pathname.endsWith('-thumbnail.jpg') || !src.searchParams.get('X-Amz-Signature')) throw new Error(`thumbnail ${n} is not a presigned JPEG: ${shown.src}`);
          if (shown.width !== width || shown.height !== height) throw new Error(`thumbnail ${n} is ${shown.width} x ${shown.height}, not ${width} x ${height}`);
          const full = await mine.locator('.thumbnails a').nth(n).getAttribute('href');
          if (!new URL(full).pathname.endsWith('.jpg') || !new URL(full).searchParams.get('X-Amz-Signature')) throw new Error(`photo ${n} is not a presigned JPEG: ${full}`);
          const fetched = await page.request.get(full);
          if (!fetched.ok() || fetched.headers()['content-type'] !== 'image/jpeg') throw new Error(`full photo ${n}: ${fetched.status()} ${fetched.headers()['content-type']}`);
          const body = await fetched.body();
          if (body[0] !== 0xff || body[1] !== 0xd8) throw new Error(`full photo ${n} is not a JPEG`);
        };
        // A HEIC photo (a real one, test/fixtures/README.md), as an iPhone's file reaches a desktop: sent as it is,
        // announced as image/heic, decoded by the photos function (WebAssembly) and published as a JPEG of its 64 x 48 pixels.
        await mine.getByLabel('Ajouter une photo').setInputFiles({ name: 'IMG_0042.HEIC', mimeType: 'image/heic',
          buffer: readFileSync(join(here, '..', 'test', 'fixtures', 'gradient-64x48.heic')) });
        await mine.getByRole('button', { name: 'Envoyer la photo' }).and(page.locator(':enabled')).waitFor({ timeout: 15_000 });
        await axe(page, 'a HEIC photo picked');
        const announced = page.waitForRequest((r) => r.method() === 'POST' && /\/reports\/[^/]+\/photos$/.test(new URL(r.url()).pathname));
        await mine.getByRole('button', { name: 'Envoyer la photo' }).click();
        const asked = (await announced).postDataJSON();
        if (asked?.contentType !== 'image/heic') throw new Error(`the HEIC was announced as ${JSON.stringify(asked)}`);
        await published(0, 64, 48);
        await axe(page, 'my reports, a HEIC photo published');
        await mine.getByLabel('Ajouter une photo').setInputFiles({ name: 'banc.png', mimeType: 'image/png', buffer: await page.evaluate(async () => {
          const canvas = document.createElement('canvas');
          canvas.width = 64;
          canvas.height = 48;
          const g = canvas.getContext('2d');
          g.fillStyle = '#2e7d32';
          g.fillRect(0, 0, 64, 48);
          g.fillStyle = '#795548';
          g.fillRect(8, 20, 48, 8);
          const blob = await new Promise((r) => canvas.toBlob(r, 'image/png'));
          return [...new Uint8Array(await blob.arrayBuffer())];
        }).then((bytes) => Buffer.from(bytes)) });
        await mine.getByRole('button', { name: 'Envoyer la photo' }).click();
        await published(1, 64, 48);
        await axe(page, 'my reports, a photo published');
        await shot(page, 'my-reports', size);
      }
    });

    await journey(`${size}: booking a shared car, the API's refusals, and my bookings`, async () => {
      await page.goto(`${platform.url}/#/resources?kind=CAR_SHARING`);
      await expectText(page, 'main .item', 'Zoé');
      await page.locator('.map-canvas.leaflet-container svg path').first().waitFor({ state: 'attached' });
      await axe(page, 'resources');
      await page.locator('main .item h2 a', { hasText: 'Zoé' }).click();
      await expectText(page, 'caption', 'Créneaux du');
      await page.waitForFunction(() => !document.querySelector('#start')?.disabled);
      // Each size books another hour (mobile: an hour later), from the keyboard.
      await page.focus('#start');
      for (let i = 0; i < (service + 1) * 4; i++) await page.keyboard.press('ArrowDown');
      await tabTo(page, byText('Réserver'), 'the book button');
      await page.keyboard.press('Enter');
      await expectText(page, '[role=status]', 'Réservation enregistrée');
      await expectText(page, 'h2', 'La semaine');
      await page.locator('table.week tbody tr').first().waitFor();
      await axe(page, 'booked');
      await shot(page, 'resource', size);
      if (size === 'mobile') {
        // The demo's quota for shared cars is 2 active bookings: a third is refused with the API's reason.
        await page.focus('#start');
        for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowDown');
        await page.click('button[type=submit]');
        await expectText(page, '[role=alert]', 'Réservation refusée');
        await axe(page, 'booking refused');
        await shot(page, 'resource-refused', size);
      }
      await page.goto(`${platform.url}/#/bookings`);
      await expectText(page, 'main .item', 'Zoé');
      await axe(page, 'my bookings');
      if (size === 'desktop') {
        // The secret calendar link, followed as a calendar app would: an iCalendar feed with the booking in it.
        await page.getByRole('button', { name: 'Obtenir un lien d’agenda' }).click();
        const feedUrl = await page.locator('#feed-url').inputValue();
        const ics = await (await fetch(feedUrl)).text();
        if (!ics.startsWith('BEGIN:VCALENDAR') || !ics.includes('BEGIN:VEVENT')) throw new Error(`the calendar link gave no iCalendar event: ${ics.slice(0, 80)}`);
        await axe(page, 'calendar link');
        // An event's URL leads back to the booking's page in this client (iCalendar URL, RFC 5545 §3.8.4.6).
        const eventUrl = /^URL:(.+)$/m.exec(ics.replace(/\r\n[ \t]/g, ''))?.[1]?.trim();
        if (!eventUrl || !eventUrl.startsWith(platform.url) || !eventUrl.includes('#/bookings/')) throw new Error(`the event's URL is ${eventUrl}`);
        await page.goto(eventUrl);
        // The booking's own page (its h1 is the resource's name; the list's is « Mes réservations »), then its badge.
        await expectText(page, 'main h1', 'Zoé');
        await expectText(page, 'main .badge', 'Confirmée');
        await axe(page, 'a booking from its calendar event');
        await page.goto(`${platform.url}/#/bookings`);
        await expectText(page, 'main .item', 'Zoé');
      }
      await shot(page, 'bookings', size);
      if (size === 'mobile') {
        const before = await page.locator('main .item button').count();
        await page.locator('main .item button').first().click();
        await expectText(page, '[role=status]', 'Réservation annulée');
        await page.waitForFunction((n) => document.querySelectorAll('main .item button').length === n - 1, before);
        await axe(page, 'booking cancelled');
      }
    });

    await journey(`${size}: answering the open poll and seeing its live results`, async () => {
      await page.goto(`${platform.url}/#/consultations`);
      await expectText(page, 'main .item', 'Le nouveau marché du centre');
      await axe(page, 'consultations');
      await page.locator('main .item h2 a', { hasText: 'Le nouveau marché' }).click();
      await expectText(page, 'h2', 'Résultats');
      if (size === 'desktop') {
        await page.getByLabel('Samedi matin').check();
        await page.getByLabel('Pain').check();
        await page.getByLabel('Fleurs').check();
        await page.locator('fieldset', { hasText: 'Viendriez-vous' }).getByLabel('4').check();
        await axe(page, 'poll filled in');
        await page.click('button[type=submit]');
        await expectText(page, '[role=status]', 'vos réponses sont enregistrées');
      }
      await expectText(page, '.panel', 'Vous avez déjà répondu');
      await expectText(page, 'main p', /^6 participant\(s\)/);
      await axe(page, 'poll answered');
      await shot(page, 'consultation', size);
    });

    await journey(`${size}: a participatory budget's ballot: the remaining budget live, the draft saved, the vote confirmed`, async () => {
      await page.goto(`${platform.url}/#/budgets`);
      await page.locator('main .item h2 a', { hasText: 'Budget participatif du territoire 2027' }).click();
      await expectText(page, 'h2', 'Mon bulletin');
      // The projects on the map (one marker each, the territory's outline), out of the Tab order like every map.
      await page.locator('.map-canvas.leaflet-container svg path').first().waitFor({ state: 'attached' });
      const projects = await page.evaluate(() => ({ paths: document.querySelectorAll('.map-canvas svg path').length,
        listed: document.querySelectorAll('main fieldset input[type=checkbox]').length }));
      if (projects.paths < projects.listed + 1) throw new Error(`the budget's map: ${JSON.stringify(projects)}`);
      await axe(page, 'ballot');
      if (size === 'desktop') {
        // Alice has no ballot yet: the whole budget is left; a tick saves the draft, which counts for nothing yet.
        await page.locator('[role=status]', { hasText: /300\s000\s€/ }).first().waitFor({ timeout: 15_000 });
        await page.getByLabel('Une boîte à livres à la gare').check();
        await page.locator('[role=status]', { hasText: /297\s500\s€/ }).first().waitFor({ timeout: 15_000 });
        await expectText(page, '.panel', 'Brouillon enregistré');
        // The second tick's draft saved before confirming (the « Brouillon enregistré » of the first is already shown).
        await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/ballot') && r.request().method() === 'PUT', { timeout: 15_000 }),
          page.getByLabel('Une piste cyclable gare').check(),
        ]);
        await page.locator('[role=status]', { hasText: /157\s500\s€/ }).first().waitFor({ timeout: 15_000 });
        await axe(page, 'ballot with a selection');
        await page.getByRole('button', { name: 'Confirmer mon vote' }).click();
        await expectText(page, '[role=status]', 'Bulletin confirmé. Reçu');
      } else {
        await expectText(page, '[role=status]', 'Bulletin confirmé. Reçu');
      }
      await axe(page, 'ballot confirmed');
      await shot(page, 'budget-ballot', size);
    });

    await journey(`${size}: a call for proposals: supporting an idea, commenting on it, proposing one`, async () => {
      await page.goto(`${platform.url}/#/consultations`);
      await page.locator('main .item h2 a', { hasText: 'Budget participatif 2027' }).click();
      await expectText(page, 'h2', 'Propositions');
      const idea = page.locator('main .item', { hasText: size === 'desktop' ? 'Une boîte à livres' : 'Des bancs à l' });
      await idea.waitFor();
      await axe(page, 'proposals');
      await idea.getByRole('button', { name: 'Soutenir' }).click();
      await idea.getByText('Vous soutenez cette proposition.').waitFor();
      await idea.getByRole('button', { name: 'Voir les commentaires' }).click();
      await idea.getByLabel('Votre commentaire').fill(size === 'desktop' ? 'Bonne idée, près de l’école aussi ?' : 'Oui, et un point d’eau.');
      await idea.getByRole('button', { name: 'Commenter' }).click();
      await idea.locator('.comments li', { hasText: size === 'desktop' ? 'Bonne idée' : 'un point d’eau' }).waitFor();
      await axe(page, 'proposal supported and commented');
      // Back later, the page knows from the API (supportedByMe) which ideas I support, and only mine.
      await page.goto(`${platform.url}/#/consultations`);
      await page.locator('main .item h2 a', { hasText: 'Budget participatif 2027' }).click();
      await idea.getByText('Vous soutenez cette proposition.').waitFor();
      await idea.getByRole('button', { name: 'Retirer mon soutien' }).waitFor();
      const mine = await page.locator('main .item', { hasText: 'Vous soutenez cette proposition.' }).count();
      if (mine !== (size === 'desktop' ? 1 : 2)) throw new Error(`${mine} proposals shown as supported by me`);
      if (size === 'desktop') {
        await page.fill('#p-title', 'Un composteur partagé rue des Lilas');
        await page.fill('#p-body', 'Un composteur de quartier géré par les habitants, à côté du conteneur de tri.');
        await page.getByRole('button', { name: 'Envoyer ma proposition' }).click();
        await expectText(page, '[role=status]', 'Un composteur partagé rue des Lilas');
        await expectText(page, 'main .item h3', 'Un composteur partagé');
        await axe(page, 'proposal submitted');
      }
      await shot(page, 'proposals', size);
    });

    await journey(`${size}: English from the language switch`, async () => {
      await page.goto(`${platform.url}/#/`);
      await page.getByRole('button', { name: 'Read in English' }).click();
      await expectText(page, 'h1', 'Welcome to');
      await axe(page, 'home in English');
      await page.getByRole('button', { name: 'Lire en français' }).click();
      await expectText(page, 'h1', 'Bienvenue');
    });

    if (errors.length) {
      failed++;
      console.log(`FAIL ${size}: errors in the page: ${errors.join('; ')}`);
    }
    await context.close();
  }

  // The installable client (sw/sw.ts): Chromium's own installability check, then offline with the network cut by the
  // browser (context.setOffline), the last loaded answers are shown from the worker's cache with a banner.
  // A persistent profile, as an installed app has: Chromium says an incognito context is not installable.
  const offlineContext = () => chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'territoire-pwa-')), {
    executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'],
    viewport: { width: 375, height: 740 }, locale: 'fr-FR', timezoneId: 'Europe/Paris', bypassCSP: true,
  });
  /** Waits until the service worker controls the page, so that its requests go through it. */
  const controlled = (page) => page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });

  await journey('mobile: installable (manifest, icons, worker), and offline the last loaded pages are shown read-only with a banner', async () => {
    const context = await offlineContext();
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${platform.url}/`);
    await expectText(page, 'h1', 'Bienvenue');
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    await cdp.detach();
    if (installabilityErrors.length) throw new Error(`not installable: ${installabilityErrors.map((e) => e.errorId).join(', ')}`);
    const manifest = await (await page.request.get(`${platform.url}/manifest.webmanifest`)).json();
    if (manifest.display !== 'standalone' || manifest.start_url !== '/') throw new Error(`manifest: ${JSON.stringify(manifest)}`);
    await page.goto(`${platform.url}/#/map`);
    await expectText(page, '[role=status]', 'signalement(s) ouvert(s)');
    if ((await page.locator('.notice.offline').count()) !== 0) throw new Error('a fresh page is marked offline');
    await cachedByWorker(page, '/reports?');
    await context.setOffline(true);
    // A reload offline: the shell and config.json from the worker's cache, the reports from its last answer.
    await page.reload();
    await expectText(page, 'h1', 'Problèmes signalés');
    await expectText(page, '.notice.offline', 'Hors ligne — données du');
    // The banner may render a task before the list: the list's own status first.
    await expectText(page, '[role=status]', 'signalement(s) ouvert(s)');
    if ((await page.locator('main .item').count()) < 3) throw new Error('offline, fewer than 3 reports from the cache');
    await axe(page, 'map offline');
    await shot(page, 'offline-map', 'mobile');
    // Another page, opened offline: the shell again from the cache, and the banner that says what still works.
    await page.goto(`${platform.url}/#/services`);
    await expectText(page, 'h1', 'Catalogue des services');
    await expectText(page, '.notice.offline', 'les pages déjà consultées restent lisibles');
    await axe(page, 'a page never loaded, offline');
    await context.setOffline(false);
    await context.close();
    if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  });

  await journey('mobile: a report and an evaluation written offline wait on the device, are sent once when the connection returns, and a lost answer replayed files it once', async () => {
    const context = await offlineContext();
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The journey checks what the API holds with the page's own token, taken from one of its requests.
    let authorization;
    page.on('request', (r) => { if (r.headers().authorization) authorization = r.headers().authorization; });
    const { apiUrl } = await (await page.request.get(`${platform.url}/config.json`)).json();
    const filed = async (text) => {
      const res = await page.request.get(`${apiUrl}/reports/mine?limit=50`, { headers: { authorization } });
      if (!res.ok()) throw new Error(`GET /reports/mine: ${res.status()}`);
      return (await res.json()).items.filter((r) => r.description === text).length;
    };
    const write = async (text) => {
      await page.getByRole('link', { name: 'Accueil' }).click();
      await page.getByRole('link', { name: 'Signaler', exact: true }).click();
      await page.locator('#service option', { hasText: 'Collecte des déchets' }).waitFor({ state: 'attached' });
      await page.selectOption('#service', { label: 'Collecte des déchets et déchetterie' });
      await page.fill('#description', text);
      await page.fill('#address', '12 quai du Port');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await expectText(page, 'main [role=status]', 'en attente d’envoi');
      await expectText(page, '.notice.offline li', text.slice(0, 40));
    };
    await page.goto(`${platform.url}/#/report`);
    await controlled(page);
    await page.getByRole('button', { name: 'Se connecter' }).first().click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await page.getByRole('button', { name: 'Se connecter : Léa' }).click();
    await expectText(page, '.who', 'lea');

    // 1. Offline: kept on the device with its key, shown as waiting, not at the API.
    await page.locator('#service option', { hasText: 'Collecte des déchets' }).waitFor({ state: 'attached' });
    await cachedByWorker(page, '/services?limit=100');
    await context.setOffline(true);
    const offline = `Nid-de-poule quai du Port, écrit hors ligne (${Date.now()})`;
    await write(offline);
    await axe(page, 'report waiting to be sent');
    await shot(page, 'report-pending', 'mobile');
    if ((await filed(offline)) !== 0) throw new Error('a report written offline reached the API');
    // 2. The connection returns: sent at once, exactly once.
    await context.setOffline(false);
    await expectText(page, '.notice.success', 'Envoyé au retour de la connexion');
    await axe(page, 'report sent when back online');
    await shot(page, 'report-sent', 'mobile');
    // The success notice renders before the waiting list is read again: wait for the list to empty.
    await page.waitForFunction(() => document.querySelectorAll('.notice.offline li').length === 0, null, { timeout: 10_000 })
      .catch(() => { throw new Error('the sent report is still shown as waiting'); });
    if ((await filed(offline)) !== 1) throw new Error(`the report written offline is at the API ${await filed(offline)} times, not once`);

    // 2b. A service evaluation written offline waits and is sent the same way: on a service Léa has not rated yet.
    await page.getByRole('link', { name: 'Services', exact: true }).click();
    await page.locator('main .item h2 a').first().waitFor();
    const services = await page.locator('main .item h2 a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent.trim()]));
    let rated;
    for (const [href, name] of services) {
      await page.evaluate((h) => { location.hash = h; }, href);
      await expectText(page, 'h1', name);
      await page.locator('form.panel h2').waitFor();
      if ((await page.locator('form.panel h2').textContent()).includes('Donner votre avis')) {
        rated = decodeURIComponent(href.split('/').pop());
        break;
      }
    }
    if (!rated) throw new Error('no service left that Léa has not rated');
    await cachedByWorker(page, `/services/${encodeURIComponent(rated)}/evaluations`);
    await context.setOffline(true);
    await page.getByLabel('4 étoile(s)').check();
    await page.fill('#comment', 'Avis écrit hors ligne, envoyé au retour de la connexion.');
    await page.getByRole('button', { name: 'Publier mon avis' }).click();
    await expectText(page, 'main [role=status]', 'votre avis est gardé sur cet appareil');
    await expectText(page, '.notice.offline li', 'Avis « 4 étoile(s)');
    await axe(page, 'evaluation waiting to be sent');
    await context.setOffline(false);
    await expectText(page, '.notice.success', 'Envoyé au retour de la connexion');
    const mine = await page.request.get(`${apiUrl}/services/${encodeURIComponent(rated)}/evaluations/mine`, { headers: { authorization } });
    if (!mine.ok() || (await mine.json()).rating !== 4) throw new Error(`the evaluation written offline is not at the API: ${mine.status()}`);

    // 3. A lost answer: the API files the report, the page never hears back (the connection resets), so it keeps it;
    // the replay with the same Idempotency-Key gets the first answer again and no second report.
    const lost = `Banc arraché square des Tilleuls, réponse perdue (${Date.now()})`;
    const filedBeforeTheAnswerWasLost = [];
    const answered = [];
    // Every answer to a POST /reports the page made, on the context (with a service worker in the page Chromium may
    // report a request there only) and through the route below (a retry while answers are lost).
    context.on('response', (r) => { if (r.url() === `${apiUrl}/reports` && r.request().method() === 'POST') answered.push(`${r.status()}:${r.headers()['idempotency-replayed'] ?? '-'}`); });
    const loseAnswer = async (route) => {
      if (route.request().method() !== 'POST') return route.continue().catch(() => {});
      try {
        const res = await route.fetch();
        filedBeforeTheAnswerWasLost.push(res.status());
        // The page's own retry with the same key, whose answer is lost too, is already the API's replay: seen here.
        answered.push(`${res.status()}:${res.headers()['idempotency-replayed'] ?? '-'}`);
        await route.abort('connectionreset');
      } catch (e) {
        // With a service worker in the page Chromium may report the request twice; the other report is handled.
        if (!/already handled/.test(e.message)) throw e;
      }
    };
    await context.route(`${apiUrl}/reports`, loseAnswer);
    await write(lost);
    // The page retries at once (the network is up): that retry loses its answer too, until the route is gone.
    await context.unroute(`${apiUrl}/reports`, loseAnswer, { behavior: 'wait' });
    if (filedBeforeTheAnswerWasLost[0] !== 201) throw new Error(`the API did not file the report first: ${filedBeforeTheAnswerWasLost}`);
    if ((await filed(lost)) !== 1) throw new Error('the first send did not reach the API');
    await page.evaluate(() => dispatchEvent(new Event('online')));
    // The success notice of step 2b may still be on the page: wait for the replay's own answer, then for the
    // waiting list to be empty, never for a notice that was already there.
    await page.waitForFunction(() => document.querySelectorAll('.notice.offline li').length === 0, null, { timeout: 15_000 });
    const replayed = () => answered.some((a) => a.endsWith(':true'));
    for (const end = Date.now() + 15_000; !replayed() && Date.now() < end;) await page.waitForTimeout(100);
    if (!replayed()) {
      throw new Error(`no idempotent replay among the answers (status:replayed) [${answered}], the report filed ${await filed(lost)} time(s)`);
    }
    await expectText(page, '.notice.success', 'Envoyé au retour de la connexion');
    if ((await filed(lost)) !== 1) throw new Error(`the report whose answer was lost is at the API ${await filed(lost)} times, not once`);

    // 3b. Background Sync: a report the API never got (its sends fail as with no network: the page's own attempt,
    // and the worker's sync the page registered, both while it was unreachable); once it is reachable again nothing
    // on the page sends it (no `online` event, no timer), until the browser fires the worker's `sync` event, as it
    // does when the connection returns (here through the DevTools protocol, ServiceWorker.dispatchSyncEvent). The
    // worker asks the open page (the token is only there) and the page sends it with its key: filed once.
    const cdp = await context.newCDPSession(page);
    const registrations = new Map();
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => { for (const r of e.registrations) registrations.set(r.registrationId, r); });
    await cdp.send('ServiceWorker.enable');
    for (const end = Date.now() + 10_000; ![...registrations.values()].some((r) => !r.isDeleted) && Date.now() < end;) await page.waitForTimeout(100);
    const registration = [...registrations.values()].find((r) => !r.isDeleted && r.scopeURL === `${platform.url}/`);
    if (!registration) throw new Error(`no service worker registration for ${platform.url}/: ${JSON.stringify([...registrations.values()])}`);
    const viaSync = `Graffiti sur l’abribus, envoyé par Background Sync (${Date.now()})`;
    const unreachable = [];
    const noNetwork = (route) => { if (route.request().method() === 'POST') unreachable.push(Date.now()); return route.abort('internetdisconnected').catch(() => {}); };
    await context.route(`${apiUrl}/reports`, noNetwork);
    await write(viaSync);
    for (const end = Date.now() + 5_000; unreachable.length < 1 && Date.now() < end;) await page.waitForTimeout(100);
    await page.waitForTimeout(1000);
    await context.unroute(`${apiUrl}/reports`, noNetwork, { behavior: 'wait' });
    await page.waitForTimeout(1500);
    if ((await page.locator('.notice.offline li', { hasText: viaSync.slice(0, 40) }).count()) !== 1 || (await filed(viaSync)) !== 0) {
      throw new Error('the write did not wait for the sync');
    }
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: platform.url, registrationId: registration.registrationId, tag: 'territoire-outbox', lastChance: false });
    await page.waitForFunction(() => document.querySelectorAll('.notice.offline li').length === 0, null, { timeout: 15_000 });
    if ((await filed(viaSync)) !== 1) throw new Error(`the report sent by Background Sync is at the API ${await filed(viaSync)} times, not once`);
    await cdp.detach();

    // 4. Signing out deletes the API answers the worker kept for offline (before it leaves for the login page's /logout).
    await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/logout'), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
    await page.waitForURL((u) => u.pathname === '/' && !u.search);
    await page.getByRole('button', { name: 'Se connecter' }).first().waitFor();
    const left = await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('territoire-api-')));
    if (left.length) throw new Error(`API caches left after sign-out: ${left}`);
    await context.close();
    if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  });

  await journey('publishing the built client to a bucket as to the stack\'s, here the local AWS endpoint\'s S3', async () => {
    if (!platform.aws) throw new Error('no AWS_ENDPOINT_URL: give it with WEB_CLIENT_URL');
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    const { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const { publish } = await import('../scripts/publish.mjs');
    const s3 = new S3Client({ region: 'eu-west-3', endpoint: platform.aws, forcePathStyle: true });
    const bucket = `web-client-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-3' } }));
    // What an earlier publish left and this build no longer has must go.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'assets/index-0ld.js', Body: 'old' }));
    const outputs = join(mkdtempSync(join(tmpdir(), 'territoire-publish-')), 'stack-outputs.json');
    writeFileSync(outputs, JSON.stringify({ ApiUrl: 'https://api.territoire.example', UserPoolClientId: 'web-client-id',
      CognitoDomainUrl: 'https://territoire.auth.eu-west-3.amazoncognito.com', WebClientUrl: 'https://d1234.cloudfront.net/' }));
    const done = await publish({ bucket, outputs, endpoint: platform.aws, region: 'eu-west-3' });
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents.map((o) => o.Key);
    if (keys.includes('assets/index-0ld.js') || done.removed !== 1) throw new Error(`the stale asset stayed: ${keys}`);
    const index = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' }));
    if (!index.ContentType.startsWith('text/html') || index.CacheControl !== 'no-cache') throw new Error(`index.html: ${index.ContentType}, ${index.CacheControl}`);
    const asset = keys.find((k) => k.startsWith('assets/') && k.endsWith('.js'));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: asset }));
    if (!head.CacheControl.includes('immutable') || !head.ContentType.startsWith('text/javascript')) throw new Error(`${asset}: ${head.ContentType}, ${head.CacheControl}`);
    const config = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'config.json' }))).Body.transformToString());
    if (config.apiUrl !== 'https://api.territoire.example' || config.auth.local || config.auth.tokenUrl !== 'https://territoire.auth.eu-west-3.amazoncognito.com/oauth2/token') {
      throw new Error(`config.json: ${JSON.stringify(config)}`);
    }
  });

  await journey('desktop: signed in past the token\'s lifetime: refreshed silently before it expires, and once on a 401', async () => {
    const context = await browser.newContext({ viewport: sizes[0].viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', bypassCSP: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const refreshes = [];
    const refused = [];
    page.on('request', (r) => { if (r.url().endsWith('/oauth2/token') && (r.postData() ?? '').includes('grant_type=refresh_token')) refreshes.push(Date.now()); });
    page.on('response', (r) => { if (r.status() === 401) refused.push(r.url()); });
    // The page's clock is Playwright's, so that it can stop as a sleeping laptop's does, while the server's goes on.
    await page.clock.install();
    await page.goto(`${platform.url}/#/bookings`);
    await page.getByRole('button', { name: 'Se connecter' }).first().click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await page.getByRole('button', { name: 'Se connecter : Résidente du centre' }).click();
    await expectText(page, 'h1', 'Mes réservations');
    // 1. Silently: a refresh before the first token ends, and the page keeps working after that token's end.
    await page.waitForTimeout(TOKEN_TTL * 1000 + 3000);
    if (refreshes.length < 1) throw new Error('no refresh within the token\'s lifetime');
    if (refused.length) throw new Error(`the API refused a request: ${refused}`);
    await page.goto(`${platform.url}/#/me`);
    await expectText(page, 'main .item h3', 'Compteur électrique');
    await axe(page, 'my home after a silent refresh');
    // 2. The page's clock stops (the refresh timer with it) while the token expires; the next request gets a real 401
    //    from the API's authorizer, the client refreshes once and sends it again.
    const before = refreshes.length;
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
    await new Promise((r) => setTimeout(r, TOKEN_TTL * 1000 + 3000));
    await page.clock.resume();
    await page.evaluate(() => { location.hash = '#/account'; });
    // The profile shows only once GET /me answered 200.
    await expectText(page, 'h2', 'Où j’habite');
    if (!refused.length) throw new Error('the expired token was not refused: the journey proved nothing');
    if (refreshes.length !== before + 1) throw new Error(`${refreshes.length - before} refreshes after the 401, not one`);
    if ((await page.locator('[role=alert]').count()) > 0) throw new Error(`an error is shown: ${await page.locator('[role=alert]').first().textContent()}`);
    await axe(page, 'my account after a 401 and a refresh');
    // Sign-out revokes the refresh token at the login page's /oauth2/revoke, then goes through its /logout, which ends
    // the login page's own session: without it the next sign-in would be given a code without being asked.
    const logouts = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/logout') logouts.push(r.url()); });
    const [revoke] = await Promise.all([page.waitForRequest((r) => r.url().endsWith('/oauth2/revoke')), page.getByRole('button', { name: 'Se déconnecter' }).click()]);
    if ((await revoke.response()).status() !== 200) throw new Error('revocation refused');
    await page.waitForURL((u) => u.pathname === '/' && logouts.length > 0);
    const logout = new URL(logouts[0]).searchParams;
    if (logout.get('client_id') !== 'territoire-local-client' || logout.get('logout_uri') !== `${platform.url}/`) throw new Error(`logout: ${logouts[0]}`);
    await page.getByRole('button', { name: 'Se connecter' }).first().click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await expectText(page, 'h1', 'Connexion');
    await page.getByRole('button', { name: 'Se connecter : Résidente du centre' }).waitFor();
    await context.close();
    if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
  });

  // Other people, each in a fresh context (a token lives in its page's memory only).
  for (const { size, viewport } of sizes) {
    const asUser = async (label) => {
      const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', bypassCSP: true });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${platform.url}/`);
      await page.getByRole('button', { name: 'Se connecter' }).first().click();
      await page.waitForURL(/\/oauth2\/authorize/);
      await page.getByRole('button', { name: `Se connecter : ${label}` }).click();
      await page.locator('.who').waitFor();
      return { page, done: async () => { await context.close(); if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`); } };
    };

    await journey(`${size}: a newcomer signs up on the login page, confirms the emailed code and asks to be verified as a resident`, async () => {
      const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', bypassCSP: true });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const email = `newcomer-${size}-${Date.now()}@example.org`;
      await page.goto(`${platform.url}/#/account`);
      await expectText(page, 'main p', 'Connectez-vous');
      await tabTo(page, () => document.activeElement?.closest('main') && document.activeElement.textContent.trim() === 'Se connecter', 'the sign-in button of the page');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/oauth2\/authorize/);
      await tabTo(page, byText('Créer un compte'), 'the sign-up link');
      await page.keyboard.press('Enter');
      await expectText(page, 'h1', 'Créer un compte');
      await axe(page, 'sign-up page');
      await shot(page, 'sign-up', size);
      await page.fill('#email', email);
      if (size === 'desktop') {
        // The pool's password policy, refused by the pool itself (SignUp), not only by the form.
        await page.fill('#password', 'motdepasse12');
        await page.getByRole('button', { name: 'Créer mon compte' }).click();
        await expectText(page, '[role=alert]', 'Mot de passe trop faible');
        await axe(page, 'sign-up refused: weak password');
      }
      await page.fill('#password', 'Correct-Horse-42');
      await page.getByRole('button', { name: 'Créer mon compte' }).click();
      await expectText(page, 'h1', 'Confirmer votre compte');
      await axe(page, 'confirmation page');
      // Locally the code is in the pool's outbox, whose path the page gives.
      const outbox = (await page.locator('.local code').textContent()).trim();
      const line = readFileSync(outbox, 'utf8').split('\n').filter((l) => l.includes(` to ${email}:`)).pop();
      const code = /code is (\d{6})/.exec(line ?? '')?.[1];
      if (!code) throw new Error(`no code for ${email} in ${outbox}`);
      if (size === 'desktop') {
        await page.fill('#code', code === '000000' ? '111111' : '000000');
        await page.fill('#password', 'Correct-Horse-42');
        await page.getByRole('button', { name: 'Confirmer et me connecter' }).click();
        await expectText(page, '[role=alert]', 'Code incorrect');
        await axe(page, 'confirmation refused: wrong code');
      }
      await page.fill('#code', code);
      await page.fill('#password', 'Correct-Horse-42');
      await page.getByRole('button', { name: 'Confirmer et me connecter' }).click();
      await page.waitForURL((u) => u.hash === '#/account' && !u.search.includes('code='));
      await page.locator('.who').waitFor();
      await expectText(page, 'main p', email);
      await expectText(page, 'main p', 'aucun pour l’instant');
      await axe(page, 'signed up, my account');
      await page.getByLabel('En personne').check();
      await page.fill('#v-district', 'centre');
      await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
      await expectText(page, '[role=status]', 'Demande envoyée');
      await expectText(page, 'main p', 'Demande en cours');
      await axe(page, 'newcomer asked to be verified');
      await context.close();
      if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    });

    await journey(`${size}: my home: my meters' latest reading, the last day's chart and its table, my alerts, my data downloaded`, async () => {
      const { page, done } = await asUser('Résidente du centre');
      await page.getByRole('link', { name: 'Mon logement' }).first().click();
      await expectText(page, 'h2', 'Mes appareils');
      await expectText(page, 'main .item h3', 'Compteur électrique');
      await expectText(page, 'figcaption', 'Consommation des dernières 24 heures');
      await expectText(page, 'main .item', 'Dernière mesure');
      await axe(page, 'my home');
      await page.locator('summary', { hasText: 'Voir les chiffres' }).first().click();
      await axe(page, 'my home, the figures as a table');
      await shot(page, 'my-home', size);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger mes données (JSON)' }).click()]);
      const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
      if (!Array.isArray(file.pages) || !JSON.stringify(file).includes('sim-meter-demo')) throw new Error('the download holds no meter data');
      if (size === 'mobile') {
        await page.getByRole('button', { name: 'Effacer les mesures de mes appareils' }).click();
        await axe(page, 'erase asked');
        await page.getByRole('button', { name: 'Oui, tout effacer' }).click();
        await expectText(page, '[role=status]', 'élément(s) effacé(s)');
        // The meters stay registered (they are the territory's), with nothing measured left.
        await expectText(page, 'main .item h3', 'Compteur électrique');
        // The cards are rebuilt after the erasure (loading first): wait for their new answers, then for nothing measured.
        await page.waitForFunction(() => !document.querySelector('main .item [role=status]') && !document.querySelector('figcaption')
          && !document.body.textContent.includes('Dernière mesure'));
        await expectText(page, 'main p', 'Aucune alerte');
        await axe(page, 'erased');
      }
      await done();
    });

    await journey(`${size}: my account without a role yet: proving where I live, my data from every capability in one file`, async () => {
      const { page, done } = await asUser('Compte sans rôle');
      await page.getByRole('link', { name: 'Mon compte' }).first().click();
      await expectText(page, 'main p', 'aucun pour l’instant');
      await axe(page, 'my account');
      // A notification preference changed and saved (PUT /me/notifications), still there when the page is loaded again.
      const kind = size === 'desktop' ? '#n-bookings' : '#n-consultations';
      const choice = size === 'desktop' ? 'DAILY_DIGEST' : 'NEVER';
      await page.locator(kind).waitFor();
      if ((await page.locator(kind).inputValue()) === choice) throw new Error(`${kind} is already ${choice}: the journey would prove nothing`);
      await page.selectOption(kind, choice);
      await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
      await expectText(page, '[role=status]', 'Préférences enregistrées');
      await axe(page, 'notification preferences saved');
      await page.getByRole('link', { name: 'Accueil' }).first().click();
      await expectText(page, 'h1', 'Bienvenue');
      await page.getByRole('link', { name: 'Mon compte' }).first().click();
      await page.locator(kind).waitFor();
      await page.waitForFunction(([k, c]) => document.querySelector(k)?.value === c, [kind, choice], { timeout: 10_000 })
        .catch(async () => { throw new Error(`${kind} is ${await page.locator(kind).inputValue()} after loading the page again, not ${choice}`); });
      if (size === 'desktop') {
        await page.getByLabel('En personne').check();
        await page.fill('#v-district', 'gare');
        await axe(page, 'verification form');
        await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
        await expectText(page, '[role=status]', 'Demande envoyée');
        await expectText(page, 'main p', 'Demande en cours');
        await axe(page, 'verification requested');
      }
      await page.getByRole('button', { name: 'Préparer mon export' }).click();
      const link = page.getByRole('link', { name: 'Télécharger mon export (JSON)' });
      await link.waitFor({ timeout: 60_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
      for (const part of ['accounts', 'feedback', 'bookings', 'consultations', 'telemetry']) {
        if (!(part in file.parts)) throw new Error(`the export has no ${part} part: ${Object.keys(file.parts)}`);
      }
      await axe(page, 'export ready');
      await shot(page, 'account', size);
      await done();
    });

    await journey(`${size}: the agents' desk: a report moved on with a public note, a poll drafted and scheduled`, async () => {
      const { page, done } = await asUser('Agent de la mairie');
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await expectText(page, 'h2', 'Signalements à traiter');
      await page.selectOption('#organisation', 'intercommunalite');
      const report = page.locator('main .item', { hasText: size === 'desktop' ? 'Dépôt sauvage' : 'Lampadaire éteint' });
      await report.waitFor();
      await axe(page, 'desk');
      await report.getByLabel('Nouveau statut').selectOption(size === 'desktop' ? 'IN_PROGRESS' : 'ACKNOWLEDGED');
      await report.getByLabel('Note publique').fill('Équipe prévue jeudi matin.');
      await report.getByRole('button', { name: 'Appliquer' }).click();
      await expectText(page, '[role=status]', 'Le signalement est passé au statut');
      await page.waitForFunction((t) => ![...document.querySelectorAll('main .item h3')].some((h) => h.textContent.includes(t)),
        size === 'desktop' ? 'Dépôt sauvage' : 'Lampadaire éteint');
      await axe(page, 'report moved');
      // Residency: an in-person request approved (desktop), a postal request's letter and its code (mobile).
      const request = page.locator('#verifications ~ ul .item', { hasText: size === 'desktop' ? 'en mairie · centre' : 'courrier · gare' }).first();
      await request.waitFor();
      if (size === 'desktop') {
        await request.getByRole('button', { name: 'Vérifié en personne : accepter' }).click();
        await expectText(page, '[role=status]', 'Résidence acceptée (centre)');
      } else {
        await request.getByRole('button', { name: 'Imprimer le courrier (code)' }).click();
        await expectText(page, '[role=status]', 'Courrier à envoyer à : 3 place de la Gare');
        await page.locator('strong.code').waitFor();
      }
      await axe(page, 'verification decided');
      if (size === 'desktop') {
        const title = 'Horaires de la médiathèque';
        await page.fill('#c-title', title);
        await page.fill('#c-description', 'Quels horaires d’ouverture vous conviennent ?');
        await page.fill('#c-districts', 'centre');
        await page.fill('#q-text-0', 'Quel soir en semaine ?');
        await page.fill('#q-choices-0', 'Mardi\nJeudi');
        await page.getByRole('button', { name: 'Ajouter une question' }).click();
        await page.fill('#q-text-1', 'Le samedi, jusqu’à quelle heure ?');
        await page.selectOption('#q-type-1', 'FREE_TEXT');
        await axe(page, 'poll drafted');
        await page.getByRole('button', { name: 'Créer le brouillon' }).click();
        await expectText(page, '[role=status]', `Brouillon « ${title} » créé`);
        const draft = page.locator('main .item', { hasText: title });
        await draft.getByText('Brouillon').waitFor();
        await draft.getByRole('button', { name: 'Programmer' }).click();
        await expectText(page, '[role=status]', 'est programmée');
        await draft.getByText('Programmée').waitFor();
        await axe(page, 'poll scheduled');
      }
      await shot(page, 'desk', size);
      await done();
    });

    await journey(`${size}: the agents' tools: an abusive review, comment or proposal hidden, a device registered with its credentials shown once, district figures, an Open311 key issued and revoked, opening hours and quotas, a resource created and retired`, async () => {
      const desktop = size === 'desktop';
      const serviceName = desktop ? 'Habitat social Rhône Soleil' : 'Réseau de chaleur urbain';
      const abusive = `Bande d’incapables, tous des voleurs (${size})`;
      // Léa writes an abusive review, and (desktop) an abusive comment on a proposal or (mobile) an abusive proposal.
      const lea = await asUser('Léa');
      await lea.page.goto(`${platform.url}/#/services`);
      await lea.page.locator('main .item h2 a', { hasText: serviceName }).click();
      await expectText(lea.page, 'h2', 'Donner votre avis');
      await lea.page.getByLabel('1 étoile(s)', { exact: true }).check();
      await lea.page.fill('#comment', abusive);
      await lea.page.getByRole('button', { name: 'Publier mon avis' }).click();
      await expectText(lea.page, 'main .item', abusive);
      const serviceHash = await lea.page.evaluate(() => location.hash);
      await lea.page.goto(`${platform.url}/#/consultations`);
      await lea.page.locator('main .item h2 a', { hasText: 'Budget participatif 2027' }).click();
      await expectText(lea.page, 'h2', 'Propositions');
      const proposalTitle = 'Des bancs à l';
      if (desktop) {
        const idea = lea.page.locator('main .item', { hasText: proposalTitle });
        await idea.getByRole('button', { name: 'Voir les commentaires' }).click();
        await idea.getByLabel('Votre commentaire').fill(abusive);
        await idea.getByRole('button', { name: 'Commenter' }).click();
        await idea.locator('.comments li', { hasText: abusive }).waitFor();
      } else {
        await lea.page.fill('#p-title', abusive);
        await lea.page.fill('#p-body', 'Ce texte injurieux ne devrait pas rester en ligne.');
        await lea.page.getByRole('button', { name: 'Envoyer ma proposition' }).click();
        await expectText(lea.page, 'main .item h3', abusive);
      }

      // The agent hides them from the moderation page, each with a reason its author will see.
      const agent = await asUser('Agent de la mairie');
      const page = agent.page;
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await expectText(page, 'h2', 'Outils des agents');
      await tabTo(page, byText('Modération'), 'the moderation link');
      await page.keyboard.press('Enter');
      await expectText(page, 'h1', 'Modération');
      await page.locator('#m-service option', { hasText: serviceName }).waitFor({ state: 'attached' });
      await page.selectOption('#m-service', { label: serviceName });
      const review = page.locator('main .item', { hasText: abusive });
      await review.waitFor();
      await axe(page, 'moderation: a service’s reviews');
      await review.getByLabel('Motif (montré à son auteur)').fill('Propos injurieux envers les agents.');
      await review.getByRole('button', { name: 'Masquer cet avis' }).click();
      await expectText(page, '[role=status]', 'Avis masqué');
      await page.waitForFunction((t) => ![...document.querySelectorAll('main .item')].some((i) => i.textContent.includes(t)), abusive);
      await axe(page, 'moderation: a review hidden');
      await page.locator('#m-consultation option', { hasText: 'Budget participatif 2027' }).waitFor({ state: 'attached' });
      await page.selectOption('#m-consultation', { label: 'Budget participatif 2027' });
      if (desktop) {
        const idea = page.locator('#m-proposals ~ ul .item', { hasText: proposalTitle });
        await idea.getByRole('button', { name: /Voir les commentaires/ }).click();
        const comment = idea.locator('li', { hasText: abusive });
        await comment.waitFor();
        await axe(page, 'moderation: a proposal’s comments');
        await comment.getByLabel('Motif (montré à son auteur)').fill('Propos injurieux.');
        await comment.getByRole('button', { name: 'Masquer ce commentaire' }).click();
        await expectText(page, '[role=status]', 'Commentaire masqué');
      } else {
        const idea = page.locator('#m-proposals ~ ul .item', { has: page.locator('h3', { hasText: abusive }) });
        await idea.waitFor();
        await axe(page, 'moderation: proposals');
        await idea.getByLabel('Motif (montré à son auteur)').first().fill('Propos injurieux.');
        await idea.getByRole('button', { name: 'Masquer cette proposition' }).click();
        await expectText(page, '[role=status]', 'masquée');
        await idea.getByText('Masquée', { exact: true }).waitFor();
      }
      await axe(page, 'moderation: hidden');
      await shot(page, 'moderation', size);

      // Another resident no longer sees any of it; its author sees why.
      const alice = await asUser('Alice');
      await alice.page.goto(`${platform.url}/${serviceHash}`);
      await expectText(alice.page, 'h1', serviceName);
      // Léa's review was its only one: hidden, it leaves the summary too.
      await expectText(alice.page, '#summary ~ p', 'Aucun avis pour l’instant.');
      if (await alice.page.getByText(abusive).count()) throw new Error('a resident still sees the hidden review');
      await alice.page.goto(`${platform.url}/#/consultations`);
      await alice.page.locator('main .item h2 a', { hasText: 'Budget participatif 2027' }).click();
      const idea = alice.page.locator('main .item', { hasText: proposalTitle });
      await idea.waitFor();
      if (desktop) {
        await idea.getByRole('button', { name: 'Voir les commentaires' }).click();
        await idea.getByLabel('Votre commentaire').waitFor();
        // The comments loaded (their loading message gone), so that their absence below means something.
        await idea.locator('.comments [role=status]').waitFor({ state: 'detached' });
      }
      if (await alice.page.getByText(abusive).count()) throw new Error('a resident still sees the hidden comment or proposal');
      await alice.done();
      await lea.page.goto(`${platform.url}/#/`);
      await lea.page.goto(`${platform.url}/${serviceHash}`);
      await expectText(lea.page, '.notice', 'Votre avis a été masqué par la modération : Propos injurieux envers les agents.');
      await axe(lea.page, 'my review, hidden, as its author sees it');
      await lea.done();

      // A device registered for a household: AWS makes the key pair, shown once and downloaded as files.
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await page.getByRole('link', { name: 'Enregistrer un appareil' }).click();
      await expectText(page, 'h1', 'Enregistrer un appareil');
      const deviceId = `meter-alice-${size}`;
      await page.selectOption('#d-kind', desktop ? 'ELECTRICITY_METER' : 'WATER_METER');
      await page.fill('#d-district', 'centre');
      await page.fill('#d-owner', 'alice');
      await page.fill('#d-id', deviceId);
      await axe(page, 'device registration form');
      await page.getByRole('button', { name: 'Enregistrer l’appareil' }).click();
      await expectText(page, 'h2', `Appareil ${deviceId} enregistré`);
      if (!(await page.evaluate(() => document.activeElement?.id === 'd-registered'))) throw new Error('the focus is not on the registered device');
      await expectText(page, '.notice.error', 'ils ne seront plus jamais affichés');
      const key = await page.locator('#d-key').inputValue();
      if (!key.includes('PRIVATE KEY')) throw new Error(`no private key shown: ${key.slice(0, 40)}`);
      const [keyFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger la clé privée' }).click()]);
      if (readFileSync(await keyFile.path(), 'utf8') !== key || keyFile.suggestedFilename() !== `${deviceId}.private.key`) throw new Error('the downloaded key is not the one shown');
      const [certFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le certificat' }).click()]);
      if (!readFileSync(await certFile.path(), 'utf8').startsWith('-----BEGIN CERTIFICATE-----')) throw new Error('the downloaded certificate is no PEM certificate');
      await axe(page, 'device registered, its credentials shown once');
      await shot(page, 'device-registered', size);
      await page.getByRole('button', { name: 'J’ai enregistré les identifiants' }).click();
      await page.locator('#d-key').waitFor({ state: 'detached' });

      // A street sensor with its own key: the journey makes the key pair and the CSR as the device would; the
      // certificate shown and downloaded is issued for that CSR's public key, and no private key is shown.
      const sensorId = `air-csr-${size}`;
      const { csrPem, spki } = await deviceCsr(sensorId);
      await page.selectOption('#d-kind', 'AIR_QUALITY');
      await page.fill('#d-district', 'centre');
      await page.fill('#d-id', sensorId);
      await page.fill('#d-csr', csrPem);
      await page.getByRole('button', { name: 'Enregistrer l’appareil' }).click();
      await expectText(page, 'h2', `Appareil ${sensorId} enregistré`);
      await expectText(page, 'section.secret p', 'La clé privée est restée sur l’appareil');
      const cert = await page.locator('#d-cert').inputValue();
      const issuedFor = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
      if (!issuedFor.equals(spki)) throw new Error('the certificate shown is not issued for the CSR’s public key');
      if (await page.locator('#d-key').count()) throw new Error('a private key is shown for a device that made its own CSR');
      if (await page.getByRole('button', { name: 'Télécharger la clé privée' }).count()) throw new Error('a private key is offered for download');
      const shownText = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('textarea')].map((a) => a.value).join('\n'));
      if (shownText.includes('PRIVATE KEY')) throw new Error('the page shows a private key');
      const [csrCertFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le certificat' }).click()]);
      const downloaded = readFileSync(await csrCertFile.path(), 'utf8');
      if (downloaded !== cert || csrCertFile.suggestedFilename() !== `${sensorId}.cert.pem`) throw new Error('the downloaded certificate is not the one shown');
      if (!new X509Certificate(downloaded).publicKey.export({ type: 'spki', format: 'der' }).equals(spki)) throw new Error('the downloaded certificate is not for the CSR’s key');
      await axe(page, 'device registered from its CSR');
      await page.getByRole('button', { name: 'J’ai enregistré les identifiants' }).click();
      await page.locator('#d-cert').waitFor({ state: 'detached' });

      // The territory's devices: the new sensor in its district's list of air sensors, never heard from yet.
      await page.fill('#dl-district', 'centre');
      await page.selectOption('#dl-kind', 'AIR_QUALITY');
      await page.getByRole('button', { name: 'Afficher', exact: true }).click();
      // The list of that filter: each of its rows is of that district and kind (the former, unfiltered list is gone).
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('table.devices tbody tr')];
        return document.querySelector('#dl-count') && rows.length > 0 && rows.every((r) => r.cells[1].textContent === 'Capteur de qualité de l’air' && r.cells[2].textContent === 'centre');
      });
      const sensorRow = page.locator(`table.devices tr[data-device="${sensorId}"]`);
      // Page by page ("Voir plus"), each time waiting for the longer list, until the sensor's row is there.
      while (!(await sensorRow.count())) {
        const more = page.getByRole('button', { name: 'Voir plus' });
        if (!(await more.count())) throw new Error(`the registered sensor ${sensorId} is not in the list of the territory's devices`);
        const before = await page.locator('table.devices tbody tr').count();
        await more.click();
        await page.waitForFunction((n) => document.querySelectorAll('table.devices tbody tr').length > n, before);
      }
      const cells = await sensorRow.locator('td').allTextContents();
      if (cells[3] !== 'Non' || cells[4] !== 'Jamais entendu' || cells[5] !== '—') throw new Error(`the sensor's row: ${cells.join(' | ')}`);
      await axe(page, 'the territory’s devices, filtered');
      await shot(page, 'devices-list', size);

      // District figures: a day a bar, or the reason there is none.
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await page.getByRole('link', { name: 'Chiffres des quartiers' }).click();
      await expectText(page, 'h1', 'Chiffres des quartiers');
      await page.fill('#a-district', 'centre');
      await page.selectOption('#a-kind', 'ELECTRICITY_METER');
      await page.getByRole('button', { name: 'Afficher' }).click();
      await expectText(page, 'caption', 'Consommation par jour (kWh)');
      if ((await page.locator('table.aggregates tbody tr').count()) !== 7) throw new Error('the chart has not 7 days');
      // Each day says what the API answered: a bar, a withheld figure with why (never a zero), or no measurement.
      const rows = await page.locator('table.aggregates tbody tr').evaluateAll((trs) => trs.map((tr) => ({
        bar: !!tr.querySelector('.meter'), withheld: tr.classList.contains('withheld'), text: tr.textContent })));
      for (const r of rows) {
        if (r.withheld && (r.bar || !r.text.includes('Masqué : moins de foyers que le seuil'))) throw new Error(`a withheld day: ${r.text}`);
        if (!r.withheld && !r.bar && !r.text.includes('Aucune mesure')) throw new Error(`a day without a bar nor a reason: ${r.text}`);
      }
      // The demo resident shares her meters (WebClientServer): one household, under the threshold of 10, so her days are withheld.
      if (!rows.some((r) => r.withheld)) throw new Error(`no day withheld: ${rows.map((r) => r.text).join(' | ')}`);
      await expectText(page, '[role=status]', 'jour(s) masqué(s) : trop peu de foyers');
      await axe(page, 'district figures');
      await shot(page, 'district-figures', size);

      // An Open311 key: shown once, it files a request through the Open311 API; revoked, it no longer does.
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await page.getByRole('link', { name: 'Clés Open311' }).click();
      await expectText(page, 'h1', 'Clés Open311');
      await page.locator('#k-organisation option', { hasText: 'mairie' }).waitFor({ state: 'attached' });
      await page.selectOption('#k-organisation', 'mairie');
      const app = `Appli partenaire ${size}`;
      await page.fill('#k-name', app);
      await page.getByRole('button', { name: 'Créer la clé' }).click();
      await expectText(page, 'h2', `Clé « ${app} » créée`);
      const apiKey = await page.locator('#k-secret').inputValue();
      if (!apiKey.startsWith('t311_')) throw new Error(`no api_key shown: ${apiKey.slice(0, 8)}`);
      await expectText(page, 'main .item h3', app);
      await axe(page, 'an Open311 key issued');
      await shot(page, 'open311-keys', size);
      const { apiUrl } = await (await fetch(`${platform.url}/config.json`)).json();
      const [first] = await (await fetch(`${apiUrl}/open311/v2/services.json`)).json();
      const file311 = () => fetch(`${apiUrl}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: apiKey, service_code: first.service_code, lat: '45.7641', long: '4.8357', description: `Déposé par une application partenaire (${size}).` }) });
      const filed = await file311();
      if (filed.status !== 201) throw new Error(`the new key was refused by Open311: ${filed.status} ${await filed.text()}`);
      const item = page.locator('main .item', { has: page.locator('h3', { hasText: app }) });
      await item.getByRole('button', { name: `Révoquer « ${app} »` }).click();
      await axe(page, 'revoking asked');
      await item.getByRole('button', { name: 'Oui, révoquer' }).click();
      await expectText(page, '[role=status]', `Clé « ${app} » révoquée`);
      await item.waitFor({ state: 'detached' });
      const refused = await file311();
      if (refused.status < 400 || refused.status >= 500) throw new Error(`a revoked key still files: ${refused.status}`);
      await axe(page, 'an Open311 key revoked');

      // Resources and quotas: a kind's limit per person and a resource's opening hours, saved, then read back.
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await page.getByRole('link', { name: 'Ressources et quotas' }).click();
      await expectText(page, 'h1', 'Ressources et quotas');
      await page.selectOption('#q-kind', 'FESTIVE_HALL');
      await page.waitForFunction(() => document.querySelector('#q-active') && !document.querySelector('#q-active').disabled);
      const limit = desktop ? '3' : '4';
      const sundayHours = desktop ? '10:00-12:00' : '10:00-13:00';
      await page.fill('#q-active', limit);
      await page.fill('#q-hours', '12');
      await page.getByRole('button', { name: 'Enregistrer le quota' }).click();
      await expectText(page, '[role=status]', 'Quota enregistré pour « Salle des fêtes »');
      const workshop = page.locator('main .item', { hasText: 'Atelier partagé — bois et métal' });
      await workshop.getByLabel('Dimanche').fill(sundayHours);
      await workshop.getByRole('button', { name: 'Enregistrer les horaires' }).click();
      await expectText(page, '[role=status]', 'Horaires de « Atelier partagé — bois et métal » enregistrés');
      await axe(page, 'resources and quotas saved');
      await shot(page, 'resources-desk', size);
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await page.getByRole('link', { name: 'Ressources et quotas' }).click();
      await page.waitForFunction((v) => document.querySelector('#q-active')?.value === v, limit, { timeout: 10_000 });
      await page.waitForFunction((v) => [...document.querySelectorAll('main .item')].some((i) => i.textContent.includes('Atelier partagé')
        && [...i.querySelectorAll('input')].some((x) => x.value === v)), sundayHours, { timeout: 10_000 });

      // A new resource: the form's own check first (the refused field's error next to it), then created, it is in the
      // desk's list and the residents' catalogue; retired (asked twice, saying what happens to bookings), it leaves both
      // and its page takes no booking. Mobile goes by the keyboard. Each step waits for its own text, this room's name in it.
      const room = `Salle des associations (${size})`;
      const escaped = room.replace(/[()]/g, '\\$&');
      await page.selectOption('#rc-kind', 'COMMON_ROOM');
      await page.fill('#rc-name', room);
      await page.fill('#rc-district', 'centre');
      await page.fill('#rc-slotMinutes', '7');
      await page.getByRole('button', { name: 'Créer la ressource' }).click();
      await expectText(page, '#rc-slotMinutes-error', 'Doit diviser la journée en créneaux entiers');
      await expectText(page, '[role=alert]', 'La ressource n’est pas créée');
      if (!(await page.evaluate(() => document.activeElement?.id === 'rc-slotMinutes'))) throw new Error('the focus is not on the refused field');
      if ((await page.getAttribute('#rc-slotMinutes', 'aria-describedby'))?.includes('rc-slotMinutes-error') !== true) throw new Error('the refused field does not name its error');
      await axe(page, 'a new resource refused by the form');
      await page.fill('#rc-slotMinutes', '60');
      await page.fill('#rc-address', '2 rue des Associations, 69001 Lyon');
      await page.fill('#rc-openingHours-SATURDAY', '09:00-18:00');
      if (desktop) {
        await page.getByRole('button', { name: 'Créer la ressource' }).click();
      } else {
        // From the keyboard: Enter in a text field submits its form.
        await page.focus('#rc-address');
        await page.keyboard.press('Enter');
      }
      await expectText(page, '[role=status]', new RegExp(`^« ${escaped} » créée \\(Salle commune\\)`));
      const created = page.locator('#r-title ~ ul .item', { has: page.locator('h3', { hasText: new RegExp(`^${escaped}$`) }) });
      await created.waitFor();
      if (await page.locator('#rc-slotMinutes-error').count()) throw new Error('a field error stayed after the resource was created');
      await axe(page, 'a new resource created');

      const alice2 = await asUser('Alice');
      await alice2.page.goto(`${platform.url}/#/resources?kind=COMMON_ROOM`);
      const listed = alice2.page.locator('main .item h2 a', { hasText: new RegExp(`^${escaped}$`) });
      await listed.waitFor();
      await axe(alice2.page, 'the catalogue with the new resource');
      await listed.click();
      await expectText(alice2.page, 'main h1', room);
      await expectText(alice2.page, 'main h2', 'Réserver');
      const roomHash = await alice2.page.evaluate(() => location.hash);

      const retire = created.getByRole('button', { name: `Retirer « ${room} »` });
      if (desktop) await retire.click();
      else {
        await retire.focus();
        await page.keyboard.press('Enter');
      }
      const question = created.getByRole('alertdialog');
      await expectText(page, `[role=alertdialog]`, 'Les réservations déjà faites restent valables');
      await axe(page, 'retiring a resource asked');
      const yes = question.getByRole('button', { name: 'Oui, retirer' });
      if (desktop) await yes.click();
      else {
        await yes.focus();
        await page.keyboard.press('Enter');
      }
      await expectText(page, '[role=status]', new RegExp(`^« ${escaped} » retirée : plus de nouvelle réservation`));
      await created.waitFor({ state: 'detached' });
      await axe(page, 'a resource retired');

      // The resident: its page now says it takes no booking (and offers no form); the catalogue, loaded (its demo room
      // shown), lists it no more.
      await alice2.page.goto(`${platform.url}/#/`);
      await alice2.page.goto(`${platform.url}/${roomHash}`);
      await expectText(alice2.page, 'main [role=status]', 'Cette ressource a été retirée par son exploitant');
      if (await alice2.page.getByRole('button', { name: 'Réserver', exact: true }).count()) throw new Error('a retired resource still offers booking');
      await axe(alice2.page, 'a retired resource');
      await alice2.page.goto(`${platform.url}/#/resources?kind=COMMON_ROOM`);
      await expectText(alice2.page, 'main .item h2 a', 'Salle commune — résidence Les Tilleuls');
      if (await alice2.page.locator('main .item h2 a', { hasText: room }).count()) throw new Error('the catalogue still lists a retired resource');
      await alice2.done();
      await agent.done();
    });

    await journey(`${size}: closing the loop: a resolved report, a resident asks to reopen it, the operator refuses with a reason`, async () => {
      const title = size === 'desktop' ? 'Conteneur de tri' : 'Dépôt sauvage';
      const agent = await asUser('Agent de la mairie');
      await agent.page.getByRole('link', { name: 'Espace agents' }).first().click();
      await expectText(agent.page, 'h2', 'Signalements à traiter');
      await agent.page.selectOption('#organisation', 'intercommunalite');
      // Where the report is depends on the journeys that ran before (the desk's moves it on): found in the queue it is in.
      let report;
      for (const status of ['ACKNOWLEDGED', 'IN_PROGRESS', 'OPEN']) {
        await agent.page.selectOption('#queue-status', status);
        // The queue's count shows only once this status's list has arrived (a change of filter hides the former list).
        await expectText(agent.page, '[role=status]', 'signalement(s) affiché(s)');
        const item = agent.page.locator('main .item', { has: agent.page.locator('h3', { hasText: title }) }).first();
        if (await item.count()) { report = item; break; }
      }
      if (!report) throw new Error(`${title} is in no queue`);
      const href = await report.locator('h3 a').getAttribute('href');
      await report.getByLabel('Nouveau statut').selectOption('RESOLVED');
      await report.getByLabel('Note publique').fill('Réparé par l’équipe de voirie.');
      await report.getByRole('button', { name: 'Appliquer' }).click();
      await expectText(agent.page, '[role=status]', 'Le signalement est passé au statut');

      const resident = await asUser('Alice');
      await resident.page.goto(`${platform.url}/${href}`);
      await expectText(resident.page, 'h1', title);
      await expectText(resident.page, 'h2', 'Demander la réouverture');
      await axe(resident.page, 'a resolved report');
      await resident.page.fill('#reopen-reason', 'Le conteneur déborde encore ce matin, rien n’a changé.');
      await resident.page.getByRole('button', { name: 'Envoyer ma demande de réouverture' }).click();
      await expectText(resident.page, '[role=status]', 'Demande de réouverture envoyée');
      await expectText(resident.page, 'main .item', 'En attente de réponse');
      await axe(resident.page, 'reopening asked');
      await shot(resident.page, 'reopen-request', size);

      await agent.page.getByRole('link', { name: 'Accueil' }).first().click();
      // The home page rendered before going on: two route changes within one render would keep the former page
      // mounted, with the data it had loaded (the closing-the-loop journeys' old flake).
      await expectText(agent.page, 'h1', 'Bienvenue');
      await agent.page.getByRole('link', { name: 'Espace agents' }).first().click();
      await agent.page.selectOption('#organisation', 'intercommunalite');
      const request = agent.page.locator('main .item', { hasText: 'déborde encore ce matin' });
      await request.waitFor();
      await axe(agent.page, 'desk: a reopening request');
      await request.getByLabel('Motif de la réponse').fill('Une collecte a eu lieu hier ; le débordement du jour est nouveau.');
      await request.getByRole('button', { name: 'Refuser' }).click();
      await expectText(agent.page, '[role=status]', 'Demande refusée');
      await agent.page.waitForFunction(() => !document.body.textContent.includes('déborde encore ce matin'));
      await axe(agent.page, 'desk: reopening refused');

      await resident.page.getByRole('link', { name: 'Accueil' }).first().click();
      // The home page rendered before going on: two route changes within one render would keep the former page
      // mounted, with the data it had loaded (the closing-the-loop journeys' old flake).
      await expectText(resident.page, 'h1', 'Bienvenue');
      await resident.page.goto(`${platform.url}/${href}`);
      await expectText(resident.page, 'main .item', 'Refusée : Une collecte a eu lieu hier');
      await axe(resident.page, 'reopening refused, as the resident sees it');
      await agent.done();
      await resident.done();
    });

    // The report the refusal left resolved: another resident asks in turn, and this time the operator accepts.
    const inQueue = (page, title, status) =>
      page.locator('main .item', { has: page.locator('h3', { hasText: title }) }).filter({ has: page.locator(`.badge.s-${status.toLowerCase()}`) }).first();
    const toDesk = async (page, status) => {
      await page.getByRole('link', { name: 'Accueil' }).first().click();
      // The home page rendered before going on: two route changes within one render would keep the former page
      // mounted, with the data it had loaded (the closing-the-loop journeys' old flake).
      await expectText(page, 'h1', 'Bienvenue');
      await page.getByRole('link', { name: 'Espace agents' }).first().click();
      await expectText(page, 'h2', 'Signalements à traiter');
      await page.selectOption('#organisation', 'intercommunalite');
      await page.selectOption('#queue-status', status);
      await expectText(page, '[role=status]', 'signalement(s) affiché(s)');
    };

    await journey(`${size}: closing the loop: another resident asks to reopen, the operator accepts, the report is back in the open queue`, async () => {
      const title = size === 'desktop' ? 'Conteneur de tri' : 'Dépôt sauvage';
      const reason = `Toujours plein ce soir (${size}), les sacs sont sur le trottoir.`;
      const agent = await asUser('Agent de la mairie');
      await toDesk(agent.page, 'RESOLVED');
      const resolved = inQueue(agent.page, title, 'RESOLVED');
      await resolved.waitFor();
      const href = await resolved.locator('h3 a').getAttribute('href');

      const resident = await asUser('Léa');
      await resident.page.goto(`${platform.url}/${href}`);
      await expectText(resident.page, 'h1', title);
      await expectText(resident.page, 'main .badge', 'Résolu');
      await resident.page.fill('#reopen-reason', reason);
      await resident.page.getByRole('button', { name: 'Envoyer ma demande de réouverture' }).click();
      await expectText(resident.page, '[role=status]', 'Demande de réouverture envoyée');

      await toDesk(agent.page, 'OPEN');
      const request = agent.page.locator('main .item', { hasText: reason });
      await request.waitFor();
      await request.getByLabel('Motif de la réponse').fill('Vous avez raison : une équipe repasse demain matin.');
      await request.getByRole('button', { name: 'Accepter et rouvrir' }).click();
      await expectText(agent.page, '[role=status]', 'Demande acceptée : le signalement est rouvert');
      await agent.page.waitForFunction((t) => !document.body.textContent.includes(t), reason);
      await axe(agent.page, 'desk: reopening accepted');
      // Back in the operator's open queue (a fresh load of the desk, the OPEN filter), and open for the resident too.
      await toDesk(agent.page, 'OPEN');
      await inQueue(agent.page, title, 'OPEN').waitFor();
      await axe(agent.page, 'desk: the reopened report in the open queue');
      await resident.page.getByRole('link', { name: 'Accueil' }).first().click();
      // The home page rendered before going on: two route changes within one render would keep the former page
      // mounted, with the data it had loaded (the closing-the-loop journeys' old flake).
      await expectText(resident.page, 'h1', 'Bienvenue');
      await resident.page.goto(`${platform.url}/${href}`);
      await expectText(resident.page, 'main .badge', 'Ouvert');
      await expectText(resident.page, 'main .item', 'Acceptée');
      await axe(resident.page, 'reopening accepted, as the resident sees it');
      await agent.done();
      await resident.done();
    });

    // The resolution question: resolved again, four weeks pass for the sweep that asks (LocalSweep: the feedback
    // sweep's handler run once with its clock 28 days and 2 minutes on), the author answers "no" and it reopens.
    await journey(`${size}: closing the loop: four weeks after it is resolved, the author answers "no" to "is it really fixed?" and the report reopens`, async () => {
      const title = size === 'desktop' ? 'Conteneur de tri' : 'Dépôt sauvage';
      const comment = `Rien n’a changé (${size}) : le conteneur déborde toujours.`;
      const agent = await asUser('Agent de la mairie');
      await toDesk(agent.page, 'OPEN');
      const open = inQueue(agent.page, title, 'OPEN');
      await open.waitFor();
      await open.getByLabel('Nouveau statut').selectOption('RESOLVED');
      await open.getByLabel('Note publique').fill('Conteneur vidé et nettoyé.');
      await open.getByRole('button', { name: 'Appliquer' }).click();
      await expectText(agent.page, '[role=status]', 'Le signalement est passé au statut');

      const refused = await platform.command(`sweep-feedback ${new Date(Date.now() - 60_000).toISOString()}`);
      if (!refused.startsWith('REFUSED')) throw new Error(`a sweep in the past was run: ${refused}`);
      const swept = await platform.command(`sweep-feedback ${new Date(Date.now() + 28 * 86_400_000 + 120_000).toISOString()}`);
      const summary = JSON.parse(swept.replace(/^SWEPT /, '') || '{}');
      if (!swept.startsWith('SWEPT') || !(summary.markedDue >= 1) || summary.failed !== 0) throw new Error(`the sweep: ${swept}`);

      const author = await asUser('Résidente du centre');
      await author.page.goto(`${platform.url}/#/reports/mine`);
      const mine = author.page.locator('main .item', { has: author.page.locator('h2', { hasText: title }) }).first();
      await mine.getByText('Est-ce vraiment réparé ?').waitFor();
      await axe(author.page, 'my reports: the resolution question');
      await mine.getByLabel('Non').check();
      await mine.getByLabel('Commentaire (facultatif)').fill(comment);
      await mine.getByRole('button', { name: 'Répondre' }).click();
      await expectText(author.page, '[role=status]', 'Merci pour votre réponse');
      await axe(author.page, 'my reports: answered');
      // Reopened, with the answer in its history, and in the operator's open queue again.
      await author.page.getByRole('link', { name: 'Accueil' }).first().click();
      // The home page rendered before going on: two route changes within one render would keep the former page
      // mounted, with the data it had loaded (the closing-the-loop journeys' old flake).
      await expectText(author.page, 'h1', 'Bienvenue');
      await author.page.goto(`${platform.url}/#/reports/mine`);
      const reopened = author.page.locator('main .item', { has: author.page.locator('h2', { hasText: title }) }).first();
      await reopened.locator('.history li', { hasText: comment }).waitFor();
      await reopened.locator('.badge', { hasText: 'Ouvert' }).waitFor();
      await toDesk(agent.page, 'OPEN');
      await inQueue(agent.page, title, 'OPEN').waitFor();
      await agent.done();
      await author.done();
    });
  }
} finally {
  await browser.close();
  platform.stop();
}
console.log(`web journeys: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
