// Lighthouse figures of the built client on the local platform, at Lighthouse's mobile settings
// (an emulated Moto G Power, simulated slow 4G, 4x CPU slowdown): performance, accessibility and
// best-practices scores and the key metrics of a few pages, plus installability as Chromium
// itself reports it (Lighthouse 12 removed its PWA category; this asks the browser with the
// DevTools protocol's Page.getInstallabilityErrors, which that category used).
//
//   npm --prefix web run build && npm --prefix web run lighthouse
//
// It starts org.territoire.local.runtime.WebClientServer itself as the journeys do (after the Maven build), or
// measures a running platform given WEB_CLIENT_URL. Chromium is Debian's (CHROME_PATH, default /usr/bin/chromium).
// A benchmark, not a test: it fails only when Lighthouse cannot run. The figures go into docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';
const PAGES = [
  ['home', '/'],
  ['map of reports', '/#/map'],
  ['report (signed out)', '/#/report'],
];

async function startPlatform() {
  if (process.env.WEB_CLIENT_URL) return { url: process.env.WEB_CLIENT_URL, stop: () => {} };
  const cp = readFileSync(join(root, 'infrastructure/local-runtime/target/runtime-classpath.txt'), 'utf8').trim();
  const child = spawn('java', ['-XX:TieredStopAtLevel=1', `-Dterritoire.root=${root}`, '-cp',
    `${join(root, 'infrastructure/local-runtime/target/classes')}:${cp}`,
    'org.territoire.local.runtime.WebClientServer', join(root, 'web', 'dist')], {
    cwd: root, stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_EMF_ENVIRONMENT: 'Local', POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the platform did not start within 180 s')), 180_000);
    child.on('exit', (code) => reject(new Error(`the platform exited (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^WEB_CLIENT_URL=(.+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  return { url, stop: () => { child.stdin.end(); setTimeout(() => child.kill(), 5000).unref(); } };
}

const ms = (audit) => `${Math.round(audit.numericValue)} ms`;
const platform = await startPlatform();
const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage'] });
try {
  console.log(`Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile (default) settings, ${CHROME_PATH}, ${platform.url}`);
  console.log('page                 | perf | a11y | best-pr | FCP     | LCP     | TBT    | CLS   | SI');
  for (const [name, path] of PAGES) {
    const { lhr } = await lighthouse(`${platform.url}${path}`, {
      port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'],
    });
    const a = lhr.audits;
    const score = (c) => String(Math.round(lhr.categories[c].score * 100)).padStart(4);
    console.log(`${name.padEnd(20)} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices').padStart(7)} | ${ms(a['first-contentful-paint']).padEnd(7)} | ${ms(a['largest-contentful-paint']).padEnd(7)} | ${ms(a['total-blocking-time']).padEnd(6)} | ${a['cumulative-layout-shift'].numericValue.toFixed(3)} | ${ms(a['speed-index'])}`);
    for (const c of ['accessibility', 'best-practices']) {
      for (const ref of lhr.categories[c].auditRefs) {
        const audit = a[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) console.log(`    ${c}: ${ref.id}: ${audit.title}`);
      }
    }
  }
  // Installability, as Chromium decides it for its install prompt: the manifest, its icons, a worker controlling the page.
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const page = await browser.contexts()[0].newPage();
  await page.goto(`${platform.url}/`);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  console.log(`installable: ${installabilityErrors.length === 0 ? 'yes' : `no (${installabilityErrors.map((e) => e.errorId).join(', ')})`}`);
  await browser.close().catch(() => {});
} finally {
  await chrome.kill();
  platform.stop();
}
