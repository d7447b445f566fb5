import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The shared rule cases as one IIFE for Chromium (test/forms-rules-browser.e2e-spec.ts); the
// output directory is given on the command line (a temporary one, outside the repository).
export default defineConfig({
  logLevel: 'warn',
  build: {
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./rule-check.entry.ts', import.meta.url)),
      formats: ['iife'],
      name: 'RuleCheck',
      fileName: () => 'rule-check.js',
    },
  },
});
