import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect, download, makeModel, needsShared, openDemo, type Page } from './fixtures';
import { checkStl, num, reportFigure, sharedData } from './helpers';

// Print preparation (issue 12) on the demo phantom: a printer profile (remembered), the report's size
// as the file places the model, and Hollow: less material, a file check_stl.sh accepts.
const TOOL = resolve(process.cwd(), '..', 'shared', 'tools', 'check_stl.sh');
const TOOL_3MF = resolve(process.cwd(), '..', 'shared', 'tools', 'check_3mf.py');
/** The report's size, [] while it is measured ("…"). */
const sizeOf = async (page: Page) => {
  const text = await reportFigure(page, 'Size');
  return /\d/.test(text) ? text.split('×').map(num) : [];
};

/** check_stl.sh without slicing (admesh and topology): its JSON line. */
const checkTopology = (path: string) => checkStl(path, false).json;

test('printer profile, the size as placed, and Hollow: less material, still a closed solid', async ({ page }) => {
  test.skip(!existsSync(TOOL), `needs ${TOOL} (../shared/tools beside this clone)`);
  await openDemo(page);
  await makeModel(page);
  const report = page.getByRole('region', { name: 'Printability report' });

  // the printer: a known machine, then Custom with a bed too small, remembered in local storage
  const printer = page.getByLabel('Printer', { exact: true });
  await printer.selectOption('bambu-x1');
  expect(await reportFigure(page, 'Printer bed')).toMatch(/^256 × 256 × 256 mm: fits/);
  await printer.selectOption('form3');
  expect(await reportFigure(page, 'Printer bed')).toBe('145 × 145 × 185 mm: too small');
  await expect(report).toContainText('Larger than the Formlabs Form 3 (resin) bed (145 × 145 × 185 mm)');
  await printer.selectOption('custom');
  await page.getByLabel('Bed width (mm)').fill('300');
  await page.getByLabel('Bed depth (mm)').fill('300');
  expect(await reportFigure(page, 'Printer bed')).toBe('300 × 300 × 185 mm: fits');
  // a minimum wall above the phantom skull's thinnest: the thin places are named and marked
  await page.getByLabel('Minimum wall (mm)').fill('5');
  await expect(report).toContainText(/thinner than the 5 mm minimum wall of the Custom, the thinnest \d+\.\d+ mm \(red dots in the 3D view/, { timeout: 60_000 });
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('scan2print.printer')))!)).toMatchObject({ id: 'custom', bedMm: [300, 300, 185], minWallMm: 5 });
  await printer.selectOption('bambu-x1');

  // the size follows the placement: half at 50 %, and on the bed the file's own size
  const scanner = await sizeOf(page);
  const firstLayer = async () => {
    const text = await reportFigure(page, 'First layer');
    return /\d/.test(text) ? num(text) : -1;
  };
  await expect.poll(firstLayer).toBeGreaterThanOrEqual(0);
  const scannedLayer = await firstLayer();
  await page.getByLabel('Scale (%)').fill('50');
  const halfOf = (size: number[]) => size.length === 3 && size.every((x, i) => Math.abs(x - scanner[i] / 2) < 0.11);
  await expect.poll(async () => halfOf(await sizeOf(page))).toBe(true);
  await page.getByLabel('Placement').selectOption({ label: 'On the printer bed (flat side down)' });
  // (the phantom's flattest side is not its bottom as scanned: the box turns)
  await expect.poll(async () => (await sizeOf(page)).length === 3 && !halfOf(await sizeOf(page))).toBe(true);
  const placed = await sizeOf(page);
  // flat side down: at least the first layer it had as scanned (at 50 %, a quarter of its area)
  const bedLayer = await firstLayer();
  console.log(`first layer: as scanned ${scannedLayer} mm², on the bed at 50 % ${bedLayer} mm²`);
  expect(bedLayer).toBeGreaterThanOrEqual(scannedLayer / 4);
  const solidFile = await download(page, 'STL');
  const solidCheck = checkTopology(solidFile.path);
  expect(solidCheck.ok, JSON.stringify(solidCheck)).toBe(true);
  (solidCheck.size_mm as number[]).forEach((x, i) => expect(Math.abs(x - placed[i])).toBeLessThan(0.15));
  await expect(report).toContainText(/Thinnest wall\s*\d+\.\d+ mm/, { timeout: 60_000 });

  // Hollow at a 2 mm wall: less material, the saved volume reported, a closed file
  const solidMl = num(await reportFigure(page, 'Volume'));
  await page.getByLabel('Hollow').check();
  await expect(page.getByLabel('Wall thickness (mm)')).toHaveValue('2');
  await makeModel(page);
  const hollowMl = num(await reportFigure(page, 'Volume'));
  const savedMl = num(await reportFigure(page, 'Material saved'));
  console.log(`phantom at 50 %: solid ${solidMl} mL, hollow ${hollowMl} mL, saved ${savedMl} mL`);
  expect(hollowMl).toBeLessThan(solidMl);
  // saved is measured before smoothing, which rounds the cavity too (within 5 %)
  expect(Math.abs(solidMl - hollowMl - savedMl)).toBeLessThan(0.05 * savedMl);
  // the cavity is an enclosed void, said as such (not "2 pieces"), and no "Fill enclosed cavities" advice
  await expect.poll(() => reportFigure(page, 'Pieces')).toMatch(/^1 solid \+ \d+ enclosed voids?$/);
  await expect(report).not.toContainText('Fill enclosed cavities');
  await expect(report).toContainText(/Thinnest wall\s*\d+\.\d+ mm/, { timeout: 60_000 });
  const hollowFile = await download(page, 'STL');
  const hollowCheck = checkTopology(hollowFile.path);
  console.log('check_stl --no-slice (hollow):', JSON.stringify(hollowCheck));
  expect(hollowCheck.ok, JSON.stringify(hollowCheck)).toBe(true);
  expect(Math.abs((hollowCheck.volume_mm3 as number) / 1000 - hollowMl)).toBeLessThan(0.15);
});

test('Cut to fit the bed: the phantom on a 120 mm Custom bed, one closed object per part in the 3MF, each within the bed; then a flat base', async ({ page }) => {
  test.skip(!existsSync(TOOL_3MF) || !existsSync(TOOL), `needs ${TOOL_3MF} and ${TOOL} (../shared/tools beside this clone)`);
  await openDemo(page);
  await makeModel(page);
  const wholeMl = num(await reportFigure(page, 'Volume'));
  await expect.poll(async () => (await sizeOf(page)).length).toBe(3);
  const scanned = await sizeOf(page);
  await page.getByLabel('Printer', { exact: true }).selectOption('custom');
  for (const side of ['width', 'depth', 'height']) await page.getByLabel(`Bed ${side} (mm)`).fill('120');
  await page.getByLabel('File format').selectOption({ label: '3MF' });
  await page.getByLabel('Cut to fit the bed').check();
  // manifold-3d's worker does the cut (its own script policy allows its eval; the page's does not)
  const note = page.getByTestId('cut-note');
  await expect(note).toContainText(/^Cut into \d+ parts; each fits the 120 × 120 × 120 mm bed\.$/, { timeout: 120_000 });
  const n = num((await note.textContent())!);
  expect(n).toBeGreaterThanOrEqual(2);
  const file = await download(page, '3MF');
  expect(file.name).toMatch(/\.3mf$/);
  const checked = JSON.parse(execFileSync('python3', [TOOL_3MF, file.path], { encoding: 'utf8' }));
  const objects = checked.objects as { name: string; closed: boolean; volume_ml: number; bbox_min: number[]; bbox_max: number[] }[];
  console.log(`cut to a 120 mm bed: ${n} parts`, objects.map((o) => `${o.name}: ${o.volume_ml} mL, ${o.bbox_max.map((x, k) => (x - o.bbox_min[k]).toFixed(1)).join(' × ')} mm`));
  expect(checked.ok).toBe(true);
  expect(objects.map((o) => o.name)).toEqual(Array.from({ length: n }, (_, i) => `Part ${i + 1} of ${n}`));
  for (const o of objects) {
    expect(o.closed, `${o.name} closed`).toBe(true);
    o.bbox_max.forEach((x, k) => expect(x - o.bbox_min[k], `${o.name} side ${k}`).toBeLessThanOrEqual(120.001));
    expect(o.bbox_min[2], `${o.name} stands on the bed`).toBeCloseTo(0, 2);
  }
  // the parts make the whole model (the report's volume, within its rounding and 0.5 %)
  const sum = objects.reduce((s, o) => s + o.volume_ml, 0);
  expect(Math.abs(sum - wholeMl)).toBeLessThan(0.005 * wholeMl + 0.1);

  // Flat base (no cut): the model as scanned standing in a 2 mm slab under its lowest point, one closed
  // solid, 2 mm taller, its outline the model's own seen from below
  await page.getByLabel('Cut to fit the bed').uncheck();
  await page.getByLabel('Flat base').check();
  await expect(page.getByLabel('Base thickness (mm)')).toHaveValue('2');
  await expect(page.getByTestId('base-note')).toContainText(/^On a 2 mm flat base: first layer [\d,]+ mm², holds\.$/, { timeout: 120_000 });
  const based = await download(page, 'STL');
  const basedCheck = checkTopology(based.path);
  console.log('flat base:', await page.getByTestId('base-note').textContent(), 'check_stl size', basedCheck.size_mm);
  expect(basedCheck.ok, JSON.stringify(basedCheck)).toBe(true);
  const size = basedCheck.size_mm as number[];
  expect(Math.abs(size[0] - scanned[0])).toBeLessThan(0.15);
  expect(Math.abs(size[1] - scanned[1])).toBeLessThan(0.15);
  expect(Math.abs(size[2] - scanned[2] - 2)).toBeLessThan(0.15);
});

test('the abdomen CT\'s bone: hollow at 2 mm (thinnest wall and material saved shown), cut to a 150 mm bed (closed parts that each fit), on the bed with a flat base it slices', async ({ page }) => {
  needsShared();
  test.skip(!existsSync(TOOL_3MF) || !existsSync(TOOL), `needs ${TOOL_3MF} and ${TOOL}`);
  test.setTimeout(600_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('ct_abdomen_tcia_pancreas'));
  await expect(page.getByRole('status')).toContainText('512 × 512 × 96 voxels', { timeout: 120_000 });
  const report = page.getByRole('region', { name: 'Printability report' });

  // hollow at 2 mm: the report says what it saved and how thin the thinnest wall is
  await page.getByLabel('Hollow').check();
  await expect(page.getByLabel('Wall thickness (mm)')).toHaveValue('2');
  await makeModel(page);
  await expect(report).toContainText(/Thinnest wall\s*\d+\.\d+ mm/, { timeout: 120_000 });
  const savedMl = num(await reportFigure(page, 'Material saved'));
  const hollowMl = num(await reportFigure(page, 'Volume'));
  console.log(`abdomen bone hollow at 2 mm: ${hollowMl} mL, saved ${savedMl} mL, thinnest wall ${await reportFigure(page, 'Thinnest wall')}`);
  expect(savedMl).toBeGreaterThan(1);

  // cut to a 150 mm bed: several closed parts in one 3MF, each within the bed
  await page.getByLabel('Printer', { exact: true }).selectOption('custom');
  for (const side of ['width', 'depth', 'height']) await page.getByLabel(`Bed ${side} (mm)`).fill('150');
  await page.getByLabel('File format').selectOption({ label: '3MF' });
  await page.getByLabel('Cut to fit the bed').check();
  const note = page.getByTestId('cut-note');
  await expect(note).toContainText(/^Cut into \d+ parts; each fits the 150 × 150 × 150 mm bed\.$/, { timeout: 300_000 });
  const file = await download(page, '3MF');
  const checked = JSON.parse(execFileSync('python3', [TOOL_3MF, file.path], { encoding: 'utf8' }));
  const objects = checked.objects as { name: string; closed: boolean; volume_ml: number; bbox_min: number[]; bbox_max: number[] }[];
  console.log(`abdomen bone cut to a 150 mm bed: ${objects.length} parts`, objects.map((o) => o.bbox_max.map((x, k) => (x - o.bbox_min[k]).toFixed(0)).join('×')).join(', '));
  expect(checked.ok).toBe(true);
  expect(objects.length).toBeGreaterThanOrEqual(2);
  for (const o of objects) {
    expect(o.closed, `${o.name} closed`).toBe(true);
    o.bbox_max.forEach((x, k) => expect(x - o.bbox_min[k], `${o.name} side ${k}`).toBeLessThanOrEqual(150.001));
  }

  // whole, on a big bed, flat side down on a 2 mm base: PrusaSlicer slices it (a first layer that holds)
  // (the printer is set while the model is current: a stale model hides its report and printer)
  await page.getByLabel('Cut to fit the bed').uncheck();
  for (const side of ['width', 'depth', 'height']) await page.getByLabel(`Bed ${side} (mm)`).fill('320');
  await page.getByLabel('Hollow').uncheck();
  await makeModel(page);
  await page.getByLabel('Placement').selectOption({ label: 'On the printer bed (flat side down)' });
  await page.getByLabel('Flat base').check();
  await expect(page.getByTestId('base-note')).toContainText(/holds\.$/, { timeout: 120_000 });
  const based = await download(page, 'STL');
  let out: string;
  try {
    out = execFileSync('bash', [TOOL, based.path], { encoding: 'utf8', timeout: 400_000 });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '{}';
  }
  const sliced = JSON.parse(out.trim().split('\n').pop() || '{}');
  console.log('abdomen bone on a flat base:', await page.getByTestId('base-note').textContent(), 'sliced', sliced.sliced, sliced.slice?.print_time);
  expect(sliced.ok, JSON.stringify(sliced.reasons)).toBe(true);
  expect(sliced.sliced).toBe(true);
});
