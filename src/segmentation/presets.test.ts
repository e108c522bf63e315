import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_PRESET, DICOM2STL_THRESHOLDS, THRESHOLD_PRESETS, presetRange } from './presets';

const byId = Object.fromEntries(THRESHOLD_PRESETS.map((p) => [p.id, p]));

describe('threshold presets', () => {
  test('ids are unique, every preset is a valid band with a hint', () => {
    assert.equal(new Set(THRESHOLD_PRESETS.map((p) => p.id)).size, THRESHOLD_PRESETS.length);
    for (const p of THRESHOLD_PRESETS) {
      assert.ok(p.label && p.hint, p.id);
      if (p.upper !== null) assert.ok(p.lower <= p.upper, p.id);
      if (p.seedBand) {
        assert.ok(p.seedBand.lower <= p.seedBand.upper, p.id);
        assert.ok(p.seedBand.lower >= p.lower && (p.upper === null || p.seedBand.upper <= p.upper), `${p.id}: seed inside the wide band`);
      }
    }
  });

  test("dicom2stl's four tissues as double thresholds [t1, t2, t3, t4]", () => {
    assert.deepEqual(DICOM2STL_THRESHOLDS, {
      bone: [200, 800, 1300, 1500],
      skin: [-200, 0, 500, 1500],
      soft: [-15, 30, 58, 100],
      fat: [-122, -112, -96, -70],
    });
    const pairs: [string, keyof typeof DICOM2STL_THRESHOLDS][] = [['d2s-bone', 'bone'], ['skin', 'skin'], ['soft', 'soft'], ['fat', 'fat']];
    for (const [id, tissue] of pairs) {
      const t: readonly number[] = DICOM2STL_THRESHOLDS[tissue];
      const t1 = t[0], t2 = t[1], t3 = t[2], t4 = t[3];
      const p = byId[id];
      assert.deepEqual({ lower: p.lower, upper: p.upper, seed: p.seedBand }, { lower: t1, upper: t4, seed: { lower: t2, upper: t3 } }, id);
    }
  });

  test('the existing ranges keep their values', () => {
    assert.deepEqual(presetRange(byId.bone, 3071), { lower: 300, upper: 3071 });
    assert.deepEqual(presetRange(byId['d2s-bone'], 3071), { lower: 200, upper: 1500 });
    assert.deepEqual(presetRange(byId.skin, 3071), { lower: -200, upper: 1500 });
    assert.deepEqual(presetRange(byId.soft, 3071), { lower: -15, upper: 100 });
    assert.deepEqual(presetRange(byId.fat, 3071), { lower: -122, upper: -70 });
    assert.equal(DEFAULT_PRESET.id, 'bone');
  });

  test('teeth and contrast presets', () => {
    assert.deepEqual(presetRange(byId.enamel, 3071), { lower: 1800, upper: 3071 });
    assert.deepEqual(presetRange(byId.contrast, 3071), { lower: 150, upper: 500 });
  });
});
