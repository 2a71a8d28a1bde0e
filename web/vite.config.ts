import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { pwa } from './scripts/pwa-plugin.mjs';

// Preact through esbuild's automatic JSX runtime: no framework plugin is needed for a build.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { target: 'es2022', sourcemap: false },
  plugins: [pwa({ root: fileURLToPath(new URL('.', import.meta.url)) })],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  test: { include: ['test/**/*.test.ts', 'test/**/*.test.mjs'], environment: 'node' },
});
