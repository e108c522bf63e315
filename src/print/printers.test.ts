import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bedFit, CUSTOM, PRINTERS, readPrinter, writePrinter } from './printers';

test('the stored choice comes back; a custom bed keeps its sizes; anything else gives the first profile', () => {
  const form3 = PRINTERS.find((p) => p.id === 'form3')!;
  assert.equal(readPrinter(writePrinter(form3)), form3);
  const custom = { id: CUSTOM, label: 'Custom', technology: 'resin' as const, bedMm: [120, 68, 150] as [number, number, number], minWallMm: 0.5 };
  assert.deepEqual(readPrinter(writePrinter(custom)), custom);
  for (const bad of [null, '', '{', '{"id":"nope"}', JSON.stringify({ ...custom, bedMm: [120, -1, 150] }), JSON.stringify({ ...custom, minWallMm: 0 })])
    assert.equal(readPrinter(bad), PRINTERS[0], String(bad));
});

test('bed fit: as it stands, turned about the vertical, or not at all (height never turns)', () => {
  const mk4 = PRINTERS[0]; // 250 × 210 × 220
  assert.equal(bedFit([240, 200, 100], mk4), 'fits');
  assert.equal(bedFit([200, 240, 100], mk4), 'turned');
  assert.equal(bedFit([240, 240, 100], mk4), 'no');
  assert.equal(bedFit([100, 100, 221], mk4), 'no');
});
