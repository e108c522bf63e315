import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipPlane, edgeMidpoints, pictureFileName, type Triple } from './previewTools';

const min: Triple = [-10, -20, 0], max: Triple = [10, 20, 50];
/** three.js keeps a point where normal·p + constant ≥ 0 */
const kept = (plane: ReturnType<typeof clipPlane>, p: Triple) =>
  !plane || plane.normal[0] * p[0] + plane.normal[1] * p[1] + plane.normal[2] * p[2] + plane.constant >= 0;

test('clip plane: 100 % keeps everything, 50 % cuts from the side the camera faces', () => {
  for (const axis of ['x', 'y', 'z'] as const) assert.equal(clipPlane(axis, 100, min, max), null);
  const z = clipPlane('z', 50, min, max);
  assert.ok(kept(z, [0, 0, 24]) && !kept(z, [0, 0, 26]), 'head–foot: the top goes');
  const x = clipPlane('x', 50, min, max);
  assert.ok(kept(x, [-1, 0, 0]) && !kept(x, [1, 0, 0]), 'left–right: the patient-left (+x) half goes');
  const y = clipPlane('y', 25, min, max);
  assert.ok(kept(y, [0, 11, 0]) && !kept(y, [0, 9, 0]), 'front–back: the front (−y) goes');
  assert.ok(!kept(clipPlane('z', 0, min, max), [0, 0, 1]));
});

test('box edges parallel to an axis and picture names', () => {
  const e = edgeMidpoints(2, min, max);
  assert.equal(e.length, 4);
  for (const p of e) assert.equal(p[2], 25);
  assert.deepEqual(new Set(e.map((p) => `${p[0]},${p[1]}`)), new Set(['-10,-20', '-10,20', '10,-20', '10,20']));
  assert.equal(pictureFileName(), 'preview.png');
  assert.equal(pictureFileName(''), 'preview.png');
  assert.equal(pictureFileName('Demo_head_phantom.stl'), 'Demo_head_phantom.png');
  assert.equal(pictureFileName('Demo head / bone'), 'Demo_head_bone.png');
});
