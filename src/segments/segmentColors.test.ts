import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Segment } from '../../workers/core/segments';
import { fromHex, overlayColors, SEGMENT_ALPHA, SELECTED_ALPHA, toHex } from './segmentColors';

const seg = (id: number, layer: number, value: number, color: [number, number, number]): Segment => ({ id, name: `s${id}`, color, layer, value, visible: true, source: 'import' });

test('overlay colours: one table per layer, label → RGBA as ImageData stores it; hidden segments are not drawn; the selected one is more opaque', () => {
  const segments = [seg(1, 0, 5, [255, 0, 0]), seg(2, 0, 9, [0, 255, 0]), seg(3, 1, 1, [0, 0, 255])];
  const t = overlayColors(2, segments, new Set([2]), 3);
  assert.equal(t.length, 2);
  const rgba = (x: number) => [x & 255, (x >>> 8) & 255, (x >>> 16) & 255, x >>> 24];
  assert.deepEqual(rgba(t[0][5]), [255, 0, 0, SEGMENT_ALPHA]);
  assert.equal(t[0][9], 0, 'hidden');
  assert.deepEqual(rgba(t[1][1]), [0, 0, 255, SELECTED_ALPHA]);
  assert.equal(t[0].filter(Boolean).length + t[1].filter(Boolean).length, 2, 'nothing else drawn');
  // a pixel written through a Uint32Array view reads back as those bytes (little-endian, as browsers are)
  const px = new Uint8ClampedArray(4);
  new Uint32Array(px.buffer)[0] = t[1][1];
  assert.deepEqual([...px], [0, 0, 255, SELECTED_ALPHA]);
});

test('colour picker values: #rrggbb both ways', () => {
  assert.equal(toHex([241, 214, 145]), '#f1d691');
  assert.deepEqual(fromHex('#F1D691'), [241, 214, 145]);
  assert.equal(fromHex('red'), null);
});
