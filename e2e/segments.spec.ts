// Segments (issue 10) in the browser, kept lean: Add segment from the threshold and a brush/eraser edit
// with undo/redo to the voxel, and scissors by mouse (the demo phantom); a TotalSegmentator label map
// opened with its CT, checked against voxel counts read here in Node; two DICOM SEGs and an NRRD opened
// with their three CT slices; two segments made into one 3MF that ../shared/tools/check_3mf.py accepts.
// The editing operations themselves are unit-tested in workers/core.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { download, expect, makeModel, needsShared, openDemo, test, type Page } from './fixtures';
import { HAS_SHARED, sharedData } from './helpers';

// ---- an independent reader: voxels per label straight from the NIfTI file ----

interface LabelCounts {
  voxelMm3: number;
  /** label value → voxels */
  counts: Map<number, number>;
}

/** A NIfTI-1 label map (gzip or not, integer types): how many voxels hold each non-zero value. */
function niftiCounts(bytes: Buffer): LabelCounts {
  const b = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const n = b.readInt16LE(42) * b.readInt16LE(44) * b.readInt16LE(46);
  const voxelMm3 = Math.abs(b.readFloatLE(80) * b.readFloatLE(84) * b.readFloatLE(88));
  const read = { 2: (i: number) => b.readUInt8(i), 4: (i: number) => b.readInt16LE(i), 512: (i: number) => b.readUInt16LE(i), 8: (i: number) => b.readInt32LE(i) }[
    b.readInt16LE(70) as 2 | 4 | 512 | 8
  ];
  expect(read, 'an integer label map').toBeDefined();
  const size = b.readInt16LE(72) / 8;
  const offset = b.readFloatLE(108);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = read(offset + i * size);
    if (v > 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { voxelMm3, counts };
}

// ---- the page ----

interface Row {
  name: string;
  voxels: number;
  ml: number;
  colour: string;
  shown: boolean;
}

const segmentList = (page: Page) => page.getByRole('list', { name: 'Segments', exact: true });

/** Every row of the segments list, as shown. */
async function rows(page: Page): Promise<Row[]> {
  return segmentList(page)
    .getByRole('listitem')
    .evaluateAll((lis) =>
      lis.map((li) => ({
        name: li.querySelector('.segment-name')!.textContent!,
        voxels: Number(li.querySelector('.segment-ml')!.getAttribute('title')!.replace(/[^\d]/g, '')),
        ml: parseFloat(li.querySelector('.segment-ml')!.textContent!),
        colour: (li.querySelector('input[type=color]') as HTMLInputElement).value,
        shown: (li.querySelector('input[type=checkbox]') as HTMLInputElement).checked,
      })),
    );
}

/** Waits for `n` segments and no segment work running. */
async function segmentsReady(page: Page, n: number): Promise<Row[]> {
  await expect.poll(async () => (await rows(page)).length, { timeout: 60_000 }).toBe(n);
  await expect(page.locator('.segments > p.muted[aria-live]')).toHaveText('', { timeout: 60_000 });
  return rows(page);
}

/** The voxels of the first segment, once they differ from `not`. */
async function voxelsAfter(page: Page, not: number): Promise<number> {
  await expect.poll(async () => (await rows(page))[0].voxels).not.toBe(not);
  return (await rows(page))[0].voxels;
}

/** The displayed mL value stands for `voxels` × `voxelMm3`, within its rounding. */
function expectMl(shown: number, voxels: number, voxelMm3: number) {
  const ml = (voxels * voxelMm3) / 1000;
  const digits = ml >= 100 ? 0 : ml >= 10 ? 1 : 2;
  expect(Math.abs(shown - ml)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
}

// ---- the demo head phantom: 0.9 × 0.9 × 1.25 mm voxels ----

const VOXEL_MM3 = 0.9 * 0.9 * 1.25;

test('Add segment from the threshold: a row with name, colour and mL; a brush ball and the eraser change it, undo and redo restore it to the voxel', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Add segment' }).click();
  const [bone] = await segmentsReady(page, 1);
  await expect(segmentList(page).getByRole('listitem')).toHaveCount(1);
  expect(bone.name).toBe('Bone');
  expect(bone.colour).toMatch(/^#[0-9a-f]{6}$/);
  expect(bone.shown).toBe(true);
  expect(bone.voxels).toBeGreaterThan(10_000);
  expectMl(bone.ml, bone.voxels, VOXEL_MM3);

  // a click in the middle of the axial view (brain, no bone) paints a ball of the radius onto Bone
  await page.getByRole('button', { name: 'Paint', exact: true }).click();
  const r = 8;
  await page.getByLabel('Brush radius (mm)').fill(String(r));
  const box = (await page.getByLabel('Axial', { exact: true }).boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.click(cx, cy);
  const painted = await voxelsAfter(page, bone.voxels);
  const ball = ((4 / 3) * Math.PI * r ** 3) / VOXEL_MM3;
  console.log(`brush r = ${r} mm: +${painted - bone.voxels} voxels, a ball holds ${ball.toFixed(0)}`);
  expect(Math.abs(painted - bone.voxels - ball) / ball).toBeLessThan(0.03);
  expectMl((await rows(page))[0].ml, painted, VOXEL_MM3);

  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await rows(page))[0].voxels).toBe(bone.voxels);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(async () => (await rows(page))[0].voxels).toBe(painted);

  // the eraser at the same place and radius takes exactly the ball away again
  await page.getByRole('button', { name: 'Erase', exact: true }).click();
  await page.mouse.click(cx, cy);
  await expect.poll(async () => (await rows(page))[0].voxels).toBe(bone.voxels);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await rows(page))[0].voxels).toBe(painted);
});

// ---- the TotalSegmentator CT (122 × 101 × 30) and its 41-label map ----

const TS = 'labels/totalsegmentator_ct_sm';
const CLASSES: Record<string, string> = HAS_SHARED ? JSON.parse(readFileSync(sharedData('labels/totalsegmentator_classes_total.json'), 'utf8')) : {};

test('a TotalSegmentator label map opened with its CT: registered onto the scan as 41 segments named from the class table, with the voxel counts of the file', async ({ page }) => {
  needsShared();
  const labels = niftiCounts(readFileSync(sharedData(`${TS}/labels.nii.gz`)));
  await page.goto('/');
  await page.getByLabel('Open files').setInputFiles([sharedData(`${TS}/ct.nii.gz`), sharedData(`${TS}/labels.nii.gz`)]);
  await expect(page.getByRole('status')).toContainText('122 × 101 × 30 voxels', { timeout: 60_000 });
  const got = await segmentsReady(page, labels.counts.size);
  expect(got.length).toBe(41);
  const expected = new Map([...labels.counts].map(([v, n]) => [CLASSES[String(v)], n]));
  for (const r of got) {
    expect(expected.has(r.name), `${r.name} is a class of the file`).toBe(true);
    expect(r.voxels, r.name).toBe(expected.get(r.name));
    expectMl(r.ml, r.voxels, labels.voxelMm3);
  }
  expect(new Set(got.map((r) => r.colour)).size, 'colours per segment').toBeGreaterThan(5);
  await expect(page.getByRole('list', { name: 'Import and edit notes' })).toContainText('labels.nii.gz: 41 segments imported (NIfTI)');
  const ms = await page.evaluate(() => ['segments-import', 'segments-import-worker'].map((n) => performance.getEntriesByName(n, 'measure').pop()?.duration ?? NaN));
  console.log(`41 segments imported in ${ms[0].toFixed(0)} ms after the scan (${ms[1].toFixed(0)} ms in the worker)`);
});

test('Make 3D model with two shown segments: one 3MF that check_3mf.py reads as two named, coloured, closed objects of their labels\' volumes', async ({ page }) => {
  needsShared();
  const labels = niftiCounts(readFileSync(sharedData(`${TS}/labels.nii.gz`)));
  await page.goto('/');
  await page.getByLabel('Open files').setInputFiles(sharedData(`${TS}/ct.nii.gz`));
  await expect(page.getByRole('status')).toContainText('122 × 101 × 30 voxels', { timeout: 60_000 });
  await page.getByLabel('Import segmentation').setInputFiles(sharedData(`${TS}/labels.nii.gz`));
  await segmentsReady(page, 41);
  await page.getByRole('button', { name: 'Hide all' }).click();
  const names = ['aorta', 'vertebrae_L1'];
  for (const name of names) await page.getByRole('checkbox', { name: `Show ${name}`, exact: true }).check();
  const shown = (await rows(page)).filter((r) => r.shown);
  expect(shown.map((r) => r.name).sort()).toEqual(names);
  await makeModel(page, /2 segments, .*closed and printable/);

  const file = await download(page, '3MF');
  expect(file.name).toMatch(/\.3mf$/);
  const checked = JSON.parse(execFileSync('python3', [resolve('..', 'shared', 'tools', 'check_3mf.py'), file.path], { encoding: 'utf8' }));
  expect(checked.ok).toBe(true);
  expect(checked.unit).toBe('millimeter');
  expect(checked.objects.map((o: { name: string }) => o.name).sort()).toEqual(names);
  for (const o of checked.objects as { name: string; color: string | null; closed: boolean; volume_ml: number; built: boolean; triangles: number }[]) {
    const r = shown.find((x) => x.name === o.name)!;
    expect(o.closed, `${o.name} closed`).toBe(true);
    expect(o.built, `${o.name} placed`).toBe(true);
    expect(o.color?.slice(0, 7).toLowerCase(), `${o.name} colour`).toBe(r.colour);
    const voxels = labels.counts.get(Number(Object.keys(CLASSES).find((k) => CLASSES[k] === o.name)))!;
    const ml = (voxels * labels.voxelMm3) / 1000;
    console.log(`${o.name}: ${o.volume_ml} mL mesh, ${ml.toFixed(3)} mL voxels (${voxels}), ${o.triangles} triangles`);
    expect(Math.abs(o.volume_ml - ml) / ml, `${o.name} volume`).toBeLessThan(0.03);
  }
});

test('scissors by mouse: an outline around the left half of the axial view erases that half through the volume; undo restores it', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Add segment' }).click();
  const [bone] = await segmentsReady(page, 1);
  await page.getByRole('button', { name: 'Scissors', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Scissors' })).toHaveValue('erase-inside');
  // a freehand outline: down at a corner, along the four sides of the left half, up where it began
  const box = (await page.getByLabel('Axial', { exact: true }).boundingBox())!;
  const [x0, x1, y0, y1] = [box.x + 3, box.x + box.width / 2, box.y + 3, box.y + box.height - 3];
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (const [x, y] of [[x1, y0], [x1, y1], [x0, y1], [x0, y0 + 1]]) await page.mouse.move(x, y, { steps: 8 });
  await page.mouse.up();
  const cut = await voxelsAfter(page, bone.voxels);
  const kept = cut / bone.voxels;
  console.log(`scissors: ${bone.voxels} → ${cut} voxels (${(100 * kept).toFixed(1)} % kept)`);
  // the phantom's skull is nearly symmetric left–right: about half of it is left
  expect(kept).toBeGreaterThan(0.35);
  expect(kept).toBeLessThan(0.65);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await rows(page))[0].voxels).toBe(bone.voxels);
});

test('three CT slices opened with two DICOM SEGs and an NRRD label map: every segment registered by position, with its name, colour and voxels', async ({ page }) => {
  needsShared();
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('labels/dcmqi_ct_3slice'));
  await expect(page.getByRole('status')).toContainText('512 × 512 × 3 voxels', { timeout: 60_000 });
  const notes = page.getByRole('list', { name: 'Import and edit notes' });
  await expect(notes).toContainText('seg_liver.dcm', { timeout: 60_000 });
  await expect(notes).toContainText('seg_partial_overlaps.dcm');
  await expect(notes).toContainText('labels_liver_spine.nrrd');
  const got = await rows(page);
  const by = (name: string) => got.filter((r) => r.name === name);
  // values from the files as dcmqi wrote them (checked independently in workers/intake/labels/dicomSeg.test.ts)
  const overlaps: [string, number, string][] = [
    ['GREEN', 9602, '#80ae80'],
    ['ORANGE', 11888, '#d8654f'],
    ['PURPLE', 10743, '#b79cdc'],
    ['LIGHT_BLUE', 6693, '#8ce0e4'],
    ['DARK_BLUE', 4713, '#0097ce'],
  ];
  for (const [name, voxels, colour] of overlaps) {
    expect(by(name).length, name).toBe(1);
    expect(by(name)[0].voxels, name).toBe(voxels);
    expect(by(name)[0].colour, name).toBe(colour);
  }
  // the liver twice, as the SEG ("Liver") and as the NRRD's label 1 (a plain label map: no names): the same voxels
  expect(got.length).toBe(8);
  await expect(notes).toContainText('labels_liver_spine.nrrd: 2 segments imported (NRRD): Label 1, Label 2');
  expect(by('Liver')[0].voxels).toBe(107098);
  expect(by('Label 1')[0].voxels).toBe(107098);
});
