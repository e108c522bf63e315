import { test, expect, type Page, makeModel, needsShared } from './fixtures';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { canvasStats, sharedData } from './helpers';

test('a CD export with a localizer, screenshots and a DICOMDIR: the 28-slice axial series is chosen', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('mixed_philips_ct_cdexport'));
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 28 voxels', { timeout: 150_000 });
  await expect(status).toContainText('0.45 × 0.45 × 5 mm');
  await expect(status).toContainText(/STD BRAIN/i);
  // The other files were not silently dropped: the notes say what was skipped.
  const notes = page.getByLabel('Notes about this scan');
  await expect(notes).toContainText(/Skipped \d+ files?: \d+ DICOMDIR/);
  await expect(notes).toContainText('localizer');
  await expect(notes).toContainText('secondary capture (screenshot)');
  const axial = await canvasStats(page.getByLabel('Axial', { exact: true }));
  expect(axial.nonBlank).toBeGreaterThan(0.05);
});

test('JPEG 2000 series with no file extension and empty UIDs loads through "Open files"', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  const dir = sharedData('codecs/ct_series_jpeg2000_no_ext');
  await page.getByLabel('Open files').setInputFiles(readdirSync(dir).map((f) => `${dir}/${f}`));
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 20 voxels', { timeout: 150_000 });
  await expect(status).toContainText('0.98 × 0.98 × 2 mm');
  // Decoded pixels, not an empty volume: the views show structure and the bone overlay finds bone.
  for (const name of ['Axial', 'Sagittal', 'Coronal']) {
    const s = await canvasStats(page.getByLabel(name, { exact: true }));
    expect(s.stddev, `${name} view has structure`).toBeGreaterThan(10);
  }
  await makeModel(page);
});

test('a folder with no image series gives a clear message and the app keeps working', async ({ page }) => {
  needsShared();
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('nonimage/sr'));
  await expect(page.getByRole('alert')).toContainText(/no (image|volume)/i, { timeout: 60_000 });
  // Still usable afterwards.
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
});

test('files dropped onto the page load too (the drop falls back to dataTransfer.files)', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  const dir = sharedData('mixed_philips_ct_cdexport/S21570/S2010');
  await page.getByRole('region', { name: 'Drop a scan here' }).drop({ files: readdirSync(dir).map((f) => `${dir}/${f}`) });
  await expect(page.getByRole('status')).toContainText('512 × 512 × 28 voxels', { timeout: 150_000 });
});

// Inputs built by the tests go to a fresh temp folder (never into the repo); data is read from ../shared/data.
const scratchDirs: string[] = [];
const scratch = () => scratchDirs[scratchDirs.push(mkdtempSync(join(tmpdir(), 'intake-e2e-'))) - 1];
test.afterAll(() => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const GE_HEAD = sharedData('ct_head_ge_gantry_tilt');

test('a NIfTI file opened with "Open files" loads with its geometry and makes a printable model', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByLabel('Open files').setInputFiles(sharedData('nifti/ct_abdomen_totalsegmentator_example_ct.nii.gz'));
  const status = page.getByRole('status');
  await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  await expect(status).toContainText('3 × 3 × 3 mm');
  await makeModel(page);
});

test('a zip of a DICOM folder opened with "Open files" loads the series', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  const entries: Record<string, Uint8Array> = {};
  for (const f of readdirSync(GE_HEAD)) entries[`ct_head_ge_gantry_tilt/${f}`] = readFileSync(join(GE_HEAD, f));
  const zip = join(scratch(), 'ct_head.zip');
  writeFileSync(zip, zipSync(entries, { level: 1 }));
  await page.goto('/');
  await page.getByLabel('Open files').setInputFiles(zip);
  await expect(page.getByRole('status')).toContainText('512 × 512 × 37 voxels', { timeout: 150_000 });
});

test('a zip bomb is refused with a message naming it, and the page keeps working', async ({ page }) => {
  // 2 MiB of zeros (a few KiB zipped) whose central directory claims ~4 GiB
  const bomb = zipSync({ 'zeros.dcm': new Uint8Array(2 ** 21) }, { level: 9 });
  const cd = bomb.length - 22 - 46 - 'zeros.dcm'.length;
  new DataView(bomb.buffer, bomb.byteOffset).setUint32(cd + 24, 0xfffffff0, true);
  const path = join(scratch(), 'bomb.zip');
  writeFileSync(path, bomb);
  await page.goto('/');
  await page.getByLabel('Open files').setInputFiles(path);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('bomb.zip: refused', { timeout: 30_000 });
  await expect(alert).toContainText('Unzip it yourself');
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
});

test('a folder with damaged files: the series loads and the notes name each bad file', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  const dir = join(scratch(), 'scan');
  mkdirSync(dir);
  for (const f of readdirSync(GE_HEAD)) writeFileSync(join(dir, f), readFileSync(join(GE_HEAD, f)));
  const first = readFileSync(join(GE_HEAD, '01.dcm'));
  writeFileSync(join(dir, 'empty.dcm'), new Uint8Array(0));
  writeFileSync(join(dir, 'junk.dcm'), randomBytes(5000));
  writeFileSync(join(dir, 'cut.dcm'), first.subarray(0, first.length >> 1));
  // Rows and Columns ((0028,0010), (0028,0011), explicit VR US) set to 60000
  const huge = Buffer.from(first);
  const at = huge.indexOf(Buffer.from([0x28, 0, 0x10, 0, 0x55, 0x53, 2, 0]));
  huge.writeUInt16LE(60000, at + 8);
  huge.writeUInt16LE(60000, at + 18);
  writeFileSync(join(dir, 'huge.dcm'), huge);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(dir);
  await expect(page.getByRole('status')).toContainText('512 × 512 × 37 voxels', { timeout: 150_000 });
  const notes = page.getByLabel('Notes about this scan');
  await expect(notes).toContainText('empty.dcm: the file is empty (0 bytes)');
  await expect(notes).toContainText('junk.dcm: named like a DICOM file, but its content is not DICOM');
  await expect(notes).toContainText('cut.dcm: the file ends too early (truncated)');
  await expect(notes).toContainText('huge.dcm: the header says 60000 × 60000 pixels');
  await expect(notes).toContainText(/Skipped 4 files/);
});

// ---- series picker (needs <SeriesPicker> wired under the IntakePanel in App.tsx) ----

/** Every thumbnail in the list has loaded and has a non-zero size. */
async function expectThumbnails(list: ReturnType<Page['getByRole']>, count: number) {
  const imgs = list.locator('img');
  await expect(imgs).toHaveCount(count, { timeout: 60_000 });
  for (const img of await imgs.all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0)).toBe(true);
    const box = (await img.boundingBox())!;
    expect(box.width).toBeGreaterThan(0);
    expect(box.height).toBeGreaterThan(0);
  }
}

test('series picker: a CD export lists the axial series as current and the localizer and screenshots as not volumes', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('mixed_philips_ct_cdexport'));
  await expect(page.getByRole('status')).toContainText('512 × 512 × 28 voxels', { timeout: 150_000 });
  const list = page.getByRole('list', { name: 'Series in this folder' });
  await expect(list).toBeVisible();
  const items = list.getByRole('listitem');
  await expect(items).toHaveCount(5);
  const axial = list.getByRole('button', { name: /^STD BRAIN 5MM, CT, 28 slices, 512 × 512, 0\.45 × 0\.45 × 5 mm/ });
  await expect(axial).toHaveAttribute('aria-current', 'true');
  await expect(axial).toBeEnabled();
  // the axial series is listed first (the default)
  await expect(items.first().getByRole('button')).toHaveAttribute('aria-current', 'true');
  const localizer = list.getByRole('button', { name: /1 image, 512 × 256, .*not a volume: localizer/ });
  await expect(localizer).toBeDisabled();
  await expect(localizer).not.toHaveAttribute('aria-current', 'true');
  await expect(list.getByRole('button', { name: /^Exam Summary, CT, .*not a volume: secondary capture \(screenshot\)/ })).toHaveCount(3);
  await expect(list.locator('[aria-current="true"]')).toHaveCount(1);
  // thumbnails of every entry that has a grey or 8-bit RGB image (here: all five)
  await expectThumbnails(list, 5);
});

test('series picker: two series in one folder, the larger loads first and the other loads on a click', async ({ page }) => {
  needsShared();
  test.setTimeout(300_000);
  const dir = join(scratch(), 'two-series');
  const J2K = sharedData('codecs/ct_series_jpeg2000_no_ext');
  for (const [from, to] of [[GE_HEAD, 'ge'], [J2K, 'j2k']]) {
    mkdirSync(join(dir, to), { recursive: true });
    for (const f of readdirSync(from)) writeFileSync(join(dir, to, f), readFileSync(join(from, f)));
  }
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(dir);
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 37 voxels', { timeout: 150_000 });
  const list = page.getByRole('list', { name: 'Series in this folder' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  const ge = list.getByRole('button', { name: /, CT, 28 slices, 512 × 512, 0\.49 × 0\.49 × / });
  const body = list.getByRole('button', { name: 'CT Body 3.0, CT, 20 slices, 512 × 512, 0.98 × 0.98 × 2 mm' });
  await expect(ge).toHaveAttribute('aria-current', 'true');
  await expect(body).not.toHaveAttribute('aria-current', 'true');
  await expectThumbnails(list, 2);

  await body.click();
  await expect(status).toContainText('CT Body 3.0: 512 × 512 × 20 voxels, 0.98 × 0.98 × 2 mm', { timeout: 150_000 });
  await expect(body).toHaveAttribute('aria-current', 'true');
  await expect(ge).not.toHaveAttribute('aria-current', 'true');
  // the new series is on screen: the views show structure
  await expect.poll(async () => (await canvasStats(page.getByLabel('Axial', { exact: true }))).stddev, { timeout: 30_000 }).toBeGreaterThan(10);
  // the list stays (same files), with its thumbnails
  await expectThumbnails(list, 2);

  // and back to the first one
  await ge.click();
  await expect(status).toContainText('512 × 512 × 37 voxels', { timeout: 150_000 });
  await expect(ge).toHaveAttribute('aria-current', 'true');
});

test('series picker: not shown when the files hold a single series', async ({ page }) => {
  needsShared();
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('mixed_philips_ct_cdexport/S21570/S2010'));
  await expect(page.getByRole('status')).toContainText('512 × 512 × 28 voxels', { timeout: 150_000 });
  await expect(page.getByRole('list', { name: 'Series in this folder' })).toHaveCount(0);
});
