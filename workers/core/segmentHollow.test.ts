import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REFINE } from './refine';
import { buildSegmentMeshes, type SegmentMeshResult } from './segmentPipeline';
import type { Segment } from './segments';
import { classifyShells } from './shells';
import { sharedBytes } from './sharedMemory';
import { assertPrintable } from './testAssert';
import { BONE, volumeFrom } from './testVolumes';
import type { Vec3, Volume } from './types';
import { meshApi } from '../meshApi';
import { createNodePool } from '../nodePool';

// Hollow on a segments model (segmentPipeline.ts): every segment hollowed with the same wall, each one
// closed solid around one inward-wound cavity, or solid when thinner than twice the wall.

/** Three balls (radius mm, centre) on 0.5 mm voxels: the third is 3.6 mm across, under twice a 2 mm wall. */
const BALLS: { r: number; c: Vec3 }[] = [
  { r: 12, c: [-12, 0.03, 0.01] },
  { r: 9, c: [13.5, -0.02, 0.04] },
  { r: 1.8, c: [3, 9, 8] },
];
const WALL = 2;

/** The balls in shared memory (HU with partial volume) and their label map: voxel inside ball b → b + 1. */
function scan(): { vol: Volume; labels: Uint8Array } {
  const d = (x: number, y: number, z: number, b: number) => Math.hypot(x - BALLS[b].c[0], y - BALLS[b].c[1], z - BALLS[b].c[2]) - BALLS[b].r;
  const v = volumeFrom([106, 56, 56], [0.5, 0.5, 0.5], (x, y, z) => Math.min(d(x, y, z, 0), d(x, y, z, 1), d(x, y, z, 2)));
  const data = new Int16Array(sharedBytes(2 * v.data.length));
  data.set(v.data);
  const vol = { ...v, data };
  const labels = new Uint8Array(sharedBytes(data.length));
  const [nx, ny, nz] = vol.dims;
  const c = vol.dims.map((n) => ((n - 1) / 2) * 0.5);
  for (let k = 0, p = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, p++) {
        if (data[p] < 0) continue;
        const x = i * 0.5 - c[0], y = j * 0.5 - c[1], z = k * 0.5 - c[2];
        const ds = [0, 1, 2].map((b) => d(x, y, z, b));
        labels[p] = ds.indexOf(Math.min(...ds)) + 1;
      }
  return { vol, labels };
}

const seg = (b: number, extra: Partial<Segment> = {}): Segment => ({
  id: b + 1, name: `ball ${b + 1}`, color: [200, 100, 50], layer: 0, value: b + 1, visible: true, source: 'import', ...extra,
});

function checkHollow(results: SegmentMeshResult[], what: string, tolerance: number) {
  for (const [b, g] of results.entries()) {
    const { r } = BALLS[b];
    assertPrintable(g.report, `${what} ${g.name}`);
    assert.ok(g.hollow, `${what} ${g.name}: hollow stats`);
    const shells = classifyShells(g.mesh);
    if (r < WALL * 2) {
      // thinner than twice the wall: stays solid
      assert.equal(g.report.shells, 1, `${what} ${g.name}: solid`);
      assert.equal(g.hollow.cavities, 0);
      assert.equal(g.hollow.savedMm3, 0);
      continue;
    }
    assert.equal(g.report.shells, 2, `${what} ${g.name}: outer surface and cavity`);
    assert.deepEqual([shells.solids, shells.voids, shells.inverted], [1, 1, 0], `${what} ${g.name}: one solid, its cavity wound inward`);
    const cavity = shells.shells.find((x) => x.kind === 'void')!;
    assert.ok(cavity.volumeMm3 < 0, 'the cavity encloses negative volume (wound inward)');
    const shell = (4 / 3) * Math.PI * (r ** 3 - (r - WALL) ** 3);
    const inner = (4 / 3) * Math.PI * (r - WALL) ** 3;
    const err = g.report.volumeMm3 / shell - 1;
    console.log(`${what} ${g.name} (r ${r} mm, ${WALL} mm wall): shell ${g.report.volumeMm3.toFixed(0)} vs ${shell.toFixed(0)} mm³ (${(100 * err).toFixed(2)} %), cavity ${(-cavity.volumeMm3).toFixed(0)} vs ${inner.toFixed(0)}, saved ${g.hollow.savedMm3.toFixed(0)} mm³`);
    assert.ok(Math.abs(err) < tolerance, `${what} ${g.name}: shell volume ${g.report.volumeMm3.toFixed(0)} vs analytic ${shell.toFixed(0)} mm³`);
    assert.equal(g.hollow.cavities, 1);
    assert.ok(Math.abs(g.hollow.savedMm3 / inner - 1) < 0.03, `${what} ${g.name}: saved ${g.hollow.savedMm3.toFixed(0)} vs the cavity's ${inner.toFixed(0)} mm³`);
  }
}

test('Hollow on a segments model (two balls and a small one as labels): each ball a closed shell of the analytic volume with an inward cavity, the small one solid, the saved material summed', async () => {
  const { vol, labels } = scan();
  const segments = BALLS.map((_, b) => seg(b));
  const solid = await buildSegmentMeshes([meshApi], vol, [labels], segments, DEFAULT_REFINE);
  const pool = createNodePool(2);
  let hollow;
  try {
    hollow = await buildSegmentMeshes(pool.workers, vol, [labels], segments, { ...DEFAULT_REFINE, hollow: { wallMm: WALL } });
  } finally {
    await pool.close();
  }
  // label segments (no HU band): the surface offset to the voxel volume, before and after hollowing
  checkHollow(hollow.results, 'labels', 0.02);
  for (const [b, g] of hollow.results.entries()) {
    assert.ok(g.stages.some((s) => s.name === 'hollow'));
    // the material saved is what the report's volume lost
    const lost = solid.results[b].report.volumeMm3 - g.report.volumeMm3;
    assert.ok(Math.abs(lost - g.hollow!.savedMm3) < 0.005 * solid.results[b].report.volumeMm3 + 1, `${g.name}: lost ${lost.toFixed(0)}, saved ${g.hollow!.savedMm3.toFixed(0)} mm³`);
  }
  // the whole model (src/model/segmentModel.ts sums these): two cavities, five shells
  assert.equal(hollow.results.reduce((s, g) => s + g.hollow!.cavities, 0), 2);
  assert.equal(hollow.results.reduce((s, g) => s + g.report.shells, 0), 5);
  assert.ok(solid.results.every((g) => g.hollow === null), 'a solid build hollows nothing');
});

test('Hollow on threshold segments (an HU band): the sub-voxel surface hollowed as the threshold model is', async () => {
  const { vol, labels } = scan();
  const r = await buildSegmentMeshes([meshApi], vol, [labels], BALLS.map((_, b) => seg(b, { range: BONE, source: 'threshold' })), { ...DEFAULT_REFINE, hollow: { wallMm: WALL } });
  checkHollow(r.results, 'HU band', 0.01);
  for (const g of r.results) assert.equal(g.offsetMm, 0);
});

test('a label segment spanning most of the scan (meshed on the scan itself, not a copy of its box) is hollowed alike', async () => {
  const { vol, labels } = scan();
  for (let p = 0; p < labels.length; p++) if (labels[p] === 2) labels[p] = 1; // the two balls as one segment
  const r = await buildSegmentMeshes([meshApi], vol, [labels], [seg(0), seg(2)], { ...DEFAULT_REFINE, hollow: { wallMm: WALL } });
  const [both, small] = r.results;
  assertPrintable(both.report, 'two balls');
  assertPrintable(small.report, 'small ball');
  const shells = classifyShells(both.mesh);
  assert.deepEqual([shells.solids, shells.voids, shells.inverted], [2, 2, 0]);
  const shell = BALLS.slice(0, 2).reduce((s, { r: R }) => s + (4 / 3) * Math.PI * (R ** 3 - (R - WALL) ** 3), 0);
  const err = both.report.volumeMm3 / shell - 1;
  assert.ok(Math.abs(err) < 0.02, `two shells ${both.report.volumeMm3.toFixed(0)} vs ${shell.toFixed(0)} mm³ (${(100 * err).toFixed(2)} %)`);
  assert.equal(both.hollow!.cavities, 2);
  assert.equal(small.report.shells, 1);
});
