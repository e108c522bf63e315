import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downsampleLabels } from './downsampleLabels';
import { checkMesh } from './meshCheck';
import { sharedBytes } from './sharedMemory';
import type { Segment } from './segments';
import { volumeFrom } from './testVolumes';
import { meshApi } from '../meshApi';

test('each coarse voxel takes the label most of its block holds (background counts; ties: the lower value)', () => {
  // 4 × 2 × 1 voxels in blocks of 2 × 2 × 1: [1,1 / 1,0] → 1; [2,3 / 0,0] → 0 (two votes, lowest wins)
  const out = downsampleLabels(Uint8Array.of(1, 1, 2, 3, 1, 0, 0, 0), [4, 2, 1], [2, 2, 1]);
  assert.deepEqual([...out], [1, 0]);
  // partial blocks at the edges count what they hold
  assert.deepEqual([...downsampleLabels(Uint8Array.of(5, 5, 7), [3, 1, 1], [2, 1, 1])], [5, 7]);
  assert.throws(() => downsampleLabels(new Uint8Array(8), [4, 2, 1], [2, 2, 1], new Uint8Array(3)), /holds 3 voxels/);
});

test('previewSegments: one closed surface per segment on the coarse preview volume', async () => {
  const v = volumeFrom([48, 44, 40], [0.8, 0.8, 1], (x, y, z) => Math.hypot(x, y, z) - 12);
  const vol = { ...v, data: new Int16Array(sharedBytes(2 * v.data.length)) };
  vol.data.set(v.data);
  const labels = new Uint8Array(sharedBytes(vol.data.length));
  let n = 0;
  for (let p = 0; p < labels.length; p++) if (vol.data[p] >= 0) (labels[p] = p % 48 < 24 ? 1 : 2), n++;
  meshApi.previewSetup(vol, 10_000);
  const segs: Segment[] = [1, 2, 3].map((value) => ({ id: value, name: `s${value}`, color: [1, 2, 3], layer: 0, value, visible: true, source: 'import' }));
  const out = await meshApi.previewSegments([labels], segs);
  assert.deepEqual(out.map((o) => o.id), [1, 2], 'the empty segment is left out');
  let volume = 0;
  for (const o of out) {
    const r = checkMesh(o.mesh);
    assert.ok(r.closed && r.manifold && r.oriented, `segment ${o.id}`);
    volume += r.volumeMm3;
  }
  const full = n * 0.8 * 0.8;
  assert.ok(Math.abs(volume / full - 1) < 0.15, `coarse volume ${volume.toFixed(0)} vs ${full.toFixed(0)} mm³`);
});
