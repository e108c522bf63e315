import { test, expect, download, makeModel, openDemo } from './fixtures';
import { writeFileSync } from 'node:fs';
import { checkMesh } from '../workers/core/meshCheck';
import { parseBinaryStl } from '../workers/core/stl';
import { weldTriangles } from '../workers/core/weld';
import { parse3mf, parseAsciiStl, parseObj, parsePly } from '../workers/core/writers';
import { checkStl, num, reportFigure } from './helpers';

const figure = reportFigure;

test('printability report and every export format: the files parse back to the reported mesh', async ({ page }) => {
  test.setTimeout(300_000);
  await openDemo(page);
  const status = page.getByRole('status');

  // Full detail, no smoothing: the raw marching-cubes surface.
  await page.getByLabel('Smoothing').selectOption({ label: 'Off' });
  await page.getByLabel('Detail').selectOption({ label: 'Full (every triangle)' });
  await makeModel(page);
  const full = num(await figure(page, 'Triangles'));
  await expect.poll(() => figure(page, 'Deviation')).toBe('none (full detail)');

  // dicom2stl's defaults: 25 smoothing passes, keep 10 % of the triangles.
  await page.getByLabel('Smoothing').selectOption({ label: 'Standard (25 passes)' });
  await page.getByLabel('Detail').selectOption({ label: 'Keep 10 % of the triangles' });
  await expect(status).toContainText('Settings changed');
  await expect(page.getByRole('region', { name: 'Printability report' })).toHaveCount(0);
  await makeModel(page);
  const report = page.getByRole('region', { name: 'Printability report' });
  await expect(report).toContainText('Ready to print');
  expect(await figure(page, 'Closed')).toContain('✔');
  expect(await figure(page, 'Manifold')).toContain('✔');
  expect(await figure(page, 'Pieces')).toBe('1 shell');
  const triangles = num(await figure(page, 'Triangles'));
  expect(Math.abs(triangles - 0.1 * full)).toBeLessThanOrEqual(2);
  const volumeMl = num(await figure(page, 'Volume'));
  // measured after the model is shown: "measuring…" until the figure comes
  await expect.poll(() => figure(page, 'Deviation'), { timeout: 30_000 }).toMatch(/^[\d.]+ mm from full detail$/);
  const deviation = num(await figure(page, 'Deviation'));
  expect(deviation).toBeGreaterThan(0);
  expect(deviation).toBeLessThan(1.5);
  const size = (await figure(page, 'Size')).split('×').map(num);
  expect(size).toHaveLength(3);
  await expect.poll(() => figure(page, 'File size')).toMatch(/MB \(STL\)/);
  // binary STL: 84 + 50 bytes per triangle
  expect(num(await figure(page, 'File size'))).toBeCloseTo((84 + 50 * triangles) / 1e6, 1);

  // STL: the report's figures are what admesh and PrusaSlicer read.
  const stlBytes = (await download(page, 'STL')).bytes;
  const stl = parseBinaryStl(new Uint8Array(stlBytes).buffer);
  const welded = checkMesh(weldTriangles(stl.triangles));
  expect(welded.triangles).toBe(triangles);
  expect(welded.closed && welded.manifold && welded.oriented).toBe(true);
  const path = `test-results/downloads/report-check-${Date.now()}.stl`;
  writeFileSync(path, stlBytes);
  const check = checkStl(path);
  expect(check.json.ok, JSON.stringify(check.json)).toBe(true);
  expect(check.json.facets).toBe(triangles);
  expect(check.json.parts).toBe(1);
  expect(Math.abs((check.json.volume_mm3 as number) / 1000 - volumeMl)).toBeLessThan(0.15);
  const checkSize = check.json.size_mm as number[];
  for (let i = 0; i < 3; i++) expect(Math.abs(checkSize[i] - size[i])).toBeLessThan(0.15);

  // Every other format holds the same triangles.
  const ascii = parseAsciiStl(((await download(page, 'STL (ASCII)')).bytes).toString('utf8'));
  expect(ascii.length / 9).toBe(triangles);
  const obj = parseObj(((await download(page, 'OBJ')).bytes).toString('utf8'));
  expect(obj.indices.length / 3).toBe(triangles);
  expect(checkMesh(obj).closed).toBe(true);
  const ply = parsePly(new Uint8Array((await download(page, 'PLY')).bytes));
  expect(ply.indices.length / 3).toBe(triangles);
  const threeMf = parse3mf(new Uint8Array((await download(page, '3MF')).bytes));
  expect(threeMf.unit).toBe('millimeter');
  expect(threeMf.mesh.indices.length / 3).toBe(triangles);
  const m = checkMesh(threeMf.mesh);
  expect(m.closed && m.manifold && m.oriented).toBe(true);
  expect(Math.abs(m.volumeMm3 / 1000 - volumeMl)).toBeLessThan(0.15);

  // On the printer bed at 50 %: lowest point at z = 0, centred, an eighth of the volume, still closed.
  await page.getByLabel('Placement').selectOption({ label: 'On the printer bed (flat side down)' });
  await page.getByLabel('Scale (%)').fill('50');
  await expect.poll(async () => num(await figure(page, 'Volume'))).toBeCloseTo(volumeMl / 8, 1);
  const bedBytes = (await download(page, 'STL')).bytes;
  const bed = checkMesh(weldTriangles(parseBinaryStl(new Uint8Array(bedBytes).buffer).triangles));
  expect(bed.closed && bed.manifold && bed.oriented).toBe(true);
  expect(Math.abs(bed.bbox.min[2])).toBeLessThan(1e-3);
  expect(Math.abs(bed.bbox.min[0] + bed.bbox.max[0])).toBeLessThan(0.01);
  expect(Math.abs(bed.bbox.min[1] + bed.bbox.max[1])).toBeLessThan(0.01);
  expect(Math.abs(bed.volumeMm3 / 1000 - volumeMl / 8)).toBeLessThan(0.05);
});

test('half resolution: about a quarter of the triangles, the same solid within a few per cent, still closed', async ({ page }) => {
  test.setTimeout(300_000);
  await openDemo(page);
  await page.getByRole('spinbutton', { name: 'Lower threshold (HU)' }).fill('500');
  await page.getByLabel('Smoothing').selectOption({ label: 'Off' });
  await page.getByLabel('Detail').selectOption({ label: 'Full (every triangle)' });
  await makeModel(page);
  const full = { triangles: num(await figure(page, 'Triangles')), ml: num(await figure(page, 'Volume')) };
  await page.getByLabel('Resolution').selectOption({ label: 'Half (2 × 2 × 2 voxels averaged)' });
  await makeModel(page);
  const half = { triangles: num(await figure(page, 'Triangles')), ml: num(await figure(page, 'Volume')) };
  console.log(`full ${full.triangles} triangles ${full.ml} mL, half ${half.triangles} triangles ${half.ml} mL`);
  expect(half.triangles / full.triangles).toBeGreaterThan(0.15);
  expect(half.triangles / full.triangles).toBeLessThan(0.35);
  expect(Math.abs(half.ml / full.ml - 1)).toBeLessThan(0.05);
  expect(await figure(page, 'Pieces')).toBe('1 shell');
});

test('every build on fresh workers: once a model’s deviation is in, the build workers are replaced, and the next model and its file come as before', async ({ page }) => {
  test.setTimeout(180_000);
  // the page's workers by name (the build pool's are mesh-0, mesh-1…), and whether each has stopped
  const workers: { name: string; closed: boolean }[] = [];
  page.on('worker', (w) => {
    const me = { name: '', closed: false };
    workers.push(me);
    w.on('close', () => (me.closed = true));
    w.evaluate(() => self.name).then((n) => (me.name = n), () => {});
  });
  const buildWorkers = () => workers.filter((w) => /^mesh-\d+$/.test(w.name) && !w.closed);
  await openDemo(page);
  const pool = await page.evaluate(() => Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8)));
  await expect.poll(() => buildWorkers().length).toBe(pool);
  const first = buildWorkers();
  await makeModel(page);
  await expect.poll(() => figure(page, 'Deviation'), { timeout: 30_000 }).toMatch(/^[\d.]+ mm from full detail$/);
  // the workers that built it stop once idle, and as many fresh ones start
  await expect.poll(() => first.every((w) => w.closed), { timeout: 15_000 }).toBe(true);
  await expect.poll(() => buildWorkers().length, { timeout: 15_000 }).toBe(pool);
  expect(buildWorkers().some((w) => first.includes(w))).toBe(false);

  await page.getByLabel('Smoothing').selectOption({ label: 'Off' });
  await expect(page.getByRole('status')).toContainText('Settings changed');
  await makeModel(page);
  await expect.poll(() => figure(page, 'Deviation'), { timeout: 30_000 }).toMatch(/^[\d.]+ mm from full detail$/);
  const stl = parseBinaryStl(new Uint8Array((await download(page, 'STL')).bytes).buffer);
  const mesh = checkMesh(weldTriangles(stl.triangles));
  expect(mesh.triangles).toBe(num(await figure(page, 'Triangles')));
  expect(mesh.closed && mesh.manifold && mesh.oriented).toBe(true);
});
