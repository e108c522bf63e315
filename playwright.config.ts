import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4179);
// Build folder: separate ones let two runs (different E2E_PORT) work side by side.
const OUT = process.env.E2E_OUT ?? 'dist';

// Browser tests run against the production build (vite build + vite preview), in Debian's Chromium
// (or CHROMIUM_PATH). One worker: 2 cores, and SwiftShader WebGL is CPU-heavy.
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/globalSetup.ts',
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: 'list',
  outputDir: 'test-results',
  webServer: {
    command: `npx vite build --outDir ${OUT} && npx vite preview --outDir ${OUT} --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: false,
    timeout: 240_000,
  },
  use: {
    baseURL: `http://localhost:${PORT}`,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--enable-unsafe-swiftshader',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // performance.measureUserAgentSpecificMemory() answers at once instead of at the next natural GC
        '--enable-blink-features=ForceEagerMeasureMemory',
      ],
    },
  },
});
