import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countsRange, histogramOf, otsuThreshold, percentile, valueCounts, volumeHistogram } from './histogram';

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately Gaussian (sum of 4 uniforms), rounded to int16. */
function gaussians(parts: { n: number; mean: number; sd: number }[], seed = 1): Int16Array {
  const r = rng(seed);
  const out = new Int16Array(parts.reduce((a, p) => a + p.n, 0));
  let i = 0;
  for (const p of parts)
    for (let k = 0; k < p.n; k++) {
      const z = (r() + r() + r() + r() - 2) * Math.sqrt(3); // unit variance
      out[i++] = Math.round(p.mean + p.sd * z);
    }
  return out;
}

const sum = (a: Uint32Array) => a.reduce((s, v) => s + v, 0);

describe('valueCounts', () => {
  test('counts every value exactly, offset is the minimum', () => {
    const vc = valueCounts(Int16Array.from([5, -3, 5, 5, 0, -3, 7]));
    assert.equal(vc.offset, -3);
    assert.equal(vc.total, 7);
    assert.deepEqual([...vc.counts], [2, 0, 0, 1, 0, 0, 0, 0, 3, 0, 1]);
    assert.deepEqual(countsRange(vc), { min: -3, max: 7 });
  });

  test('int16 extremes and a length that is not a multiple of the unroll', () => {
    const vc = valueCounts(Int16Array.from([-32768, 32767, 0, 0, 0]));
    assert.equal(vc.offset, -32768);
    assert.equal(vc.counts.length, 65536);
    assert.equal(vc.counts[0], 1);
    assert.equal(vc.counts[65535], 1);
    assert.equal(vc.counts[32768], 3);
    assert.equal(sum(vc.counts), 5);
  });

  test('empty data', () => {
    const vc = valueCounts(new Int16Array(0));
    assert.equal(vc.total, 0);
    assert.equal(vc.counts.length, 0);
    assert.deepEqual(countsRange(vc), { min: 0, max: 0 });
    assert.equal(otsuThreshold(vc), 0);
    assert.equal(percentile(vc, 0.5), 0);
  });

  test('works on a view of a SharedArrayBuffer', () => {
    const d = new Int16Array(new SharedArrayBuffer(2 * 1001));
    for (let i = 0; i < d.length; i++) d[i] = i - 500;
    const vc = valueCounts(d);
    assert.equal(vc.offset, -500);
    assert.equal(vc.counts.length, 1001);
    assert.ok(vc.counts.every((c) => c === 1));
  });
});

describe('volumeHistogram', () => {
  const data = gaussians([
    { n: 30000, mean: -1000, sd: 20 },
    { n: 20000, mean: 40, sd: 30 },
    { n: 5000, mean: 1200, sd: 200 },
  ]);

  test('counts sum to the voxel count and the bins cover min..max', () => {
    const h = volumeHistogram(data, 256);
    const { min, max } = countsRange(valueCounts(data));
    assert.equal(h.min, min);
    assert.equal(h.max, max);
    assert.equal(sum(h.counts), data.length);
    assert.ok(h.counts.length <= 256);
    assert.ok(Number.isInteger(h.binWidth) && h.binWidth >= 1);
    // first bin starts at min, last bin contains max, no bin wholly beyond max
    assert.ok(h.min + h.counts.length * h.binWidth > h.max);
    assert.ok(h.min + (h.counts.length - 1) * h.binWidth <= h.max);
    assert.ok(h.counts[0] > 0 && h.counts[h.counts.length - 1] > 0);
  });

  test('each bin holds exactly its values', () => {
    const vc = valueCounts(data);
    const h = histogramOf(vc, 100);
    for (let i = 0; i < h.counts.length; i++) {
      let expect = 0;
      for (let v = h.min + i * h.binWidth; v < h.min + (i + 1) * h.binWidth; v++) {
        const j = v - vc.offset;
        if (j >= 0 && j < vc.counts.length) expect += vc.counts[j];
      }
      assert.equal(h.counts[i], expect, `bin ${i}`);
    }
  });

  test('a narrow span gets one value per bin', () => {
    const d = Int16Array.from([0, 1, 2, 3, 3, 9]);
    const h = volumeHistogram(d, 256);
    assert.equal(h.binWidth, 1);
    assert.equal(h.counts.length, 10);
    assert.deepEqual([...h.counts], [1, 1, 1, 2, 0, 0, 0, 0, 0, 1]);
  });

  test('an explicit range drops values outside it', () => {
    const h = volumeHistogram(data, 64, { min: -200, max: 300 });
    assert.equal(h.min, -200);
    assert.equal(h.max, 300);
    let inside = 0;
    for (const v of data) if (v >= -200 && v <= 300) inside++;
    assert.equal(sum(h.counts), inside);
    assert.ok(h.counts.length <= 64);
  });

  test('a constant volume is one full bin', () => {
    const h = volumeHistogram(new Int16Array(1000).fill(-1024));
    assert.deepEqual({ min: h.min, max: h.max, binWidth: h.binWidth }, { min: -1024, max: -1024, binWidth: 1 });
    assert.deepEqual([...h.counts], [1000]);
  });
});

describe('percentile', () => {
  // a uniform ramp 0..999, each value once
  const ramp = valueCounts(Int16Array.from({ length: 1000 }, (_, i) => i));

  test('of a uniform ramp', () => {
    assert.equal(percentile(ramp, 0), 0);
    assert.equal(percentile(ramp, 0.1), 99);
    assert.equal(percentile(ramp, 0.5), 499);
    assert.equal(percentile(ramp, 0.9), 899);
    assert.equal(percentile(ramp, 1), 999);
    assert.equal(percentile(ramp, -1), 0);
    assert.equal(percentile(ramp, 2), 999);
  });

  test('restricted to values ≥ from', () => {
    assert.equal(percentile(ramp, 0, 500), 500);
    assert.equal(percentile(ramp, 0.5, 500), 749);
    assert.equal(percentile(ramp, 1, 500), 999);
  });

  test('skips empty values and honours repeated ones', () => {
    const vc = valueCounts(Int16Array.from([10, 10, 10, 10, 50, 90]));
    assert.equal(percentile(vc, 0), 10);
    assert.equal(percentile(vc, 0.5), 10);
    assert.equal(percentile(vc, 0.7), 50);
    assert.equal(percentile(vc, 0.9), 90);
    assert.equal(percentile(vc, 0, 11), 50); // first value present at or after 11
  });

  test('a constant volume', () => {
    const vc = valueCounts(new Int16Array(10).fill(7));
    for (const p of [0, 0.3, 1]) assert.equal(percentile(vc, p), 7);
  });
});

describe('otsuThreshold', () => {
  test('two Gaussian populations: lands in the valley between them', () => {
    // background ~ N(100, 15), tissue ~ N(600, 60): the density valley is near 330
    const vc = valueCounts(gaussians([
      { n: 60000, mean: 100, sd: 15 },
      { n: 40000, mean: 600, sd: 60 },
    ]));
    const t = otsuThreshold(vc);
    assert.ok(t > 200 && t < 450, `otsu ${t}`);
    // it separates the classes: (almost) every background voxel below, tissue at or above
    let below = 0;
    for (let i = 0; i < t - vc.offset; i++) below += vc.counts[i];
    assert.ok(Math.abs(below - 60000) < 30, `below ${below}`);
  });

  test('two separated spikes: the middle of the gap', () => {
    const d = new Int16Array(300);
    d.fill(100, 0, 200);
    d.fill(200, 200);
    const t = otsuThreshold(valueCounts(d));
    // any t in 101..200 splits the same way; the middle is 150 or 151
    assert.ok(t === 150 || t === 151, `otsu ${t}`);
  });

  test('equal populations symmetric about a mean: threshold at the mean', () => {
    const d = gaussians([
      { n: 50000, mean: -500, sd: 40 },
      { n: 50000, mean: 500, sd: 40 },
    ], 7);
    const t = otsuThreshold(valueCounts(d));
    assert.ok(Math.abs(t) < 200, `otsu ${t}`); // the gap is ~[-300, 300]
  });

  test('overlapping populations (no empty gap): between the means, near the density valley', () => {
    // N(0, 100) and N(400, 100) overlap over ~[54, 346]; equal weights and spreads put the optimum at ~200
    const d = gaussians([
      { n: 50000, mean: 0, sd: 100 },
      { n: 50000, mean: 400, sd: 100 },
    ], 3);
    const t = otsuThreshold(valueCounts(d));
    assert.ok(Math.abs(t - 200) <= 10, `otsu ${t}`);
  });

  test('uniform ramp: the middle', () => {
    const t = otsuThreshold(valueCounts(Int16Array.from({ length: 1000 }, (_, i) => i)));
    assert.ok(Math.abs(t - 500) <= 1, `otsu ${t}`);
  });

  test('two values: the upper one', () => {
    assert.equal(otsuThreshold(valueCounts(Int16Array.from([3, 3, 4]))), 4);
  });

  test('a constant volume gives its value', () => {
    assert.equal(otsuThreshold(valueCounts(new Int16Array(50).fill(-7))), -7);
  });
});
