// Every dataset in ../shared/data, opened as a folder: the default series and its size, or a clear
// message, what was skipped, and never a page error. Expectations from ../shared/data/README.md.
import { test, expect, needsShared } from './fixtures';
import { sharedData } from './helpers';

// every test here reads the public datasets in ../shared/data
needsShared();

interface Case {
  folder: string;
  /** status text when a volume loads: "W × H × D voxels" and spacing */
  voxels?: string;
  spacing?: string;
  /** text expected in the notes (skipped files, warnings) */
  notes?: RegExp[];
  /** text of the error when nothing can load */
  error?: RegExp;
}

const CASES: Case[] = [
  { folder: 'ct_abdomen_tcia_pancreas', voxels: '512 × 512 × 96 voxels', spacing: '1.07 × 1.07 × 3 mm' },
  {
    folder: 'ct_head_ge_gantry_tilt',
    voxels: '512 × 512 × 37 voxels',
    spacing: '0.49 × 0.49 × 4.22 mm',
    notes: [/Gantry tilt of 18\.5°/, /Uneven slice spacing .* resampled/, /padding \(stored value -1500.*-1024 HU \(air\)/],
  },
  { folder: 'mr_t1_head_sag_siemens', voxels: '256 × 256 × 192 voxels', spacing: '0.86 × 0.86 × 0.9 mm' },
  { folder: 'mixed_philips_ct_cdexport', voxels: '512 × 512 × 28 voxels', spacing: '0.45 × 0.45 × 5 mm', notes: [/DICOMDIR/, /localizer/] },
  { folder: 'codecs/ct_series_jpeg2000_no_ext', voxels: '512 × 512 × 20 voxels', spacing: '0.98 × 0.98 × 2 mm' },
  { folder: 'nifti', voxels: '160 × 232 × 160 voxels', notes: [/Not chosen: .*ct_abdomen_totalsegmentator_example_ct\.nii\.gz/] },
  // pydicom's DICOMDIR test tree holds real images downsized to 16 × 16; everything else is skipped by kind
  {
    folder: 'nonimage',
    voxels: '16 × 16 × 5 voxels',
    notes: [/Skipped 68 files/, /8 DICOMDIR/, /3 structured report/, /3 RT object/, /1 segmentation/, /1 waveform/],
  },
  {
    folder: 'codecs/dcm_qa_ts',
    error: /No image volume found in 9 files \(ax_asc_35sl: Siemens mosaic \(35 slices of 64 × 64 in one image\): not a volume\)/,
  },
  { folder: 'codecs/nema_ct1', error: /No image volume found in 4 files(?=.*single image, not a volume \(a model needs a stack of slices\))/ },
  {
    folder: 'codecs/misc',
    error: /No image volume found in 3 files(?=.*localizer)(?=.*single image, not a volume \(a model needs a stack of slices\))(?=.*secondary capture)/,
  },
  // the multi-frame Enhanced MR (96 frames, geometry per frame); the 5 copies of the 2-frame Enhanced CT are named as such
  {
    folder: 'enhanced',
    voxels: '128 × 128 × 96 voxels',
    spacing: '2 × 2 × 2 mm',
    notes: [/several images at the same position \(2 positions only\)/],
  },
];

for (const c of CASES) {
  test(`dataset ${c.folder}: ${c.voxels ?? 'a clear message'}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/');
    await page.getByLabel('Open folder').setInputFiles(sharedData(c.folder));
    const status = page.getByRole('status');
    if (c.voxels) {
      await expect(status).toContainText(c.voxels, { timeout: 180_000 });
      if (c.spacing) await expect(status).toContainText(c.spacing);
      for (const n of c.notes ?? []) await expect(page.getByLabel('Notes about this scan')).toContainText(n);
    } else {
      await expect(page.getByRole('alert')).toContainText(c.error!, { timeout: 180_000 });
      // and the app still works
      await page.getByRole('button', { name: 'Try a demo scan' }).click();
      await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
    }
  });
}

// Each encoding of the 2-frame Enhanced CT opened alone: the frames are split (no offset table in the
// fragmented ones) and decoded from a slice of the file in the decode workers (RLE, JPEG lossless,
// JPEG-LS, 12-bit JPEG extended) or on the main thread (explicit LE).
for (const variant of [
  'explicit_little_endian',
  'not_fragmented_bot_rle',
  'fragmented_no_bot_jpeg_lossless.70',
  'fragmented_no_bot_jpeg_ls.81',
  'fragmented_no_bot_jpeg_baseline.51',
]) {
  test(`Enhanced CT CT0012.${variant}: 2 frames load as 512 × 512 × 2`, async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Open files').setInputFiles(sharedData(`enhanced/CT0012.${variant}.dcm`));
    const status = page.getByRole('status');
    await expect(status).toContainText('512 × 512 × 2 voxels', { timeout: 60_000 });
    await expect(status).toContainText('0.39 × 0.39 × 10 mm');
  });
}
