// The build's PWA files, written after Vite has written dist/ (so the public files are there too):
// - manifest.webmanifest, from public/config.json (the territory's name and colours are data, docs/decisions.md);
// - sw.js, the service worker (sw/sw.ts bundled by esbuild), with the list of files to precache and a version made
//   from their contents, so that a new build installs a new worker and the old shell cache is dropped.
// config.json is not precached: it differs per deploy and the worker keeps its last copy at run time.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';

const NOT_PRECACHED = new Set(['config.json', 'sw.js']);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The web app manifest (https://www.w3.org/TR/appmanifest/) of a territory's config.json. */
export function manifestOf(config) {
  const { name, shortName, colours } = config.territory;
  return {
    name,
    short_name: shortName || name,
    description: config.defaultLocale === 'en' ? "The territory's services, reports, bookings and consultations." : 'Les services, les signalements, les réservations et les consultations du territoire.',
    lang: config.defaultLocale || 'fr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: colours.primary,
    background_color: colours.background,
    icons: [
      { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

/** The paths the worker precaches (from '/'), sorted, and their version: a hash of the paths and contents. */
export function precacheOf(dist) {
  const paths = files(dist)
    .map((p) => relative(dist, p).split(sep).join('/'))
    .filter((p) => !NOT_PRECACHED.has(p))
    .sort();
  const hash = createHash('sha256');
  for (const p of paths) hash.update(p).update('\0').update(readFileSync(join(dist, p))).update('\0');
  return { paths: paths.map((p) => `/${p}`), version: hash.digest('hex').slice(0, 16) };
}

export function pwa({ root }) {
  let outDir;
  return {
    name: 'service-worker',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir.startsWith('/') ? c.build.outDir : join(c.root, c.build.outDir);
    },
    async closeBundle() {
      const config = JSON.parse(readFileSync(join(root, 'public', 'config.json'), 'utf8'));
      writeFileSync(join(outDir, 'manifest.webmanifest'), JSON.stringify(manifestOf(config), null, 2));
      const { paths, version } = precacheOf(outDir);
      await build({
        entryPoints: [join(root, 'sw', 'sw.ts')],
        outfile: join(outDir, 'sw.js'),
        bundle: true,
        format: 'iife',
        target: 'es2022',
        minify: true,
        legalComments: 'none',
        define: { __PRECACHE__: JSON.stringify(paths), __VERSION__: JSON.stringify(version) },
        logLevel: 'warning',
      });
      console.log(`service worker: ${paths.length} files precached (shell ${version})`);
    },
  };
}
