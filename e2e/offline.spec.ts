import { test, expect, makeModel, type Page } from './fixtures';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { staticHost } from './staticHost';

// The build the preview server serves (playwright.config.ts builds it before the tests).
const BUILD = process.env.E2E_OUT ?? 'dist';

/** Every file of a build the service worker must precache (not itself, its Workbox runtime or `_headers`). */
function buildFiles(dir: string): string[] {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir)
    .map((f) => relative(dir, f))
    // (notes beside the files, such as public/demo/README.md with the demo scan's licence, are not needed offline)
    .filter((f) => f !== 'sw.js' && f !== '_headers' && !/^workbox-.*\.js$/.test(f) && !f.endsWith('.md'))
    .sort();
}

/** The build's time stamp (meta scan2print-build) in a folder's index.html, or in the page. */
const stampOf = (dir: string) => /name="scan2print-build" content="([^"]+)"/.exec(readFileSync(join(dir, 'index.html'), 'utf8'))![1];
const pageStamp = (page: Page) => page.locator('meta[name="scan2print-build"]').getAttribute('content');

/** Waits until the service worker is active and has precached every file; returns the paths it holds. */
async function precached(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    while (registration.active?.state !== 'activated') await new Promise((r) => setTimeout(r, 100));
    const paths: string[] = [];
    for (const key of await caches.keys())
      if (key.startsWith('workbox-precache')) for (const r of await (await caches.open(key)).keys()) paths.push(new URL(r.url).pathname.slice(1));
    return paths.sort();
  });
}

test('after one visit the app works with no network, still cross-origin isolated', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  // the service worker has cached every file of the build
  expect(await precached(page)).toEqual(buildFiles(BUILD));
  await expect(page.locator('link[rel=manifest]')).toHaveAttribute('href', '/manifest.webmanifest');

  await context.setOffline(true);
  await page.reload();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByRole('button', { name: 'Try a demo scan' }), errors.join('\n')).toBeVisible({ timeout: 20_000 });
  // the demo scan itself is cached too
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  await makeModel(page);
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

test('D10: opening a file, the manifest or a missing page never replaces the app shell used offline', async ({ page, context }) => {
  const host = await staticHost(BUILD);
  try {
    await page.goto(host.url);
    await precached(page);
    for (const path of ['/favicon.svg', '/manifest.webmanifest', '/no-such-page']) {
      const res = await page.goto(host.url + path);
      if (path === '/no-such-page') expect(res!.status()).toBe(404); // the host's own 404 page, shown as such
    }
    await context.setOffline(true);
    for (const path of ['/', '/index.html', '/?memoryBudgetMiB=64']) {
      await page.goto(host.url + path);
      await expect(page.getByRole('button', { name: 'Try a demo scan' })).toBeVisible({ timeout: 20_000 });
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    }
  } finally {
    await context.setOffline(false);
    await host.close();
  }
});

test('a redeploy is picked up: the open page offers "Reload to update", which shows the new build; a new tab gets it; offline still works', async ({ browser }) => {
  test.setTimeout(300_000);
  // deploy B: the same sources built again (a new build stamp, so new content for index.html)
  const next = join('test-results', `deploy-b-${process.pid}`);
  execFileSync('npx', ['vite', 'build', '--outDir', next, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'inherit' });
  const [a, b] = [stampOf(BUILD), stampOf(next)];
  expect(a).not.toBe(b);
  const host = await staticHost(BUILD);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await precached(page);
    expect(await pageStamp(page)).toBe(a);

    host.deploy(next);
    // the old worker serves the old build at once (no waiting on the network); the new one installs beside it
    await page.reload();
    expect(await pageStamp(page)).toBe(a);
    const prompt = page.getByRole('region', { name: 'New version' });
    await expect(prompt).toBeVisible({ timeout: 60_000 });
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await expect.poll(() => pageStamp(page), { timeout: 30_000 }).toBe(b);
    await expect(prompt).toHaveCount(0);

    const other = await context.newPage();
    await other.goto(host.url);
    expect(await pageStamp(other)).toBe(b);
    await other.close();

    // the new build was precached whole: it runs offline
    expect(await precached(page)).toEqual(buildFiles(next));
    await context.setOffline(true);
    await page.reload();
    expect(await pageStamp(page)).toBe(b);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByRole('button', { name: 'Try a demo scan' }).click();
    await expect(page.getByRole('status')).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  } finally {
    await context.close();
    await host.close();
    rmSync(next, { recursive: true, force: true });
  }
});
