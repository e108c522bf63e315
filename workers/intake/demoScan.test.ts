// The demo scan shipped in public/demo is TotalSegmentator's example CT rewritten from int32 to int16:
// the same header geometry and exactly the same HU in every voxel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'fflate';
import { readNifti } from './nifti';

const DEMO = resolve(import.meta.dirname, '..', '..', 'public', 'demo', 'ct_abdomen_totalsegmentator.nii.gz');
const ORIGINAL = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'nifti', 'ct_abdomen_totalsegmentator_example_ct.nii.gz');

test('the demo scan is int16, under 2 MB, and reads as a 122 × 101 × 112 CT of 3 mm voxels', () => {
  const gz = readFileSync(DEMO);
  assert.ok(gz.length < 2_000_000, `${gz.length} bytes`);
  const raw = gunzipSync(new Uint8Array(gz));
  assert.equal(new DataView(raw.buffer, raw.byteOffset).getInt16(70, true), 4, 'datatype 4 (int16)');
  const r = readNifti(new Uint8Array(gz), 'demo.nii.gz');
  assert.deepEqual(r.volume.dims, [122, 101, 112]);
  assert.deepEqual(r.volume.spacing.map((s) => Math.round(s * 1000) / 1000), [3, 3, 3]);
  assert.equal(r.modalityGuess, 'CT');
});

test('the demo scan holds exactly the HU and geometry of the original int32 file', { skip: !existsSync(ORIGINAL) && 'needs ../shared/data (the original file)' }, () => {
  const demo = readNifti(new Uint8Array(readFileSync(DEMO)), 'demo.nii.gz');
  const orig = readNifti(new Uint8Array(readFileSync(ORIGINAL)), 'original.nii.gz');
  assert.deepEqual(demo.volume.dims, orig.volume.dims);
  assert.deepEqual(demo.volume.spacing, orig.volume.spacing);
  assert.deepEqual(demo.volume.origin, orig.volume.origin);
  assert.deepEqual(demo.volume.direction, orig.volume.direction);
  let differ = 0;
  for (let i = 0; i < orig.volume.data.length; i++) if (demo.volume.data[i] !== orig.volume.data[i]) differ++;
  assert.equal(differ, 0);
});
