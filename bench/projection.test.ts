import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOn, passesOn } from './projection';

test('passesOn: a step takes its work shared out, but never less than its longest partition; time outside the partitions stays', () => {
  const steps = [
    { partitions: 4, workMs: 400, longestMs: 100 }, // even: shares out perfectly
    { partitions: 4, workMs: 400, longestMs: 250 }, // one partition holds most of it
  ];
  assert.equal(passesOn(steps, 850, 1), 850);
  assert.equal(passesOn(steps, 850, 2), 200 + 250 + 50);
  assert.equal(passesOn(steps, 850, 8), 100 + 250 + 50);
});

test('buildOn: split stages divide, single-thread stages stay, the decimation by its quadrics and passes; load and deviation left out', () => {
  const run = {
    stages: [
      { name: 'load', ms: 1000 },
      { name: 'mask', ms: 80 },
      { name: 'components', ms: 30 },
      { name: 'smoothing', ms: 400 },
      { name: 'decimation', ms: 600 },
      { name: 'check', ms: 40 },
      { name: 'deviation', ms: 300 },
    ],
    decimationStages: [
      { name: 'quadrics', ms: 40 },
      { name: 'collapse passes', ms: 500 },
      { name: 'compact', ms: 60 },
    ],
    steps: [{ partitions: 16, workMs: 480, longestMs: 40 }],
  };
  assert.equal(buildOn(run, 1), 80 + 30 + 400 + 600 + 40);
  // 4 workers: mask 20, components 30, smoothing 100, decimation 60 + 10 + (120 + 20), check 40
  assert.equal(buildOn(run, 4), 20 + 30 + 100 + 60 + 10 + 140 + 40);
  // 16 workers: the passes' step is bound by its longest partition (40 > 480 / 16)
  assert.equal(buildOn(run, 16), 5 + 30 + 25 + 60 + 2.5 + 60 + 40);
});
