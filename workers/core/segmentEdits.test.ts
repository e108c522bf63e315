import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridMetric } from './brush';
import { squaredDistance } from './edt';
import { labelPieces } from './islands';
import { applyPatch, mergePatches, revertPatch } from './patch';
import { applySegmentEdit, type SegmentEdit } from './segmentEdits';
import { addEmptySegment, addSplitPieces, createSegmentation, freeValues } from './segments';
import type { Vec3, VolumeGeometry } from './types';

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** A grid and its voxel centres in patient mm. */
function grid(dims: Vec3, spacing: Vec3, direction = IDENTITY, origin: Vec3 = [10, -20, 30]): VolumeGeometry & { centre(p: number): Vec3; n: number } {
  const [nx, ny] = dims;
  return {
    dims, spacing, direction, origin, n: dims[0] * dims[1] * dims[2],
    centre(p: number): Vec3 {
      const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / (nx * ny));
      return [0, 1, 2].map((r) => origin[r] + i * spacing[0] * direction[r] + j * spacing[1] * direction[3 + r] + k * spacing[2] * direction[6 + r]) as Vec3;
    },
  };
}
const count = (a: Uint8Array, v: number) => a.reduce((n, x) => n + (x === v ? 1 : 0), 0);
const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
/** Index coordinates → patient mm for fractional indices. */
const toMm = (g: VolumeGeometry, c: Vec3): Vec3 =>
  [0, 1, 2].map((r) => g.origin[r] + c[0] * g.spacing[0] * g.direction[r] + c[1] * g.spacing[1] * g.direction[3 + r] + c[2] * g.spacing[2] * g.direction[6 + r]) as Vec3;

/** Applies an edit, checks that its patch reverts and re-applies exactly, returns the result. */
function edit(layers: Uint8Array[], g: VolumeGeometry & { data?: Int16Array }, e: SegmentEdit) {
  const before = layers.map((l) => l.slice());
  const r = applySegmentEdit(layers, g, e);
  const after = layers.map((l) => l.slice());
  revertPatch(layers, r.patch);
  assert.deepEqual(layers, before, `${e.kind}: undo restores every layer`);
  applyPatch(layers, r.patch);
  assert.deepEqual(layers, after, `${e.kind}: redo gives the edit again`);
  return r;
}

test('brush: the painted sphere is every voxel centre within the radius (anisotropic and sheared grids), its volume that of a ball within 0.05 mm of the radius', () => {
  const tilt = 0.3; // a gantry-tilted grid: k leans into y
  const sheared = [1, 0, 0, 0, 1, 0, 0, Math.sin(tilt), Math.cos(tilt)];
  for (const [spacing, direction] of [[[0.7, 0.8, 1.5], IDENTITY], [[0.9, 0.9, 2], sheared]] as [Vec3, number[]][]) {
    const g = grid([64, 60, 40], spacing, direction);
    const labels = new Uint8Array(g.n);
    const centre: Vec3 = [31.3, 28.6, 18.2];
    const r = 10.5;
    edit([labels], g, { kind: 'brush', target: { layer: 0, value: 3 }, stroke: { centre, radiusMm: r } });
    const c = toMm(g, centre);
    let expected = 0;
    for (let p = 0; p < g.n; p++) {
      const inside = dist(g.centre(p), c) <= r;
      if (inside) expected++;
      if (inside !== (labels[p] === 3)) assert.fail(`voxel ${p}: ${dist(g.centre(p), c)} mm from the centre`);
    }
    const voxelMm3 = spacing[0] * spacing[1] * spacing[2] * Math.abs(direction === IDENTITY ? 1 : Math.cos(tilt));
    const ml = (expected * voxelMm3) / 1000, ball = ((4 / 3) * Math.PI * r ** 3) / 1000;
    // the voxel count of a ball is its volume to within its surface area × a small fraction of a voxel
    const rEff = Math.cbrt((3 * expected * voxelMm3) / (4 * Math.PI));
    assert.ok(Math.abs(rEff - r) < 0.05, `sphere of ${ml.toFixed(3)} mL (ball ${ball.toFixed(3)} mL): radius ${rEff.toFixed(3)} vs ${r} mm`);
  }
  assert.deepEqual(gridMetric(grid([1, 1, 1], [2, 3, 4])), [4, 0, 0, 0, 9, 0, 0, 0, 16]);
});

test('brush: painting takes voxels of the same layer only; erasing clears only the target; an HU band limits both', () => {
  const g = grid([20, 20, 20], [1, 1, 1]);
  const layers = [new Uint8Array(g.n).fill(5), new Uint8Array(g.n).fill(1)];
  const data = new Int16Array(g.n);
  for (let p = 0; p < g.n; p++) data[p] = p % 20 < 10 ? 100 : 900; // left half soft, right half bone
  const vol = { ...g, data };
  const stroke = { centre: [10, 10, 10] as Vec3, radiusMm: 4 };
  edit(layers, vol, { kind: 'brush', target: { layer: 0, value: 2 }, stroke: { ...stroke, huRange: { lower: 500, upper: 2000 } } });
  const painted = count(layers[0], 2);
  let boneHalf = 0;
  for (let p = 0; p < g.n; p++) if (dist(g.centre(p), toMm(g, stroke.centre)) <= 4 && p % 20 >= 10) boneHalf++;
  assert.equal(painted, boneHalf, 'only the bone half of the sphere');
  for (let p = 0; p < g.n; p++) if (layers[0][p] === 2) assert.equal(data[p], 900);
  assert.equal(count(layers[1], 1), g.n, 'the other layer is untouched');
  edit(layers, vol, { kind: 'brush', target: { layer: 0, value: 5 }, stroke: { ...stroke, erase: true } });
  assert.equal(count(layers[0], 2), painted, 'erasing segment 5 leaves segment 2');
  assert.equal(count(layers[0], 0), 257 - painted);
  assert.throws(() => applySegmentEdit(layers, g, { kind: 'brush', target: { layer: 0, value: 2 }, stroke: { ...stroke, huRange: { lower: 0, upper: 1 } } }), /needs the scan values/);
});

test('scissors through a cube, along the volume axes: erase inside, keep inside, fill, depth-limited', () => {
  const g = grid([30, 30, 30], [1, 1, 2]);
  const cube = () => {
    const l = new Uint8Array(g.n);
    for (let p = 0; p < g.n; p++) {
      const i = p % 30, j = Math.floor(p / 30) % 30, k = Math.floor(p / 900);
      if (i >= 5 && i < 25 && j >= 5 && j < 25 && k >= 5 && k < 25) l[p] = 1;
    }
    return l;
  };
  const t = { layer: 0, value: 1 };
  // an axial view (normal along k): the square i ∈ [−0.5, 14.5], j ∈ [−0.5, 40] in index units, drawn on slice 12
  const square = [[-0.5, -0.5], [14.5, -0.5], [14.5, 40], [-0.5, 40]].map(([i, j]) => toMm(g, [i, j, 12]));
  let l = cube();
  edit([l], g, { kind: 'scissors', target: t, cut: { polygon: square, normal: [0, 0, 1], region: 'inside', action: 'erase' } });
  assert.equal(count(l, 1), 10 * 20 * 20, 'columns 5–14 erased through every slice');
  l = cube();
  edit([l], g, { kind: 'scissors', target: t, cut: { polygon: square, normal: [0, 0, -3], region: 'outside', action: 'erase' } });
  assert.equal(count(l, 1), 10 * 20 * 20, 'keep inside: columns 5–14 remain');
  for (let p = 0; p < g.n; p++) if (l[p]) assert.ok(p % 30 <= 14);
  l = new Uint8Array(g.n);
  edit([l], g, { kind: 'scissors', target: t, cut: { polygon: square, normal: [0, 0, 1], region: 'inside', action: 'fill', depthMm: [-4, 4] } });
  assert.equal(count(l, 1), 15 * 30 * 5, 'filled 15 × 30 voxels on the 5 slices within ±4 mm (2 mm slices)');
  // a sagittal view (normal along i): rows run along the normal, each all in or all out
  const yz = [[-1, 9.5], [40, 9.5], [40, 19.5], [-1, 19.5]].map(([j, k]) => toMm(g, [3, j, k]));
  l = cube();
  edit([l], g, { kind: 'scissors', target: t, cut: { polygon: yz, normal: [1, 0, 0], region: 'inside', action: 'erase' } });
  assert.equal(count(l, 1), 20 * 20 * 20 - 20 * 20 * 10);
});

test('scissors in an oblique view on a sheared grid: the same voxels as projecting every centre by hand', () => {
  const g = grid([24, 22, 16], [1.1, 0.9, 1.7], [1, 0, 0, 0, Math.cos(0.2), -Math.sin(0.2), 0, Math.sin(0.3), Math.cos(0.3)]);
  const n: Vec3 = [0.3, -0.5, 0.81];
  const c = toMm(g, [12, 11, 8]);
  // a star-shaped polygon on the plane through c with normal n (concave, so even–odd matters)
  const nl = Math.hypot(...n), nn = n.map((x) => x / nl) as Vec3;
  const u0: Vec3 = [nn[1], -nn[0], 0], ul = Math.hypot(...u0), u = u0.map((x) => x / ul) as Vec3;
  const v: Vec3 = [nn[1] * u[2] - nn[2] * u[1], nn[2] * u[0] - nn[0] * u[2], nn[0] * u[1] - nn[1] * u[0]];
  const star: [number, number][] = Array.from({ length: 10 }, (_, q) => {
    const a = (q * Math.PI) / 5, rr = q % 2 ? 3.5 : 9;
    return [rr * Math.cos(a), rr * Math.sin(a)];
  });
  const polygon = star.map(([x, y]) => [0, 1, 2].map((r) => c[r] + x * u[r] + y * v[r]) as Vec3);
  const labels = new Uint8Array(g.n).fill(7);
  edit([labels], g, { kind: 'scissors', target: { layer: 0, value: 7 }, cut: { polygon, normal: n, region: 'inside', action: 'erase' } });
  let erased = 0;
  for (let p = 0; p < g.n; p++) {
    const d = g.centre(p).map((x, r) => x - c[r]);
    const px = d[0] * u[0] + d[1] * u[1] + d[2] * u[2], py = d[0] * v[0] + d[1] * v[1] + d[2] * v[2];
    let inside = false;
    for (let a = 0, b = star.length - 1; a < star.length; b = a++)
      if (star[a][1] > py !== star[b][1] > py && px < star[a][0] + ((py - star[a][1]) * (star[b][0] - star[a][0])) / (star[b][1] - star[a][1])) inside = !inside;
    if (inside) erased++;
    assert.equal(labels[p] === 0, inside, `voxel ${p}`);
  }
  assert.ok(erased > 500, `${erased} voxels erased`);
});

/** Three blobs of 8, 27 and 64 voxels, face-disconnected, in layer 0 value 1. */
function blobs() {
  const g = grid([20, 10, 10], [1, 1, 1]);
  const l = new Uint8Array(g.n);
  const put = (i0: number, s: number) => {
    for (let k = 0; k < s; k++) for (let j = 0; j < s; j++) for (let i = 0; i < s; i++) l[i0 + i + 20 * (j + 10 * k)] = 1;
  };
  put(0, 2);
  put(4, 3);
  put(10, 4);
  return { g, l };
}

test('islands: keep the piece under a voxel, remove pieces under a volume, split largest first', () => {
  let { g, l } = blobs();
  const t = { layer: 0, value: 1 };
  edit([l], g, { kind: 'keepIsland', target: t, seed: 5 + 20 * (1 + 10 * 1) });
  assert.equal(count(l, 1), 27);
  assert.equal(applySegmentEdit([l], g, { kind: 'keepIsland', target: t, seed: 19 }).patch.layers.length, 0, 'a seed off the segment changes nothing');
  ({ g, l } = blobs());
  edit([l], g, { kind: 'removeSmallIslands', target: t, minMl: 0.027 });
  assert.equal(count(l, 1), 27 + 64, 'the 8-voxel piece is under 0.027 mL');
  ({ g, l } = blobs());
  const s = createSegmentation(g.dims);
  s.layers.push(l);
  const seg = addEmptySegment(s, { name: 'bones', source: 'paint' });
  addEmptySegment(s, { source: 'paint' }); // takes value 2
  const r = edit(s.layers, g, { kind: 'split', target: t, values: freeValues(s, 0) });
  assert.deepEqual(r.pieces, [{ value: 1, voxels: 64 }, { value: 3, voxels: 27 }, { value: 4, voxels: 8 }]);
  assert.equal(count(l, 1), 64);
  assert.equal(count(l, 3), 27);
  assert.equal(count(l, 4), 8);
  const added = addSplitPieces(s, seg.id, r.pieces!);
  assert.deepEqual(added.map((x) => [x.name, x.layer, x.value]), [['bones 2', 0, 3], ['bones 3', 0, 4]]);
  // with one free value only, the rest stays with the segment
  ({ g, l } = blobs());
  const r2 = applySegmentEdit([l], g, { kind: 'split', target: t, values: [9] });
  assert.deepEqual(r2.pieces, [{ value: 1, voxels: 64 + 8 }, { value: 9, voxels: 27 }]);
  const { sizes } = labelPieces(Uint8Array.from([1, 0, 1, 1, 0, 1]), [6, 1, 1]);
  assert.deepEqual(sizes, [2, 1, 1]);
});

/** A ball of radius `r` mm around the grid's centre as label 1. */
function ball(g: ReturnType<typeof grid>, r: number) {
  const c = toMm(g, g.dims.map((d) => (d - 1) / 2) as Vec3);
  const l = new Uint8Array(g.n);
  for (let p = 0; p < g.n; p++) if (dist(g.centre(p), c) <= r) l[p] = 1;
  return l;
}

test('margin: growing and shrinking a ball by 2.5 mm is exact (distance between voxel centres) and gives the ball of radius ± 2.5 mm', () => {
  const g = grid([28, 26, 16], [0.8, 0.9, 1.6]);
  const t = { layer: 0, value: 1 };
  for (const mm of [2.5, -2.5]) {
    const before = ball(g, 7);
    const l = before.slice();
    edit([l], g, { kind: 'margin', target: t, mm });
    // brute force: distance from each voxel to the nearest voxel of the segment (grow) or of the background (shrink)
    const from: number[] = [];
    for (let p = 0; p < g.n; p++) if ((before[p] === 1) === mm > 0) from.push(...g.centre(p));
    for (let p = 0; p < g.n; p++) {
      const [x, y, z] = g.centre(p);
      let best2 = Infinity;
      for (let q = 0; q < from.length; q += 3) best2 = Math.min(best2, (x - from[q]) ** 2 + (y - from[q + 1]) ** 2 + (z - from[q + 2]) ** 2);
      const best = Math.sqrt(best2);
      const expected = mm > 0 ? best <= mm + 1e-9 : before[p] === 1 && best > -mm;
      if ((l[p] === 1) !== expected) assert.fail(`margin ${mm}: voxel ${p} at ${best} mm`);
    }
    const voxelMm3 = 0.8 * 0.9 * 1.6;
    const rEff = Math.cbrt((3 * count(l, 1) * voxelMm3) / (4 * Math.PI));
    assert.ok(Math.abs(rEff - (7 + mm)) < 0.8, `radius ${rEff.toFixed(2)} mm, expected about ${7 + mm} (within a voxel)`);
  }
  const d = squaredDistance(Uint8Array.from([0, 1, 0, 0]), [4, 1, 1], [2, 1, 1]);
  assert.deepEqual([...d], [4, 0, 4, 16]);
  assert.ok(squaredDistance(new Uint8Array(3), [3, 1, 1], [1, 1, 1]).every((x) => x === Infinity));
});

test('margin: growing takes voxels of the same layer, never of another layer', () => {
  const g = grid([20, 20, 20], [1, 1, 1]);
  const l = ball(g, 4);
  for (let p = 0; p < g.n; p++) if (!l[p] && p % 20 > 12) l[p] = 2; // a neighbour in the same layer
  const other = new Uint8Array(g.n).fill(3);
  edit([l, other], g, { kind: 'margin', target: { layer: 0, value: 1 }, mm: 3 });
  assert.ok(count(l, 1) > 600);
  assert.equal(count(other, 3), g.n);
  assert.ok(count(l, 2) < 7 * 20 * 20 - 33, 'the neighbour lost voxels');
});

test('fill holes: a hollow ball becomes solid; an open tube stays open; another segment in the cavity stays', () => {
  const g = grid([30, 30, 30], [1, 1, 1]);
  const t = { layer: 0, value: 1 };
  const solid = count(ball(g, 10), 1);
  const shell = ball(g, 10);
  const inner = ball(g, 6);
  for (let p = 0; p < g.n; p++) if (inner[p]) shell[p] = 0;
  const cyst = 15 + 30 * (15 + 30 * 15);
  shell[cyst] = 4;
  edit([shell], g, { kind: 'fillHoles', target: t });
  assert.equal(count(shell, 1), solid - 1);
  assert.equal(shell[cyst], 4);
  const tube = new Uint8Array(g.n);
  for (let p = 0; p < g.n; p++) {
    const i = p % 30, j = Math.floor(p / 30) % 30;
    const r = Math.hypot(i - 15, j - 15);
    if (r >= 4 && r <= 7) tube[p] = 1;
  }
  assert.equal(applySegmentEdit([tube], g, { kind: 'fillHoles', target: t }).patch.layers.length, 0, 'a tube through the volume has no cavity');
});

test('logical add / subtract / intersect of two overlapping cubes in different layers, and add within one layer', () => {
  const g = grid([20, 20, 20], [1, 1, 1]);
  const cubes = () => {
    const a = new Uint8Array(g.n), b = new Uint8Array(g.n);
    for (let p = 0; p < g.n; p++) {
      const i = p % 20, j = Math.floor(p / 20) % 20, k = Math.floor(p / 400);
      if (i < 10 && j < 10 && k < 10) a[p] = 1;
      if (i >= 5 && i < 15 && j < 10 && k < 10) b[p] = 2;
    }
    return [a, b];
  };
  const A = { layer: 0, value: 1 }, B = { layer: 1, value: 2 };
  const expected = { add: 1500, subtract: 500, intersect: 500 } as const;
  for (const op of ['add', 'subtract', 'intersect'] as const) {
    const layers = cubes();
    edit(layers, g, { kind: 'logical', target: A, other: B, op });
    assert.equal(count(layers[0], 1), expected[op], op);
    assert.equal(count(layers[1], 2), 1000, `${op}: the other segment is unchanged`);
  }
  // both in one layer: adding takes the other's voxels
  const [a, b] = cubes();
  for (let p = 0; p < g.n; p++) if (b[p] && !a[p]) a[p] = 2;
  edit([a], g, { kind: 'logical', target: A, other: { layer: 0, value: 2 }, op: 'add' });
  assert.equal(count(a, 1), 1500);
  assert.equal(count(a, 2), 0);
});

test('the dabs of one stroke merge into one undo step', () => {
  const g = grid([20, 20, 20], [1, 1, 1]);
  const l = new Uint8Array(g.n);
  const dabs = [4, 8, 12].map((x) => applySegmentEdit([l], g, { kind: 'brush', target: { layer: 0, value: 1 }, stroke: { centre: [x, 10, 10], radiusMm: 3 } }).patch);
  const painted = l.slice();
  const stroke = mergePatches(dabs);
  revertPatch([l], stroke);
  assert.equal(count(l, 0), g.n);
  applyPatch([l], stroke);
  assert.deepEqual(l, painted);
});
