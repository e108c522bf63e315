import { test } from 'node:test';
import assert from 'node:assert/strict';
import { steppingHint, STRONG_SMOOTHING, tiltDegrees } from './steppingHint';

const AXIAL = [1, 0, 0, 0, 1, 0, 0, 0, 1];

test('thin, straight slices: no hint', () => {
  assert.equal(steppingHint({ spacing: [0.7, 0.7, 0.8], direction: AXIAL }, 25), null);
});

test('3 mm slices: the hint names the spacing and offers strong smoothing, unless it is on', () => {
  const h = steppingHint({ spacing: [0.98, 0.98, 3], direction: AXIAL }, 25)!;
  assert.match(h.text, /3 mm apart/);
  assert.equal(h.smoothing, STRONG_SMOOTHING);
  const on = steppingHint({ spacing: [0.98, 0.98, 3], direction: AXIAL }, STRONG_SMOOTHING)!;
  assert.equal(on.smoothing, undefined);
  assert.match(on.text, /Strong smoothing is on/);
});

test('a gantry tilt of 18.5° is measured from the sheared slice axis and named', () => {
  const t = (18.5 * Math.PI) / 180;
  const dir = [1, 0, 0, 0, Math.cos(t), -Math.sin(t), 0, 0, 1];
  assert.ok(Math.abs(tiltDegrees(dir) - 18.5) < 1e-9);
  assert.match(steppingHint({ spacing: [0.5, 0.5, 1], direction: dir }, 25)!.text, /tilted by 18\.5°/);
});
