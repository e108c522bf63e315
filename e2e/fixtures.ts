// Every browser test runs with one guard (no request leaves the page's origin, no page error) and
// shares the helpers that open the demo, build a model and download it.
import { readFileSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { HAS_SHARED, SHARED_REASON, saveDownload } from './helpers';

export { expect };
export type { Locator, Page } from '@playwright/test';

export const test = base.extend<{ guard: void }>({
  guard: [
    async ({ context, page, baseURL }, use) => {
      // the app's origin, and any server a test opens itself (a page navigated to: e2e/staticHost.ts)
      const own = new Set([new URL(baseURL!).origin]);
      const foreign: string[] = [];
      context.on('request', (r) => {
        const url = r.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        const origin = new URL(url).origin;
        if (r.isNavigationRequest()) own.add(origin);
        else if (!own.has(origin)) foreign.push(url);
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use();
      expect(foreign, 'requests that left the page origin').toEqual([]);
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});

/** Skips the calling test (or file, at top level) when ../shared/data is not there. */
export const needsShared = () => test.skip(!HAS_SHARED, SHARED_REASON);

/** Opens the app (at `path`, with its address parameters) and loads the synthetic head phantom (256 × 256 × 160). */
export async function openDemo(page: Page, path = '/'): Promise<void> {
  await page.goto(`${path}${path.includes('?') ? '&' : '?'}demo=phantom`);
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('256 × 256 × 160 voxels', { timeout: 60_000 });
}

/** Presses "Make 3D model" and waits for the model (`expected` in the status: printable by default). */
export async function makeModel(page: Page, expected: string | RegExp = 'closed and printable'): Promise<void> {
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(page.getByRole('status')).toContainText(expected, { timeout: 120_000 });
}

/** Chooses `format` ("STL", "3MF", …), downloads the model and returns the file's path and bytes. */
export async function download(page: Page, format = 'STL'): Promise<{ path: string; bytes: Buffer; name: string }> {
  await page.getByLabel('File format').selectOption({ label: format });
  const button = page.getByRole('button', { name: `Download ${format}`, exact: true });
  await expect(button).toBeEnabled({ timeout: 60_000 });
  const [d] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await saveDownload(d);
  return { path, bytes: readFileSync(path), name: d.suggestedFilename() };
}
