import { test, expect, makeModel, openDemo } from './fixtures';
import { canvasStats, sliderPoint } from './helpers';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('live 3D preview: the model in the 3D view changes while the slider is still held', async ({ page }) => {
  await openDemo(page);
  const view = page.getByLabel('3D preview', { exact: true });
  // Before any "Make 3D model", the coarse preview of the bone threshold is there.
  await expect(page.getByText(/Live preview \(coarse\)/)).toBeVisible({ timeout: 30_000 });
  await expect.poll(async () => (await canvasStats(view)).stddev, { timeout: 30_000 }).toBeGreaterThan(5);
  const before = await view.screenshot();

  // Hold the lower-threshold slider and drag it from bone (300 HU) down to skin (about −500 HU).
  const at = await sliderPoint(page.getByRole('slider', { name: 'Lower threshold (HU)' }));
  await page.mouse.move(...at(300));
  await page.mouse.down();
  const updates0 = await page.evaluate(() => performance.getEntriesByName('preview-update').length);
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(...at(300 - i * 100), { steps: 3 });
    await page.waitForTimeout(60);
  }
  await expect.poll(() => page.evaluate(() => performance.getEntriesByName('preview-update').length), { timeout: 20_000 }).toBeGreaterThan(updates0);
  await page.waitForTimeout(500);
  const during = await view.screenshot();
  expect(Buffer.compare(before, during), 'the 3D view changed before the slider was released').not.toBe(0);
  const lower = Number(await page.getByRole('spinbutton', { name: 'Lower threshold (HU)' }).inputValue());
  expect(lower).toBeLessThan(0);
  await page.mouse.up();

  const times = await page.evaluate(() => performance.getEntriesByName('preview-update').map((e) => e.duration));
  console.log(`preview-update: ${times.length} updates, median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
  const meshing = await page.evaluate(() => performance.getEntriesByName('preview-mesh').map((e) => e.duration));
  console.log(`preview-mesh (worker): median ${median(meshing).toFixed(0)} ms`);
  expect(times.length).toBeGreaterThan(1);

  // Letting go builds the full-resolution model by itself, which replaces the coarse preview.
  await expect(page.getByRole('status')).toContainText('closed and printable', { timeout: 120_000 });
  await expect(page.getByText(/Live preview \(coarse\)/)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Printability report' })).toBeVisible();
});

test('once the live preview is up, the build\'s workers are started and have compiled the isosurface, before "Make 3D model"', async ({ page }) => {
  await openDemo(page);
  await expect(page.getByText(/Live preview \(coarse\)/)).toBeVisible({ timeout: 30_000 });
  // (the workers of the mesh pool restart when a scan loads; the preview's own worker never warms up)
  const warmed = async () => {
    let n = 0;
    for (const w of page.workers()) n += await w.evaluate(() => performance.getEntriesByName('warm-isosurface').length).catch(() => 0);
    return n;
  };
  const pool = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8)));
  await expect.poll(warmed, { timeout: 30_000 }).toBe(pool);
  // and the build runs on them (no restart: a fresh worker has no such measure)
  await makeModel(page);
  expect(await warmed()).toBe(pool);
});

test('once the overlay\'s mask is made, the next build\'s memory is set aside and mapped while the page is idle, and the build takes its arrays from it', async ({ page }) => {
  await openDemo(page);
  const entry = (name: string) => page.evaluate((n) => (performance.getEntriesByName(n)[0] as PerformanceMeasure | undefined)?.detail ?? null, name);
  await expect.poll(() => entry('build-memory'), { timeout: 30_000 }).not.toBeNull();
  const set = (await entry('build-memory')) as { bytes: number };
  await makeModel(page);
  await expect.poll(() => entry('build-memory-used'), { timeout: 60_000 }).not.toBeNull();
  const used = (await entry('build-memory-used')) as { bytes: number; used: number; beyond: number };
  console.log(`build memory: ${(set.bytes / 2 ** 20).toFixed(0)} MiB set aside; the build took ${(used.used / 2 ** 20).toFixed(0)} MiB of it and ${(used.beyond / 2 ** 20).toFixed(1)} MiB beyond`);
  expect(used.bytes).toBe(set.bytes);
  // sized by the mask's crossed edges: the build fits in it, and uses most of it
  expect(used.beyond).toBe(0);
  expect(used.used).toBeGreaterThan(0.8 * set.bytes);
});
