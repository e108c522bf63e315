import { test, expect, makeModel } from './fixtures';

test('after one visit the app works with no network, still cross-origin isolated', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  // the service worker has cached every file of the build
  const cached = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const list: string[] = await (await fetch('/precache.json')).json();
    for (let i = 0; i < 100; i++) {
      const keys = await (await caches.open('scan2print-v1')).keys();
      if (keys.length >= list.length + 1) return { keys: keys.length, files: list.length };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { keys: -1, files: list.length };
  });
  expect(cached.keys).toBeGreaterThan(cached.files);
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
});
