// The Denoise choice (issue 14) in the browser, kept lean: on the demo phantom with 1 % bright speckle
// (?speckle=0.01), the model made with Median goes stale when the choice changes and, remade, loses the
// speckle bumps on the skull (a smaller volume: 579.1 → 577.1 mL at half resolution); a segment added from the threshold with every piece kept counts the speckle voxels
// with None and loses them with Median; a running Anisotropic replaced by Median gives exactly Median's
// figure (no stale result applied); None gives back exactly the first figure. The filters themselves
// are unit-tested in workers/core (median.test.ts, anisotropicDiffusion.test.ts) and src/engine/denoise.test.ts.
import { expect, makeModel, openDemo, test, type Page } from './fixtures';

const segmentRows = (page: Page) => page.getByRole('list', { name: 'Segments', exact: true }).getByRole('listitem');

/** Adds a segment from the threshold and returns its voxel count (the mL figure's title). */
async function addSegment(page: Page, n: number): Promise<number> {
  await page.getByRole('button', { name: 'Add segment' }).click();
  await expect(segmentRows(page)).toHaveCount(n, { timeout: 30_000 });
  const title = segmentRows(page).nth(n - 1).locator('.segment-ml');
  await expect(title).toHaveAttribute('title', /voxels/);
  return Number((await title.getAttribute('title'))!.replace(/[^\d]/g, ''));
}

test('Denoise: Median removes the speckle from what the model and masks read, a newer choice replaces a running one, None gives the scan back', async ({ page }) => {
  await openDemo(page, '/?speckle=0.01');
  const denoise = page.getByLabel('Denoise', { exact: true });
  await expect(denoise).toHaveValue('none');
  const status = page.getByRole('status');
  const ml = async () => Number(/([\d.]+) mL/.exec((await status.textContent())!)![1]);

  // the model (the skull, largest piece; half resolution, to stay quick): speckle touching the bone
  // adds bumps, Median removes them
  await page.locator('select').filter({ hasText: 'Half (2' }).selectOption('half');
  await makeModel(page);
  const rawMl = await ml();
  await denoise.selectOption({ label: 'Median' });
  await expect(page.getByText('read the median copy')).toBeVisible({ timeout: 30_000 });
  await expect(status).toContainText('Settings changed');
  await makeModel(page);
  const medianMl = await ml();
  console.log(`model: none ${rawMl} mL, median ${medianMl} mL`);
  expect(medianMl).toBeLessThan(rawMl);

  // a segment from the threshold with every piece kept: the loose speckle counts, unless Median removed it
  await page.getByRole('checkbox', { name: /largest piece/ }).uncheck();
  await denoise.selectOption({ label: 'None' });
  await expect(page.getByText(/read the .* copy/)).toHaveCount(0);
  const raw = await addSegment(page, 1);
  await denoise.selectOption({ label: 'Median' });
  await expect(page.getByText('read the median copy')).toBeVisible({ timeout: 30_000 });
  const median = await addSegment(page, 2);
  // 1 % of 10.5 M voxels are speckle, nearly all outside the skull: median drops them
  const voxels = 256 * 256 * 160;
  console.log(`segment voxels: none ${raw}, median ${median} (speckle ≈ ${Math.round(0.01 * voxels)})`);
  expect(raw - median).toBeGreaterThan(0.005 * voxels);

  // Anisotropic takes seconds: Median chosen while it runs wins, with Median's exact figure
  await denoise.selectOption({ label: 'Anisotropic' });
  await expect(page.getByRole('progressbar', { name: 'Denoising' })).toBeVisible();
  await denoise.selectOption({ label: 'Median' });
  await expect(page.getByText('read the median copy')).toBeVisible({ timeout: 30_000 });
  expect(await addSegment(page, 3)).toBe(median);

  await denoise.selectOption({ label: 'None' });
  await expect(page.getByText(/read the .* copy/)).toHaveCount(0);
  expect(await addSegment(page, 4)).toBe(raw);
});
