import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { bedMatrix, findBase, placeOnBed, rotationBetween, scaleMesh, transformMesh } from './placement';
import { BONE, volumeFrom } from './testVolumes';
import type { Mesh, Vec3 } from './types';

const bbox = (m: Mesh) => checkMesh(m).bbox;
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (±${tol})`);
const relClose = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) / Math.abs(b) <= tol, `${what}: ${a} vs ${b} (±${tol * 100} %)`);

/** Axis-aligned box [x0,x1]×[y0,y1]×[z0,z1], 12 triangles wound outward. */
function boxMesh(lo: Vec3, hi: Vec3): Mesh {
  const positions = new Float32Array(24);
  for (let i = 0; i < 8; i++) {
    positions[3 * i] = i & 1 ? hi[0] : lo[0];
    positions[3 * i + 1] = i & 2 ? hi[1] : lo[1];
    positions[3 * i + 2] = i & 4 ? hi[2] : lo[2];
  }
  // prettier-ignore
  const indices = new Uint32Array([
    0, 2, 1, 1, 2, 3, // z = lo (normal −z)
    4, 5, 6, 5, 7, 6, // z = hi
    0, 1, 4, 1, 5, 4, // y = lo
    2, 6, 3, 3, 6, 7, // y = hi
    0, 4, 2, 2, 4, 6, // x = lo
    1, 3, 5, 3, 7, 5, // x = hi
  ]);
  return { positions, indices };
}

const copy = (m: Mesh): Mesh => ({ positions: m.positions.slice(), indices: m.indices.slice() });
const sameMesh = (a: Mesh, b: Mesh) => {
  assert.deepEqual(a.positions, b.positions);
  assert.deepEqual(a.indices, b.indices);
};

/** Total area of triangles facing −z (within ~8°) with every vertex at z ≤ tol. */
function bedContact(m: Mesh, tol = 0.05): number {
  const P = m.positions, I = m.indices;
  let area = 0;
  for (let t = 0; t < I.length; t += 3) {
    const a = 3 * I[t], b = 3 * I[t + 1], c = 3 * I[t + 2];
    if (P[a + 2] > tol || P[b + 2] > tol || P[c + 2] > tol) continue;
    const ux = P[b] - P[a], uy = P[b + 1] - P[a + 1], uz = P[b + 2] - P[a + 2];
    const vx = P[c] - P[a], vy = P[c + 1] - P[a + 1], vz = P[c + 2] - P[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const n = Math.hypot(nx, ny, nz);
    if (n > 0 && nz / n < -0.99) area += n / 2;
  }
  return area;
}

test('a box ends with its lowest point at z = 0 and centred on x = y = 0; the input is unchanged', () => {
  const box = boxMesh([10, -40, 100], [30, -10, 125]);
  const before = copy(box);
  for (const flatSideDown of [false, true]) {
    const placed = placeOnBed(box, { scalePercent: 100, flatSideDown });
    const r = checkMesh(placed);
    assert.equal(r.bbox.min[2], 0);
    close(r.bbox.min[0] + r.bbox.max[0], 0, 1e-4, 'x centred');
    close(r.bbox.min[1] + r.bbox.max[1], 0, 1e-4, 'y centred');
    relClose(r.volumeMm3, 20 * 30 * 25, 1e-5, 'volume');
    assert.ok(r.oriented && r.closed);
    assert.notEqual(placed.positions, box.positions);
    assert.notEqual(placed.indices, box.indices);
  }
  sameMesh(box, before);
  // Its largest face is an x side (30 × 25 mm): that one goes down, so the box stands 20 mm tall.
  const turned = bbox(placeOnBed(box, { scalePercent: 100, flatSideDown: true }));
  close(turned.max[2] - turned.min[2], 20, 1e-4, 'height after turning');
  // A slab already lying on its largest face is not turned.
  const slab = bbox(placeOnBed(boxMesh([0, 0, 0], [20, 30, 10]), { scalePercent: 100, flatSideDown: true }));
  close(slab.max[0] - slab.min[0], 20, 1e-4, 'width kept');
  close(slab.max[1] - slab.min[1], 30, 1e-4, 'depth kept');
  close(slab.max[2] - slab.min[2], 10, 1e-4, 'height kept');
});

test('a scaled sphere: volume × s³, still closed and outward, centred on the bed', () => {
  const R = 10;
  const sphere = marchingCubes(volumeFrom([28, 28, 28], [1, 1, 1], (x, y, z) => Math.hypot(x, y, z) - R), BONE);
  const before = copy(sphere);
  const r0 = checkMesh(sphere);
  for (const pct of [50, 150, 250]) {
    const s = pct / 100;
    const placed = placeOnBed(sphere, { scalePercent: pct, flatSideDown: true });
    const r = checkMesh(placed);
    relClose(r.volumeMm3, r0.volumeMm3 * s ** 3, 1e-4, `volume at ${pct} %`);
    relClose(r.areaMm2, r0.areaMm2 * s * s, 1e-4, `area at ${pct} %`);
    assert.equal(r.boundaryEdges, 0);
    assert.equal(r.inconsistentEdges, 0);
    assert.ok(r.volumeMm3 > 0);
    assert.equal(r.bbox.min[2], 0);
    close(r.bbox.max[0] + r.bbox.min[0], 0, 1e-3, 'x centred');
    close(r.bbox.max[1] + r.bbox.min[1], 0, 1e-3, 'y centred');
  }
  sameMesh(sphere, before);
  assert.throws(() => placeOnBed(sphere, { scalePercent: 0, flatSideDown: false }), RangeError);
  assert.throws(() => placeOnBed(sphere, { scalePercent: Number.NaN, flatSideDown: false }), RangeError);
});

/** Half cylinder (axis x, radius R, length 2L) with its flat rectangular face facing `flat` direction. */
function halfCylinder(flatNormal: Vec3, R = 10, L = 20): Mesh {
  const [fx, fy, fz] = flatNormal.map((v) => v / Math.hypot(...flatNormal));
  // Build it with the flat face facing −y, then rotate the sample point so that face faces `flat`.
  const rot = rotationBetween([fx, fy, fz], [0, -1, 0]);
  const sd = (x: number, y: number, z: number) => {
    const X = rot[0] * x + rot[1] * y + rot[2] * z;
    const Y = rot[4] * x + rot[5] * y + rot[6] * z;
    const Z = rot[8] * x + rot[9] * y + rot[10] * z;
    return Math.max(Math.abs(X) - L, Math.hypot(Y, Z) - R, -Y);
  };
  return marchingCubes(volumeFrom([52, 52, 52], [1, 1, 1], sd), BONE);
}

test('a half cylinder lands flat face down, without mirroring, whichever way the face pointed', () => {
  const R = 10, L = 20;
  const flatArea = 2 * R * 2 * L;
  for (const flat of [[0, -1, 0], [0, 0, 1], [1, 0, 0], [0, 1, -1], [1, 1, 1]] as Vec3[]) {
    const mesh = halfCylinder(flat, R, L);
    const before = copy(mesh);
    const r0 = checkMesh(mesh);
    assert.ok(r0.closed && r0.volumeMm3 > 0);
    const base = findBase(mesh);
    const n = Math.hypot(...flat);
    const dot = (base.down[0] * flat[0] + base.down[1] * flat[1] + base.down[2] * flat[2]) / n;
    assert.ok(dot > Math.cos((5 * Math.PI) / 180), `down ${base.down.map((v) => v.toFixed(3))} vs flat face ${flat}`);
    const placed = placeOnBed(mesh, { scalePercent: 200, flatSideDown: true });
    const r = checkMesh(placed);
    relClose(r.volumeMm3, r0.volumeMm3 * 8, 1e-4, `volume ×8 (face ${flat})`);
    assert.equal(r.inconsistentEdges, 0);
    assert.equal(r.bbox.min[2], 0);
    const contact = bedContact(placed);
    // The flat face at 200 %: 4 × (2R × 2L), less the voxel-wide rounding at its rims.
    assert.ok(contact > 0.85 * 4 * flatArea && contact < 1.05 * 4 * flatArea, `face ${flat}: contact ${contact.toFixed(0)} mm² of ${4 * flatArea}`);
    // The half cylinder's height on the bed is R (scaled), not the 2R it has lying on its curve.
    close(r.bbox.max[2], 2 * R, 1.5, `height (face ${flat})`);
    sameMesh(mesh, before);
  }
});

test('without flatSideDown nothing turns: only scale and shift', () => {
  const mesh = halfCylinder([0, -1, 0]);
  const r0 = checkMesh(mesh);
  const placed = placeOnBed(mesh, { scalePercent: 100, flatSideDown: false });
  const r = checkMesh(placed);
  for (let a = 0; a < 3; a++) close(r.bbox.max[a] - r.bbox.min[a], r0.bbox.max[a] - r0.bbox.min[a], 1e-3, `extent ${a}`);
  const m = bedMatrix(mesh, { scalePercent: 100, flatSideDown: false });
  assert.deepEqual([m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
});

test('rotations are proper and scanner-frame scaling keeps the origin', () => {
  const dirs: Vec3[] = [[0, 0, 1], [0, 0, -1], [1, 0, 0], [0.3, -0.4, 0.2], [-1, 1e-14, 0]];
  for (const a of dirs)
    for (const b of dirs) {
      const m = rotationBetween(a, b);
      const det =
        m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);
      close(det, 1, 1e-9, `det ${a}→${b}`);
      const na = Math.hypot(...a), nb = Math.hypot(...b);
      for (let r = 0; r < 3; r++) close((m[4 * r] * a[0] + m[4 * r + 1] * a[1] + m[4 * r + 2] * a[2]) / na, b[r] / nb, 1e-9, `maps ${a}→${b}`);
    }
  const box = boxMesh([1, 2, 3], [2, 4, 6]);
  const scaled = checkMesh(scaleMesh(box, 50));
  assert.deepEqual(scaled.bbox, { min: [0.5, 1, 1.5], max: [1, 2, 3] });
  // A mirror flips the triangles too, so the volume stays positive.
  const mirrored = checkMesh(transformMesh(box, [-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]));
  relClose(mirrored.volumeMm3, 6, 1e-6, 'mirrored volume');
  assert.equal(mirrored.inconsistentEdges, 0);
});

test('an empty mesh stays empty', () => {
  const empty: Mesh = { positions: new Float32Array(0), indices: new Uint32Array(0) };
  const placed = placeOnBed(empty, { scalePercent: 100, flatSideDown: true });
  assert.equal(placed.positions.length, 0);
  assert.equal(placed.indices.length, 0);
});
