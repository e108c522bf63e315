import { test, expect } from '@playwright/test';
import { canvasStats, sharedData, trackForeignRequests } from './helpers';

test('a CD export with a localizer, screenshots and a DICOMDIR: the 28-slice axial series is chosen', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const foreign = trackForeignRequests(page, baseURL!);
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
  expect(foreign).toEqual([]);
});

test('JPEG 2000 series with no file extension and empty UIDs loads through "Open files"', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const foreign = trackForeignRequests(page, baseURL!);
  await page.goto('/');
  const dir = sharedData('codecs/ct_series_jpeg2000_no_ext');
  const { readdirSync } = await import('node:fs');
  await page.getByLabel('Open files').setInputFiles(readdirSync(dir).map((f) => `${dir}/${f}`));
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 20 voxels', { timeout: 150_000 });
  await expect(status).toContainText('0.98 × 0.98 × 2 mm');
  // Decoded pixels, not an empty volume: the views show structure and the bone overlay finds bone.
  for (const name of ['Axial', 'Sagittal', 'Coronal']) {
    const s = await canvasStats(page.getByLabel(name, { exact: true }));
    expect(s.stddev, `${name} view has structure`).toBeGreaterThan(10);
  }
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(status).toContainText('closed and printable', { timeout: 120_000 });
  expect(foreign).toEqual([]);
});

test('a folder with no image series gives a clear message and the app keeps working', async ({ page, baseURL }) => {
  const foreign = trackForeignRequests(page, baseURL!);
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(sharedData('nonimage/sr'));
  await expect(page.getByRole('alert')).toContainText(/no (image|volume)/i, { timeout: 60_000 });
  // Still usable afterwards.
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('256 × 256 × 160 voxels', { timeout: 60_000 });
  expect(foreign).toEqual([]);
});

test('files dropped onto the page load too (the drop falls back to dataTransfer.files)', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const foreign = trackForeignRequests(page, baseURL!);
  await page.goto('/');
  const { readdirSync } = await import('node:fs');
  const dir = sharedData('mixed_philips_ct_cdexport/S21570/S2010');
  await page.getByRole('region', { name: 'Load a scan' }).drop({ files: readdirSync(dir).map((f) => `${dir}/${f}`) });
  await expect(page.getByRole('status')).toContainText('512 × 512 × 28 voxels', { timeout: 150_000 });
  expect(foreign).toEqual([]);
});
