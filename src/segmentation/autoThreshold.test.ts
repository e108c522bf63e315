import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { histogramOf, otsuThreshold, valueCounts, volumeHistogram } from '../../workers/core/histogram';
import { defaultRange, isHounsfield, mrPresets, presetsFor, valueUnit } from './autoThreshold';
import { Histogram, barsPath, handleFraction, keyStep, moveHandle, valueAtX } from './Histogram';
import { THRESHOLD_PRESETS } from './presets';

/**
 * An MR-like volume: 60 % dark background (0…40), 40 % body on a ramp 300…1299 with a triangular
 * profile (most voxels mid-grey, few very bright), each body value v appearing 1 + min(v−300, 1299−v)/50 times.
 */
function mrVolume(): Int16Array {
  const body: number[] = [];
  for (let v = 300; v <= 1299; v++) for (let k = 0; k < 1 + Math.floor(Math.min(v - 300, 1299 - v) / 50); k++) body.push(v);
  const bg = Math.round((body.length * 60) / 40);
  const d = new Int16Array(bg + body.length);
  for (let i = 0; i < bg; i++) d[i] = i % 41;
  d.set(body, bg);
  return d;
}

/** Reference percentile over the body (values ≥ from) by sorting. */
function sortedPercentile(d: Int16Array, p: number, from: number): number {
  const s = [...d].filter((v) => v >= from).sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

describe('modality', () => {
  test('only CT is Hounsfield', () => {
    assert.equal(isHounsfield('CT'), true);
    assert.equal(isHounsfield(' ct '), true);
    for (const m of ['MR', '', 'PT', undefined]) assert.equal(isHounsfield(m), false, String(m));
    assert.equal(valueUnit('CT'), 'HU');
    assert.equal(valueUnit('MR'), 'signal');
  });
});

describe('MR presets', () => {
  const vc = valueCounts(mrVolume());

  test('Above Otsu splits background from body', () => {
    const [otsu] = mrPresets(vc);
    assert.equal(otsu.id, 'mr-otsu');
    // above all background; Otsu leans toward the wider class, so it may clip the body's faint tail,
    // but keeps nearly all of it
    assert.ok(otsu.lower > 40 && otsu.lower < 600, `otsu ${otsu.lower}`);
    const d = mrVolume();
    const kept = d.filter((v) => v >= otsu.lower).length;
    const body = d.filter((v) => v >= 300).length;
    assert.ok(kept / body > 0.9 && kept <= body, `kept ${kept} of ${body}`);
    assert.equal(otsu.upper, null);
  });

  test('percentiles are of the body (voxels above Otsu), not of the whole field of view', () => {
    const d = mrVolume();
    const ps = mrPresets(vc);
    const byId = Object.fromEntries(ps.map((p) => [p.id, p]));
    const otsu = byId['mr-otsu'].lower;
    assert.equal(byId['mr-upper-half'].lower, sortedPercentile(d, 0.5, otsu));
    assert.equal(byId['mr-top-25'].lower, sortedPercentile(d, 0.75, otsu));
    assert.equal(byId['mr-top-10'].lower, sortedPercentile(d, 0.9, otsu));
    for (const p of Object.values(byId)) {
      assert.equal(p.upper, null);
      assert.ok(p.label && p.hint.includes(String(p.lower)));
    }
  });

  test('lower bounds increase and duplicates are dropped', () => {
    const ps = mrPresets(vc);
    for (let i = 1; i < ps.length; i++) assert.ok(ps[i].lower > ps[i - 1].lower);
    // two values only: Otsu sits mid-gap and every percentile of the bright class selects the same voxels
    const two = mrPresets(valueCounts(Int16Array.from([0, 0, 0, 100, 100])));
    assert.deepEqual(two.map((p) => p.lower), [51]);
  });

  test('presetsFor picks by modality', () => {
    assert.equal(presetsFor('CT', vc), THRESHOLD_PRESETS);
    assert.equal(presetsFor('MR', vc)[0].id, 'mr-otsu');
    assert.equal(presetsFor('', vc)[0].id, 'mr-otsu');
  });
});

describe('defaultRange', () => {
  test('MR: Otsu to the maximum', () => {
    const vc = valueCounts(mrVolume());
    assert.deepEqual(defaultRange('MR', vc), { lower: otsuThreshold(vc), upper: 1299 });
  });

  test('CT: bone (300 HU) to the maximum, clamped to the data', () => {
    assert.deepEqual(defaultRange('CT', valueCounts(Int16Array.from([-1024, 0, 2000]))), { lower: 300, upper: 2000 });
    // a volume with nothing above 300 HU: lower clamps to the maximum
    assert.deepEqual(defaultRange('CT', valueCounts(Int16Array.from([-1000, 100]))), { lower: 100, upper: 100 });
  });

  test('constant volume: the one value', () => {
    const vc = valueCounts(new Int16Array(5).fill(12));
    assert.deepEqual(defaultRange('MR', vc), { lower: 12, upper: 12 });
    assert.deepEqual(defaultRange('CT', vc), { lower: 12, upper: 12 });
  });
});

describe('Histogram helpers', () => {
  // values -1000..1047 → span 2048, 256 bins of 8
  const h = histogramOf(valueCounts(Int16Array.from({ length: 2048 }, (_, i) => i - 1000)), 256);

  test('valueAtX maps pixels linearly over the bins and clamps', () => {
    assert.equal(h.binWidth, 8);
    assert.equal(valueAtX(0, 256, h), -1000);
    assert.equal(valueAtX(128, 256, h), 24);
    assert.equal(valueAtX(255.99, 256, h), 1047);
    assert.equal(valueAtX(256, 256, h), 1047);
    assert.equal(valueAtX(-50, 256, h), -1000);
    assert.equal(valueAtX(999, 256, h), 1047);
    assert.equal(valueAtX(10, 0, h), -1000);
  });

  test('handles sit on the band edges and round-trip through valueAtX', () => {
    assert.equal(handleFraction(-1000, 'lower', h), 0);
    assert.equal(handleFraction(1047, 'upper', h), 1);
    for (const v of [-1000, -3, 0, 300, 1046]) {
      const x = handleFraction(v, 'lower', h) * 296;
      assert.equal(valueAtX(x + 1e-6, 296, h), v); // lower edge of v: v itself just to its right
    }
    assert.equal(handleFraction(5000, 'upper', h), 1);
    assert.equal(handleFraction(-5000, 'lower', h), 0);
  });

  test('moveHandle never lets the ends cross and clamps to the histogram', () => {
    const r = { lower: 0, upper: 500 };
    assert.deepEqual(moveHandle(r, 'lower', 200.4, h), { lower: 200, upper: 500 });
    assert.deepEqual(moveHandle(r, 'lower', 900, h), { lower: 500, upper: 500 });
    assert.deepEqual(moveHandle(r, 'upper', -300, h), { lower: 0, upper: 0 });
    assert.deepEqual(moveHandle(r, 'upper', 9999, h), { lower: 0, upper: 1047 });
    assert.deepEqual(moveHandle(r, 'lower', -9999, h), { lower: -1000, upper: 500 });
  });

  test('keyboard steps', () => {
    assert.equal(keyStep('ArrowRight', false), 1);
    assert.equal(keyStep('ArrowUp', true), 10);
    assert.equal(keyStep('ArrowLeft', false), -1);
    assert.equal(keyStep('ArrowDown', true), -10);
    assert.equal(keyStep('PageUp', false), 100);
    assert.equal(keyStep('PageDown', true), -100);
    assert.equal(keyStep('Home', false), 'min');
    assert.equal(keyStep('End', false), 'max');
    assert.equal(keyStep('a', false), null);
  });

  test('bars: one closed bar per non-empty bin, tallest at full height', () => {
    const hh = volumeHistogram(Int16Array.from([0, 0, 0, 0, 3]), 256);
    const p = barsPath(hh, 100);
    assert.equal((p.match(/M/g) ?? []).length, 2);
    assert.equal(p, `M0 100v-100h1v100zM3 100v-${Math.round((Math.log(2) / Math.log(5)) * 10000) / 100}h1v${Math.round((Math.log(2) / Math.log(5)) * 10000) / 100}z`);
    assert.equal(barsPath(histogramOf(valueCounts(new Int16Array(0))), 100), '');
  });

  test('renders two labelled sliders with their values', () => {
    const html = renderToStaticMarkup(createElement(Histogram, { hist: h, range: { lower: 300, upper: 1000 }, onRange: () => {}, unit: 'HU' }));
    assert.match(html, /role="slider"[^>]*aria-label="Lower threshold handle"[^>]*aria-valuemin="-1000"[^>]*aria-valuemax="1000"[^>]*aria-valuenow="300"[^>]*aria-valuetext="300 HU"/);
    assert.match(html, /aria-label="Upper threshold handle"[^>]*aria-valuemin="300"[^>]*aria-valuemax="1047"[^>]*aria-valuenow="1000"/);
    assert.match(html, /clip-path="url\(#histogram-clip-[A-Za-z0-9_-]+\)"/);
    const disabled = renderToStaticMarkup(createElement(Histogram, { hist: h, range: { lower: 300, upper: 1000 }, onRange: () => {}, disabled: true }));
    assert.match(disabled, /tabindex="-1"[^>]*aria-disabled="true"/);
  });
});
