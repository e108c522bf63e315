import { test, expect, needsShared } from './fixtures';
import { readFileSync } from 'node:fs';
import { checkMesh } from '../workers/core/meshCheck';
import { parseBinaryStl } from '../workers/core/stl';
import { weldTriangles } from '../workers/core/weld';
import { canvasStats, checkStl, saveDownload, sharedData } from './helpers';

// every test here reads the public datasets in ../shared/data
needsShared();

// ../shared/data/ct_abdomen_tcia_pancreas: 96 slices 512×512, pixel spacing 1.0742 mm, 3 mm apart,
// IOP identity; InstanceNumber 39→134 runs from z +370.9 down to +85.9.
test('real CT folder through "Open folder": three views, live overlay, closed STL inside the scan', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('ct_abdomen_tcia_pancreas'));
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 96 voxels', { timeout: 150_000 });
  await expect(status).toContainText('1.07 × 1.07 × 3 mm');
  const load = await page.evaluate(() => performance.getEntriesByName('load').map((e) => e.duration));
  expect(load.length).toBeGreaterThan(0);
  console.log(`real CT load: ${Math.round(load[load.length - 1])} ms`);

  for (const name of ['Axial', 'Sagittal', 'Coronal']) {
    const s = await canvasStats(page.getByLabel(name, { exact: true }));
    expect(s.nonBlank, `${name} view shows the scan`).toBeGreaterThan(0.05);
    expect(s.stddev, `${name} view has structure`).toBeGreaterThan(10);
  }

  // The overlay is on at the default (bone) threshold, and follows the slider: a lower threshold
  // (fat and up) colours far more of the axial slice than bone alone.
  const bone = await canvasStats(page.getByLabel('Axial', { exact: true }));
  expect(bone.overlay, 'bone overlay visible').toBeGreaterThan(0.002);
  const lower = page.getByRole('slider', { name: 'Lower threshold (HU)' });
  await lower.fill('-200');
  await expect(page.getByRole('spinbutton', { name: 'Lower threshold (HU)' })).toHaveValue('-200');
  await expect
    .poll(async () => (await canvasStats(page.getByLabel('Axial', { exact: true }))).overlay, { timeout: 20_000 })
    .toBeGreaterThan(bone.overlay * 3);
  const updates = await page.evaluate(() => performance.getEntriesByName('overlay-update').length);
  expect(updates).toBeGreaterThan(0);
  await page.getByRole('group', { name: 'Tissue presets' }).getByRole('button', { name: 'Bone', exact: true }).click();
  await expect(page.getByRole('spinbutton', { name: 'Lower threshold (HU)' })).toHaveValue('300');

  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(status).toContainText('closed and printable', { timeout: 180_000 });
  const mesh = await page.evaluate(() => performance.getEntriesByName('mesh').map((e) => e.duration));
  console.log(`real CT mesh: ${Math.round(mesh[mesh.length - 1])} ms; ${await status.textContent()}`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download STL' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^[A-Za-z0-9_-]+\.stl$/);
  const path = await saveDownload(download);
  const bytes = readFileSync(path);
  const stl = parseBinaryStl(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const report = checkMesh(weldTriangles(stl.triangles));
  console.log(`real CT STL: ${report.triangles} triangles, ${(report.volumeMm3 / 1000).toFixed(1)} mL`);
  expect(report.boundaryEdges).toBe(0);
  expect(report.nonManifoldEdges).toBe(0);
  expect(report.inconsistentEdges).toBe(0);
  expect(report.volumeMm3).toBeGreaterThan(0);

  // Inside the scan's patient-space extent (LPS mm, from the files' ImagePositionPatient, pixel
  // spacing 1.0742 and IOP identity): x −275…273.9, y −178.1…370.8, z 85.9…370.9. The surface may
  // reach at most one voxel beyond the outermost voxel centres (it closes against background padding).
  const { min, max } = report.bbox;
  const px = 1.0742, slice = 3, eps = 0.01;
  expect(min[0]).toBeGreaterThanOrEqual(-275 - px - eps);
  expect(max[0]).toBeLessThanOrEqual(-275 + 511 * px + px + eps);
  expect(min[1]).toBeGreaterThanOrEqual(-178.1 - px - eps);
  expect(max[1]).toBeLessThanOrEqual(-178.1 + 511 * px + px + eps);
  expect(min[2]).toBeGreaterThanOrEqual(85.91 - slice - eps);
  expect(max[2]).toBeLessThanOrEqual(370.91 + slice + eps);
  expect(max[2] - min[2], 'the spine runs through the whole stack').toBeGreaterThan(250);

  // admesh and PrusaSlicer agree the mesh is closed, manifold and outward. This bone model (spine,
  // ribs, pelvis) is about 266 mm wide: more than PrusaSlicer's default 200 mm bed even after
  // check_stl.sh scales it to 240 mm, so its slicing step cannot pass; the head CT below slices.
  const check = checkStl(path);
  console.log(`check_stl.sh: ${JSON.stringify(check.json)}`);
  const j = check.json as { admesh: Record<string, number>; prusa: Record<string, unknown>; size_mm: number[] };
  expect(j.admesh).toMatchObject({ disconnected_facets: 0, degenerate: 0, facets_reversed: 0, facets_added: 0, backwards_edges: 0 });
  expect(j.prusa).toMatchObject({ manifold: 'yes', open_edges: 0, facets_reversed: 0 });
  expect(Math.max(j.size_mm[0], j.size_mm[1])).toBeGreaterThan(200);
});

// ../shared/data/ct_head_ge_gantry_tilt: a real head CT with 18.5° gantry tilt and uneven spacing.
test('real head CT (gantry tilt): the skull STL passes check_stl.sh completely, slicing included', async ({ page }) => {
  test.setTimeout(400_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('ct_head_ge_gantry_tilt'));
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 37 voxels', { timeout: 150_000 });
  await expect(page.getByLabel('Notes about this scan')).toContainText('Gantry tilt of 18.5°');
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(status).toContainText('closed and printable', { timeout: 180_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download STL' }).click()]);
  const path = await saveDownload(download);
  const check = checkStl(path);
  console.log(`head CT check_stl.sh: ${JSON.stringify(check.json)}`);
  expect(check.code).toBe(0);
  expect(check.json.ok).toBe(true);
  expect(check.json.sliced).toBe(true);
});
