import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metadataText, parseMetadata, roundThousand } from './meta';

test("roundThousand writes what dicom2stl's Python writes (values printed by python3 from its code)", () => {
  // python3: str(float(int(1000.0 * x + 0.5)) * 0.001)
  const python: [number, string][] = [[1.0742, '1.074'], [0.48828, '0.488'], [3, '3.0'], [0.8594, '0.859'], [0.4512, '0.451'], [0.9766, '0.977'], [1.5, '1.5'], [12.3456, '12.346']];
  for (const [x, s] of python) assert.equal(roundThousand(x), s, String(x));
});

test('the metadata file: six "key value" lines, read back to the volume\'s size and spacing', () => {
  const text = metadataText({ dims: [512, 512, 96], spacing: [1.07421875, 1.07421875, 3] });
  assert.equal(text, 'xdimension 512\nydimension 512\nzdimension 96\nxspacing 1.074\nyspacing 1.074\nzspacing 3.0\n');
  assert.deepEqual(parseMetadata(text), { xdimension: 512, ydimension: 512, zdimension: 96, xspacing: 1.074, yspacing: 1.074, zspacing: 3 });
});
