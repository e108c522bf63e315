import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planeCutLayout } from './cutLayout';
import { cutByPlanes } from './cut';
import { loadManifold } from './manifoldKernel';
import { marchingCubes } from './marchingCubes';
import { checkMesh } from './meshCheck';
import { thresholdMask } from './threshold';
import { assertPrintable } from './testAssert';
import { volumeFrom } from './testVolumes';
import { fractionAt, meshBounds, positionMm, userPlane } from './userPlane';
import type { Mesh, Vec3 } from './types';

const RANGE = { lower: 0, upper: 32767 };
// a long ellipsoid, semi-axes 100 × 25 × 20 mm, meshed at 1 mm, centred on x = 102.5
const vol = volumeFrom([206, 56, 46], [1, 1, 1], (x, y, z) => (Math.hypot(x / 100, y / 25, z / 20) - 1) * 20);
const ellipsoid: Mesh = marchingCubes(vol, RANGE, thresholdMask(vol, RANGE));
const B = meshBounds(ellipsoid);
/** the fraction of the extent along `axis` at coordinate `mm` */
const at = (axis: 0 | 1 | 2, mm: number) => fractionAt(B, axis, mm);
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

test('the plane: through the box centre at the position along the axis; tilted by the angles', () => {
  const b = meshBounds(ellipsoid);
  const p = userPlane(ellipsoid, { axis: 0, at: at(0, 140) });
  assert.deepEqual(p.normal, [1, 0, 0]);
  assert.ok(Math.abs(p.offset - 140) < 1e-9);
  assert.ok(Math.abs(positionMm(b, { axis: 0, at: at(0, 140) }) - 140) < 1e-9);
  const t = userPlane(ellipsoid, { axis: 2, at: at(2, 25), tiltDeg: [30, 0] });
  // z tilted 30° about x (the next axis after z): the normal leaves z for −y… and keeps unit length
  assert.ok(Math.abs(Math.hypot(...t.normal) - 1) < 1e-12);
  assert.ok(Math.abs(t.normal[2] - Math.cos(Math.PI / 6)) < 1e-12 && Math.abs(Math.abs(t.normal[1]) - 0.5) < 1e-12 && t.normal[0] === 0);
  const centre = [0, 1, 2].map((k) => (b.min[k] + b.max[k]) / 2) as Vec3;
  centre[2] = 25;
  assert.ok(Math.abs(dot(t.normal, centre) - t.offset) < 1e-9, 'the point at the position lies on the tilted plane');
  assert.throws(() => userPlane(ellipsoid, { axis: 1, at: NaN }), /position must be a number/);
});

test('a long ellipsoid cut by a user plane (tilted 20°): two closed parts on the right sides, volumes summing to the whole within 0.1 %', async () => {
  const wasm = await loadManifold();
  const whole = checkMesh(ellipsoid).volumeMm3;
  const plane = userPlane(ellipsoid, { axis: 0, at: at(0, 140), tiltDeg: [0, 20] });
  const cut = cutByPlanes(wasm, ellipsoid, [plane]);
  assert.equal(cut.parts.length, 2);
  let sum = 0;
  cut.parts.forEach((p, i) => {
    const r = checkMesh(p.mesh);
    assertPrintable(r, `part ${i}`);
    assert.equal(r.shells, 1);
    sum += r.volumeMm3;
    // part 0 below the plane (normal·x ≤ offset), part 1 above
    const P = p.mesh.positions;
    for (let v = 0; v < P.length; v += 3) {
      const d = dot([P[v], P[v + 1], P[v + 2]], plane.normal) - plane.offset;
      assert.ok(i === 0 ? d <= 1e-3 : d >= -1e-3, `part ${i} vertex ${v / 3} on the wrong side (${d} mm)`);
    }
  });
  assert.ok(Math.abs(sum / whole - 1) < 0.001, `parts ${sum} vs whole ${whole}`);
  // the smaller end is the one above x ≈ 140 (the far 65 mm of 205)
  assert.ok(cut.parts[1].volumeMm3 < cut.parts[0].volumeMm3 / 2);
});

test('the user plane in the file: the model as placed cut up–down at z = 15 mm, parts laid out on z = 0, sizes and fits said', async () => {
  const wasm = await loadManifold();
  const placement = { where: 'scanner' as const, scalePercent: 100 };
  const { min, max } = meshBounds(ellipsoid);
  const layout = planeCutLayout(wasm, ellipsoid, placement, { axis: 2, at: at(2, 15) }, [250, 210, 220]);
  assert.equal(layout.objects.length, 2);
  assert.ok(layout.fitsBed);
  assert.equal(layout.pins, 0);
  const small = planeCutLayout(wasm, ellipsoid, placement, { axis: 2, at: at(2, 15) }, [120, 120, 120]);
  assert.deepEqual(small.parts.map((p) => p.fits), [false, false], '205 mm long parts do not fit a 120 mm bed (not even diagonally: 170 mm)');
  layout.objects.forEach((o, i) => {
    const r = checkMesh(o.mesh);
    assertPrintable(r, `laid-out part ${i}`);
    assert.equal(r.bbox.min[2], 0);
    // the upper part holds the equator (200 mm long); the lower one's cut face is the ellipse 7.5 mm below it
    const long = Math.max(...layout.parts[i].sizeMm);
    const expected = i === 1 ? 200 : 200 * Math.sqrt(1 - (7.5 / 20) ** 2);
    assert.ok(Math.abs(long - expected) < 1.5, `part ${i} is ${long} mm long, expected ${expected}`);
  });
  const low = layout.parts.map((p) => Math.min(...p.sizeMm));
  assert.ok(Math.abs(low[0] - (15 - min[2])) < 0.01 && Math.abs(low[1] - (max[2] - 15)) < 0.01, `the parts' thickness: ${low}`);
});
