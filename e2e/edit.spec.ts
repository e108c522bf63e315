import { test, expect, type Page, makeModel, openDemo } from './fixtures';
import { skullShellVolumeMm3 } from '../workers/core/phantom';
import { reportFigure } from './helpers';

const pieces = (page: Page) => reportFigure(page, 'Pieces');
const volumeMl = async (page: Page) => Number(/[\d.]+/.exec(await reportFigure(page, 'Volume'))![0]);

test('a click on the skull keeps the skull and drops the table; undo brings the table back', async ({ page }) => {
  test.setTimeout(300_000);
  await openDemo(page);
  await page.getByRole('checkbox', { name: /largest piece/ }).uncheck();
  await makeModel(page);
  expect(await pieces(page)).toBe('2 shells'); // skull and table

  // Pick mode, then click the skull's wall where the middle row of the axial view first meets bone.
  await page.getByRole('button', { name: 'Pick pieces in the slices' }).click();
  const axial = page.getByLabel('Axial', { exact: true });
  const hit = await axial.locator('canvas.overlay-canvas:not(.tool-canvas)').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const y = Math.floor(c.height / 2);
    const row = ctx.getImageData(0, y, c.width, 1).data;
    for (let x = 0; x < c.width; x++) if (row[4 * x + 3] > 0) return { x: x + 3, y };
    return null;
  });
  expect(hit, 'bone in the middle row of the axial view').not.toBeNull();
  const box = (await axial.locator('canvas.overlay-canvas:not(.tool-canvas)').boundingBox())!;
  await page.mouse.click(box.x + hit!.x, box.y + hit!.y);
  await expect(page.getByRole('button', { name: 'Clear 1 pick' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Settings changed');
  await makeModel(page);
  expect(await pieces(page)).toBe('1 shell');

  // At 500 HU (half-way between scalp and bone) the kept skull matches its analytic volume.
  await page.getByRole('spinbutton', { name: 'Lower threshold (HU)' }).fill('500');
  await makeModel(page);
  expect(await pieces(page)).toBe('1 shell');
  const ml = await volumeMl(page);
  const analytic = skullShellVolumeMm3() / 1000;
  console.log(`seeded skull: ${ml} mL vs analytic ${analytic.toFixed(1)} mL`);
  expect(Math.abs(ml - analytic) / analytic).toBeLessThan(0.03);

  // Undo twice (the threshold, then the pick): the table is back at 300 HU.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('spinbutton', { name: 'Lower threshold (HU)' })).toHaveValue('300');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('button', { name: 'Clear 1 pick' })).toHaveCount(0);
  await makeModel(page);
  expect(await pieces(page)).toBe('2 shells');
  // and redo brings the pick back
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByRole('button', { name: 'Clear 1 pick' })).toBeVisible();
});

test('a crop box drawn on the axial view cuts the table off; the overlay greys what will not print; undo restores it', async ({ page }) => {
  test.setTimeout(300_000);
  await openDemo(page);
  await page.getByRole('checkbox', { name: /largest piece/ }).uncheck();

  // Rows of the axial overlay: the table is the widest band (200 mm against the skull's 140 mm).
  const overlay = page.getByLabel('Axial', { exact: true }).locator('canvas.overlay-canvas:not(.tool-canvas)');
  const rows = async () =>
    overlay.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const spans: { y: number; x0: number; x1: number; orange: number; grey: number }[] = [];
      for (let y = 0; y < c.height; y++) {
        let x0 = -1, x1 = -1, orange = 0, grey = 0;
        for (let x = 0; x < c.width; x++) {
          const o = 4 * (y * c.width + x);
          if (d[o + 3] === 0) continue;
          if (x0 < 0) x0 = x;
          x1 = x;
          if (d[o] === 255) orange++;
          else grey++;
        }
        if (x0 >= 0) spans.push({ y, x0, x1, orange, grey });
      }
      return { spans, width: c.width, height: c.height };
    });
  await expect.poll(async () => (await rows()).spans.length, { timeout: 20_000 }).toBeGreaterThan(10);
  const { spans, width } = await rows();
  const widest = Math.max(...spans.map((s) => s.x1 - s.x0));
  const table = spans.filter((s) => s.x1 - s.x0 > 0.95 * widest);
  const tableTop = Math.min(...table.map((s) => s.y));
  const tableRow = table[Math.floor(table.length / 2)].y;
  expect(table.length).toBeGreaterThan(2);

  await page.getByRole('button', { name: 'Crop box' }).click();
  const box = (await overlay.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width / 2, box.y + tableTop / 2, { steps: 4 });
  await page.mouse.move(box.x + width - 3, box.y + tableTop - 4, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Remove crop box' })).toBeVisible();

  // The exact overlay: the table's voxels are still in the threshold band but drawn grey, not orange.
  await expect
    .poll(async () => (await rows()).spans.find((s) => s.y === tableRow) ?? null, { timeout: 20_000 })
    .toMatchObject({ orange: 0 });
  const greyRow = (await rows()).spans.find((s) => s.y === tableRow)!;
  expect(greyRow.grey).toBeGreaterThan(50);

  await page.getByRole('button', { name: 'Cropping: drag a box on a slice' }).click(); // leave crop mode
  await makeModel(page);
  expect(await pieces(page)).toBe('1 shell');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('button', { name: 'Remove crop box' })).toHaveCount(0);
  await makeModel(page);
  expect(await pieces(page)).toBe('2 shells');
});

test('a pick that misses every piece is refused and said, and the model keeps its pieces', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Pick pieces in the slices' }).click();
  const axial = page.getByLabel('Axial', { exact: true });
  const box = (await axial.boundingBox())!;
  await page.mouse.click(box.x + 12, box.y + box.height - 12); // air in the corner of the slice
  await expect(page.getByRole('note').filter({ hasText: 'not on any piece' })).toContainText('nothing was picked');
  await expect(page.getByRole('button', { name: /^Clear \d+ picks?$/ })).toHaveCount(0);
});
