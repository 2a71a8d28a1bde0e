// Fails the build when the initial JavaScript is over its budget (issue 16: 100 KB gzipped).
// Sizes are deterministic for a given lock file, so this never flakes.
// "Initial" is what index.html loads (its module scripts and the chunks they preload); a chunk loaded on demand
// (Leaflet, by the pages that show a map) has a budget of its own, so that it cannot grow unseen either.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 100 * 1024;
// Leaflet 1.9 is about 42 KB gzipped; the rest of the map chunk is our own drawing code.
const LAZY_BUDGET = 50 * 1024;
const dist = new URL('../dist/', import.meta.url);
const gz = (f) => gzipSync(readFileSync(new URL(f, dist)), { level: 9 }).length;
const html = readFileSync(new URL('index.html', dist), 'utf8');
const initial = new Set([...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]));
if (initial.size === 0) {
  console.error('no script found in dist/index.html');
  process.exit(1);
}
const total = [...initial].reduce((n, f) => n + gz(f), 0);
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
let over = total > BUDGET;
for (const f of readdirSync(new URL('assets/', dist)).filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`))) {
  const size = gz(`assets/${f}`);
  console.log(`  loaded on demand: ${f} ${(size / 1024).toFixed(1)} KB gzipped (budget ${LAZY_BUDGET / 1024} KB)`);
  if (size > LAZY_BUDGET) over = true;
}
if (over) {
  console.error('over the JavaScript budget');
  process.exit(1);
}
