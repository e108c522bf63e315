import { test, expect, type Locator, openDemo, makeModel } from './fixtures';
import { readFileSync } from 'node:fs';
import { saveDownload } from './helpers';

/** The preview's WebGL canvas, downsampled to 160 × 100 grey levels (0…255). */
async function snapshot(preview: Locator): Promise<number[]> {
  return preview.evaluate((el) => {
    const src = el.querySelector('canvas')!;
    const c = document.createElement('canvas');
    c.width = 160;
    c.height = 100;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0, 160, 100);
    const d = ctx.getImageData(0, 0, 160, 100).data;
    const out: number[] = [];
    for (let i = 0; i < d.length; i += 4) out.push(Math.round(0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]));
    return out;
  });
}

/** Mean absolute grey-level difference between two snapshots. */
const diff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

test('3D preview tools: wireframe, clip plane, reset view, bounding box, save picture', async ({ page }) => {
  await openDemo(page);
  const preview = page.getByLabel('3D preview', { exact: true });
  await expect(preview.getByRole('button', { name: 'Wireframe' })).toBeDisabled();
  await makeModel(page);
  await expect(preview).toContainText('triangles');

  const initial = await snapshot(preview);
  const shots: string[] = [];
  const measure = async (what: string, ref: number[]) => {
    const d = diff(await snapshot(preview), ref);
    if (process.env.PREVIEW_DEBUG) {
      const file = test.info().outputPath(`${shots.length}-${what.replace(/\W+/g, '_')}.png`);
      await preview.screenshot({ path: file });
      shots.push(`${what}: ${d.toFixed(2)}`);
      console.log(shots.at(-1));
    }
    return d;
  };
  const changed = (from: number[], min: number, what: string) =>
    expect.poll(() => measure(what, from), { timeout: 20_000, message: what }).toBeGreaterThan(min);
  const restored = (to: number[], max: number, what: string) =>
    expect.poll(() => measure(what, to), { timeout: 20_000, message: what }).toBeLessThan(max);

  // Wireframe: the shaded surface becomes lines.
  const wireframe = preview.getByRole('button', { name: 'Wireframe' });
  await expect(wireframe).toHaveAttribute('aria-pressed', 'false');
  await wireframe.click();
  await expect(wireframe).toHaveAttribute('aria-pressed', 'true');
  await changed(initial, 1, 'wireframe on');
  await wireframe.click();
  await expect(wireframe).toHaveAttribute('aria-pressed', 'false');
  await restored(initial, 0.3, 'wireframe off');

  // Clip plane: half the head off from the top shows the inside; back to 100 % is the whole model again.
  await expect(preview.getByRole('combobox', { name: 'Clip axis' })).toHaveValue('z');
  const clip = preview.getByRole('slider', { name: 'Clip plane' });
  await clip.fill('50');
  await changed(initial, 1, 'clip 50 % head-foot');
  // the inside (another colour) is visible through the cut
  const reddish = await preview.evaluate((el) => {
    const src = el.querySelector('canvas')!;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 80 && d[i] - d[i + 2] > 40 && d[i] - d[i + 1] > 30) n++;
    return n / (d.length / 4);
  });
  expect(reddish, 'the cut shows the inside in its own colour').toBeGreaterThan(0.005);
  const halfZ = await snapshot(preview);
  await preview.getByRole('combobox', { name: 'Clip axis' }).selectOption({ label: 'Front–back' });
  await changed(halfZ, 1, 'clip 50 % front-back');
  await clip.fill('100');
  await restored(initial, 0.3, 'clip 100 %');

  // Reset view: turn the model with a drag, then back to the initial view.
  const canvas = preview.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 8 });
  await page.mouse.up();
  await changed(initial, 1, 'dragged');
  await preview.getByRole('button', { name: 'Reset view' }).click();
  await restored(initial, 0.3, 'reset view');

  // Bounding box: the outline and its three sizes in mm.
  const bbox = preview.getByRole('button', { name: 'Bounding box' });
  await expect(preview.getByRole('list', { name: 'Bounding box size' })).toHaveCount(0);
  await bbox.click();
  await expect(bbox).toHaveAttribute('aria-pressed', 'true');
  const sizes = preview.getByRole('list', { name: 'Bounding box size' }).getByRole('listitem');
  await expect(sizes).toHaveCount(3);
  const info = (await preview.locator('.preview-info').textContent())!;
  const dims = /([\d.]+) × ([\d.]+) × ([\d.]+) mm/.exec(info)!.slice(1);
  for (let i = 0; i < 3; i++) {
    await expect(sizes.nth(i)).toHaveText(`${dims[i]} mm`);
    await expect(sizes.nth(i)).toBeVisible();
  }
  await changed(initial, 0.05, 'bounding box on');
  const withBox = await snapshot(preview);

  // Save picture: a PNG of the current view.
  const [download] = await Promise.all([page.waitForEvent('download'), preview.getByRole('button', { name: 'Save picture' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const path = await saveDownload(download);
  const png = readFileSync(path);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBeGreaterThan(10_000);
  console.log(`preview picture ${download.suggestedFilename()}: ${png.length} bytes, ${png.readUInt32BE(16)} × ${png.readUInt32BE(20)} px`);

  await bbox.click();
  await expect(preview.getByRole('list', { name: 'Bounding box size' })).toHaveCount(0);
  await restored(initial, 0.3, 'bounding box off');
  expect(diff(withBox, initial)).toBeGreaterThan(0.05);
});
