import { test, expect, makeModel, openDemo, type Locator, type Page } from './fixtures';
import { readFileSync } from 'node:fs';
import { num, reportFigure, saveDownload } from './helpers';

// The wall-thickness map (issue 12) on the demo phantom: the "Wall thickness" tool colours the finished
// model by its local thickness with a legend in mm consistent with the report's thinnest wall, red where
// walls are under the printer's minimum; the same for a segments model, which Hollow now hollows too.

/** The preview canvas's pixels: how many are red (the thin colour and the thin-place dots), and all of them as RGB, downsampled. */
async function pixels(preview: Locator): Promise<{ red: number; rgb: number[] }> {
  return preview.evaluate((el) => {
    const src = el.querySelector('canvas')!;
    const c = document.createElement('canvas');
    c.width = 240;
    c.height = 150;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0, 240, 150);
    const d = ctx.getImageData(0, 0, 240, 150).data;
    let red = 0;
    const rgb: number[] = [];
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 70 && d[i] > 2 * d[i + 1] && d[i] > 2 * d[i + 2]) red++;
      rgb.push(d[i], d[i + 1], d[i + 2]);
    }
    return { red, rgb };
  });
}

/** Mean absolute difference per channel between two pictures. */
const diff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

/** The legend's measured range, [lowest, highest] mm. */
async function legendRange(page: Page): Promise<number[]> {
  const text = (await page.getByTestId('thickness-range').textContent())!;
  const m = /Measured ([\d.]+) to ([\d.]+) mm/.exec(text);
  expect(m, text).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

test('Wall thickness map: colours by thickness with a legend in mm matching the report, red under a high Custom minimum, at the export scale', async ({ page }) => {
  await openDemo(page);
  const preview = page.getByLabel('3D preview', { exact: true });
  const toggle = preview.getByRole('button', { name: 'Wall thickness' });
  await expect(toggle).toBeDisabled();
  await makeModel(page);
  const report = page.getByRole('region', { name: 'Printability report' });
  await expect(report).toContainText(/Thinnest wall\s*\d+\.\d+ mm/, { timeout: 60_000 });
  const thinnest = num(await reportFigure(page, 'Thinnest wall'));
  await expect(toggle).toBeEnabled();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const plain = await pixels(preview);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const legend = preview.getByRole('figure', { name: 'Wall thickness legend' });
  await expect(legend).toBeVisible();
  await expect(legend).toContainText('Wall thickness, mm as printed');
  await expect(legend.getByRole('img')).toHaveAttribute('aria-label', /^Colour scale from 0 to [\d.]+ mm or more/);
  const [lo, hi] = await legendRange(page);
  console.log(`report: thinnest wall ${thinnest} mm; legend: measured ${lo} to ${hi} mm; ${await legend.textContent()}`);
  // the report's thinnest is over a 4 mm² patch: at or above the thinnest vertex, below the thickest
  expect(lo).toBeLessThanOrEqual(thinnest + 0.01);
  expect(hi).toBeGreaterThan(thinnest);
  await expect.poll(async () => diff((await pixels(preview)).rgb, plain.rgb)).toBeGreaterThan(3);
  const mapped = await pixels(preview);

  // a minimum wall of 7 mm (Custom): much of the phantom's skull (mostly 5 to 8 mm) is thinner, so much more red
  await page.getByLabel('Printer', { exact: true }).selectOption('custom');
  await page.getByLabel('Minimum wall (mm)').fill('7');
  await expect(legend).toContainText('Red: under the 7 mm minimum wall of the Custom');
  await expect.poll(async () => (await pixels(preview)).red, { timeout: 30_000 }).toBeGreaterThan(mapped.red + 300);
  const redOn = (await pixels(preview)).red;
  // the red is the map's, not only the thin places' dots: switched off, far less red
  await toggle.click();
  await expect(legend).toBeHidden();
  await expect.poll(async () => (await pixels(preview)).red).toBeLessThan(redOn / 2);
  console.log(`red pixels (of 36,000): map at 0.8 mm ${mapped.red}, at 7 mm ${redOn}, off (dots only) ${(await pixels(preview)).red}`);

  // a saved picture carries the legend: its bar (drawn as on screen, top right) red at its start
  // (under 7 mm), viridis yellow at its end
  await toggle.click();
  await expect(legend).toBeVisible();
  const [shot] = await Promise.all([page.waitForEvent('download'), preview.getByRole('button', { name: 'Save picture' }).click()]);
  const png = readFileSync(await saveDownload(shot)).toString('base64');
  const bar = await preview.evaluate(async (el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const k = img.width / el.querySelector('canvas')!.clientWidth;
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    // the bar: from 220 px to 16 px from the right edge, 30–40 px down (thicknessView.ts drawThicknessLegend)
    const at = (x: number) => Array.from(ctx.getImageData(Math.round(x * k), Math.round(35 * k), 1, 1).data.slice(0, 3));
    return { start: at(img.width / k - 220 + 3), end: at(img.width / k - 16 - 3) };
  }, png);
  console.log('saved picture, legend bar:', JSON.stringify(bar));
  expect(bar.start[0]).toBeGreaterThan(180);
  expect(bar.start[1]).toBeLessThan(80);
  expect(bar.end[0]).toBeGreaterThan(220);
  expect(bar.end[1]).toBeGreaterThan(200);
  expect(bar.end[2]).toBeLessThan(90);

  // at 50 % every wall prints half as thick: the legend's range halves
  await page.getByLabel('Scale (%)').fill('50');
  await expect.poll(async () => (await legendRange(page))[0]).toBeCloseTo(lo / 2, 1);

  // the map was measured once for this model: another minimum wall and another scale only found the
  // thin places again (the User Timing measure the engine makes each time it measures a map)
  expect(await page.evaluate(() => performance.getEntriesByName('wall-thickness').length)).toBe(1);

  // an edit makes the model stale: the map is not shown on the live preview
  await page.getByLabel('Keep only the largest piece').click();
  await expect(legend).toBeHidden();
  await expect(toggle).toBeDisabled();
});

test('a segments model: the map per segment, and Hollow hollows every segment (material saved in the report)', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Add segment' }).click();
  await expect(page.getByRole('list', { name: 'Segments' }).getByRole('listitem')).toHaveCount(1, { timeout: 60_000 });
  await makeModel(page, /segment.*closed and printable/);
  const report = page.getByRole('region', { name: 'Printability report' });
  await expect(report).toContainText(/Thinnest wall\s*\d+\.\d+ mm/, { timeout: 60_000 });
  const thinnest = num(await reportFigure(page, 'Thinnest wall'));
  const preview = page.getByLabel('3D preview', { exact: true });
  const plain = await pixels(preview);
  await preview.getByRole('button', { name: 'Wall thickness' }).click();
  await expect(preview.getByRole('figure', { name: 'Wall thickness legend' })).toBeVisible();
  const [lo] = await legendRange(page);
  expect(lo).toBeLessThanOrEqual(thinnest + 0.01);
  await expect.poll(async () => diff((await pixels(preview)).rgb, plain.rgb)).toBeGreaterThan(3);

  const solidMl = num(await reportFigure(page, 'Volume'));
  await page.getByLabel('Hollow').check();
  await makeModel(page, /segment.*closed and printable/);
  const hollowMl = num(await reportFigure(page, 'Volume'));
  const savedMl = num(await reportFigure(page, 'Material saved'));
  console.log(`segments model: solid ${solidMl} mL, hollow ${hollowMl} mL, saved ${savedMl} mL`);
  expect(hollowMl).toBeLessThan(solidMl);
  expect(Math.abs(solidMl - hollowMl - savedMl)).toBeLessThan(0.05 * savedMl);
  await expect.poll(() => reportFigure(page, 'Pieces')).toMatch(/^1 solid \+ \d+ enclosed voids?$/);
});
