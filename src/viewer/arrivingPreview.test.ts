import { test } from 'node:test';
import assert from 'node:assert/strict';
import { previewFrame, previewPixels, type ViewName } from './arrivingPreview';
import { indexToWorld, worldToIndex, type ViewGeometry } from './overlay';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) =>
  assert.ok(Array.from(a).every((x, i) => Math.abs(x - b[i]) < 1e-9), `${what}: ${Array.from(a)} ≠ ${Array.from(b)}`);

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const box: ViewGeometry = { dims: [10, 20, 30], spacing: [1, 1, 2], origin: [-5, 7, 100], direction: IDENTITY };

test('indexToWorld inverts worldToIndex, for an oblique volume too', () => {
  const c = Math.cos(0.3), s = Math.sin(0.3);
  const g: ViewGeometry = { dims: [8, 9, 10], spacing: [0.7, 0.9, 1.5], origin: [3, -2, 40], direction: [c, s, 0, -s, c, 0, 0, 0, 1] };
  for (const p of [[0, 0, 0], [7, 8, 9], [1.5, -2, 3.25]]) close(worldToIndex(g, indexToWorld(g, p)), p, `index ${p}`);
});

test('each view lies along its camera axes, through the middle slice, fitted whole', () => {
  // axial: right +x (i), down +y (j); the box is 10 × 20 mm in it, so 20 mm fill the 100 pixels' height
  const axial = previewFrame(box, 'axial', 100, 100);
  close(axial.dx, [0.2, 0, 0], 'axial right');
  close(axial.dy, [0, 0.2, 0], 'axial down');
  // the centre of the canvas is the centre of the slice ⌊30/2⌋ = 15, as Cornerstone's reset camera has it
  close([0, 1, 2].map((a) => axial.at[a] + 49.5 * (axial.dx[a] + axial.dy[a])), [4.5, 9.5, 15], 'axial centre');
  // sagittal: right +y (j), down −z (k, 2 mm apart); 60 mm high, 20 mm wide: the height fits 100 pixels
  const sagittal = previewFrame(box, 'sagittal', 100, 100);
  close(sagittal.dx, [0, 0.6, 0], 'sagittal right');
  close(sagittal.dy, [0, 0, -0.3], 'sagittal down');
  close([0, 1, 2].map((a) => sagittal.at[a] + 49.5 * (sagittal.dx[a] + sagittal.dy[a])), [5, 9.5, 14.5], 'sagittal centre');
  // coronal: right +x, down −z, on the middle row j = 10
  const coronal = previewFrame(box, 'coronal', 200, 100);
  close(coronal.dx, [0.6, 0, 0], 'coronal right');
  close(coronal.dy, [0, 0, -0.3], 'coronal down');
  close([0, 1, 2].map((a) => coronal.at[a] + 99.5 * coronal.dx[a] + 49.5 * coronal.dy[a]), [4.5, 10, 14.5], 'coronal centre');
});

test('never mirrored: a volume stored right to left is drawn with the patient\'s left on the right all the same', () => {
  // i runs toward −x: a bright voxel at i = 0 (the largest x) must land on the right half of the axial view
  const flipped: ViewGeometry = { ...box, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] };
  const data = new Int16Array(10 * 20 * 30);
  for (let j = 0; j < 20; j++) data[0 + 10 * (j + 20 * 15)] = 1000;
  const arrived = new Uint8Array(30).fill(1);
  const px = previewPixels(100, 100, flipped, data, arrived, 'axial', { lower: 0, upper: 1000 });
  const white = [];
  for (let x = 0; x < 100; x++) if ((px[50 * 100 + x] & 0xff) === 255) white.push(x);
  assert.ok(white.length > 0 && white.every((x) => x > 50), `bright columns ${white}`);
  // and stored left to right, on the left
  const plain = previewPixels(100, 100, box, data, arrived, 'axial', { lower: 0, upper: 1000 });
  const left = [];
  for (let x = 0; x < 100; x++) if ((plain[50 * 100 + x] & 0xff) === 255) left.push(x);
  assert.ok(left.length > 0 && left.every((x) => x < 50), `bright columns ${left}`);
});

test('values go through the window; slices not written yet and the outside are black', () => {
  const data = new Int16Array(10 * 20 * 30).fill(500);
  const arrived = new Uint8Array(30);
  arrived[15] = 1;
  const grey = (px: number) => px & 0xff;
  const views: ViewName[] = ['axial', 'sagittal', 'coronal'];
  const [axial, sagittal] = views.map((v) => previewPixels(100, 100, box, data, arrived, v, { lower: 0, upper: 1000 }));
  // the axial middle slice arrived: mid grey, opaque, in the box; black beside it (10 of 20 mm wide)
  assert.equal(grey(axial[50 * 100 + 50]), 128);
  assert.equal(axial[50 * 100 + 50] >>> 24, 255);
  assert.equal(grey(axial[50 * 100 + 2]), 0);
  // the sagittal view shows one row of it: only the rows of slice 15 are lit
  const litRows = [];
  for (let y = 0; y < 100; y++) if (grey(sagittal[y * 100 + 50]) > 0) litRows.push(y);
  assert.ok(litRows.length >= 3 && litRows.length <= 4, `rows ${litRows}`);
  assert.ok(litRows.every((y) => Math.abs(y - 49.5) < 3), `rows ${litRows}`);
  // every slice arrived: the whole box is lit
  const all = previewPixels(100, 100, box, data, arrived.fill(1), 'sagittal', { lower: 0, upper: 1000 });
  let lit = 0;
  for (let y = 0; y < 100; y++) if (grey(all[y * 100 + 50]) > 0) lit++;
  assert.equal(lit, 100);
  // below the window black, above it white
  assert.equal(grey(previewPixels(10, 10, box, data, arrived, 'axial', { lower: 600, upper: 1000 })[55]), 0);
  assert.equal(grey(previewPixels(10, 10, box, data, arrived, 'axial', { lower: 0, upper: 400 })[55]), 255);
});
