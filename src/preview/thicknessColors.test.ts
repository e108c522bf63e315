import { test } from 'node:test';
import assert from 'node:assert/strict';
import { legendGradient, niceCeil, THIN_RGB, thicknessColor, thicknessLegend, thicknessVertexColors, UNMEASURED_RGB, viridis } from './thicknessColors';

/** Relative luminance of an sRGB colour (WCAG): viridis rises steadily from one end to the other. */
const luminance = (c: number[]) => {
  const lin = c.map((x) => (x / 255 <= 0.04045 ? x / 255 / 12.92 : ((x / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
};

test('viridis: its ends, clamped outside [0, 1], lightness rising all along, never red', () => {
  assert.deepEqual(viridis(0), [68, 1, 84]);
  assert.deepEqual(viridis(1), [253, 231, 37]);
  assert.deepEqual(viridis(-3), viridis(0));
  assert.deepEqual(viridis(7), viridis(1));
  let last = -1;
  for (let k = 0; k <= 100; k++) {
    const c = viridis(k / 100);
    const l = luminance(c);
    assert.ok(l > last, `lightness falls at t = ${k / 100}`);
    last = l;
    assert.ok(!(c[0] > 150 && c[1] < 100 && c[2] < 100), `t = ${k / 100} looks red: ${c}`);
  }
});

test('a thickness colour: red under the minimum wall, grey where not measured, the bar above', () => {
  const legend = { maxMm: 10, minWallMm: 0.8 };
  assert.deepEqual(thicknessColor(0.5, legend), THIN_RGB);
  assert.deepEqual(thicknessColor(0.79, legend), THIN_RGB);
  assert.deepEqual(thicknessColor(NaN, legend), UNMEASURED_RGB);
  assert.deepEqual(thicknessColor(0.8, legend), viridis(0.08));
  assert.deepEqual(thicknessColor(5, legend), viridis(0.5));
  assert.deepEqual(thicknessColor(40, legend), viridis(1), 'thicker than the bar: its top colour');
  assert.ok(luminance(thicknessColor(2, legend)) < luminance(thicknessColor(6, legend)), 'thicker is lighter');
});

test('round numbers for the bar', () => {
  assert.deepEqual([0.7, 1, 1.1, 2.2, 3, 4.9, 7, 12, 0.013].map(niceCeil), [1, 1, 2, 2.5, 5, 5, 10, 20, 0.02]);
});

test('the legend: values as printed (× scale), the bar over the 95th percentile, ticks from 0, NaN counted apart', () => {
  // 1000 vertices from 1 to 10.99 mm, plus one thick lump and two unmeasured vertices, in two objects
  const a = Float32Array.from({ length: 1000 }, (_, i) => 1 + i / 100);
  const b = Float32Array.from([200, NaN, NaN]);
  const full = thicknessLegend([a, b], 1, 0.8);
  assert.equal(full.maxMm, 20, 'the 95th percentile (about 10.5 mm) rounded up; the 200 mm lump does not stretch the bar');
  assert.deepEqual(full.ticks, [0, 5, 10, 15, 20]);
  assert.equal(full.lowestMm, 1);
  assert.equal(full.highestMm, 200);
  assert.deepEqual([full.measured, full.unmeasured], [1001, 2]);
  const half = thicknessLegend([a, b], 0.5, 0.8);
  assert.ok(Math.abs(half.lowestMm! - 0.5) < 1e-6, 'at 50 % the walls print half as thick');
  assert.equal(half.maxMm, 10);
  // a printer minimum above every value: the bar reaches past it, so its mark is on the bar
  const high = thicknessLegend([a], 1, 30);
  assert.ok(high.maxMm >= 30 && high.ticks[high.ticks.length - 1] === high.maxMm);
  const none = thicknessLegend([Float32Array.from([NaN])], 1, 0.4);
  assert.equal(none.lowestMm, null);
  assert.equal(none.measured, 0);
});

test('vertex colours: linear light, thin vertices red, unmeasured grey, the rest along the bar', () => {
  const map = Float32Array.from([0.2, NaN, 5, 100]);
  const legend = thicknessLegend([map], 2, 1);
  const c = thicknessVertexColors(map, 2, legend);
  assert.equal(c.length, 12);
  const lin = (x: number) => ((x / 255 + 0.055) / 1.055) ** 2.4;
  assert.ok(Math.abs(c[0] - lin(THIN_RGB[0])) < 1e-6 && Math.abs(c[1] - lin(THIN_RGB[1])) < 1e-6, '0.4 mm printed is under 1 mm: red');
  assert.ok(Math.abs(c[3] - lin(UNMEASURED_RGB[0])) < 1e-6 && c[3] === c[4] && c[4] === c[5], 'grey');
  const top = viridis(1);
  assert.ok(Math.abs(c[9] - lin(top[0])) < 1e-6 && Math.abs(c[10] - lin(top[1])) < 1e-6, '200 mm printed: the top of the bar');
  for (const x of c) assert.ok(x >= 0 && x <= 1);
  // scale 1 instead of 2: 0.2 mm still red, 5 mm lower on the bar than at scale 2 → darker
  const c1 = thicknessVertexColors(map, 1, legend);
  assert.ok(c1[6] + c1[7] + c1[8] < c[6] + c[7] + c[8]);
});

test('the gradient: red up to the minimum wall, then viridis to the top', () => {
  const g = legendGradient({ maxMm: 10, ticks: [0, 5, 10], minWallMm: 2, lowestMm: 1, highestMm: 9, measured: 1, unmeasured: 0 });
  assert.ok(g.startsWith('linear-gradient(to right, rgb(220 38 38) 0%, rgb(220 38 38) 20%'), g);
  assert.ok(g.endsWith('rgb(253 231 37) 100%)'), g);
  const none = legendGradient({ maxMm: 10, ticks: [0, 5, 10], minWallMm: 0, lowestMm: 1, highestMm: 9, measured: 1, unmeasured: 0 });
  assert.ok(none.startsWith('linear-gradient(to right, rgb(68 1 84) 0%'), none);
});
