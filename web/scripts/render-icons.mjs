// Renders the PNG icons of web/public/icons from their SVG with Debian's Chromium (run once when the SVG changes:
// `node scripts/render-icons.mjs` from web/); the PNGs are committed, the build does not need a browser.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [src, out, size] of [['public/icons/icon.svg','public/icons/icon-192.png',192],['public/icons/icon.svg','public/icons/icon-512.png',512],['public/icons/maskable.svg','public/icons/maskable-512.png',512],['public/icons/icon.svg','public/icons/apple-touch-icon.png',180]]) {
  const p = await b.newPage({ viewport: { width: size, height: size } });
  const svg = readFileSync(src, 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
  await p.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await p.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}
await b.close();
