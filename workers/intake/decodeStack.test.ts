import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStack } from './decodeStack';
import { scanHeaders } from './headerScan';
import { fileSource, listFiles, nodeDecoder } from './nodeLoad';
import { data, needsShared } from './testData';
import type { Volume } from '../core/types';

test("the decoder's prepare gets the slices' buffer before any slice, and every slice goes into that buffer", needsShared, async () => {
  const scan = await scanHeaders(listFiles(data('ct_abdomen_tcia_pancreas')).map(fileSource));
  const events: string[] = [];
  let prepared: Int16Array | null = null;
  const decoder = {
    concurrency: 4,
    prepare(buffer: Int16Array) {
      events.push('prepare');
      prepared = buffer;
    },
    decode: (...args: Parameters<typeof nodeDecoder.decode>) => {
      events.push('decode');
      assert.equal(args[3], prepared);
      return nodeDecoder.decode(...args);
    },
  };
  const r = await decodeStack(scan, decoder);
  assert.equal(events[0], 'prepare');
  assert.equal(events.filter((e) => e === 'prepare').length, 1);
  assert.equal(events.length, 1 + scan.stack!.headers.length);
  // (evenly spaced slices: no resampling, so that buffer is the volume itself)
  assert.equal(prepared, r.volume.data);
});

test('onVolume gives the volume before any slice is decoded; each slice is announced once it is written, the middle one first', needsShared, async () => {
  const scan = await scanHeaders(listFiles(data('ct_abdomen_tcia_pancreas')).map(fileSource));
  const n = scan.stack!.headers.length;
  const events: string[] = [];
  let shown: Volume | null = null;
  const announced: number[] = [];
  // the sum of each announced slice at the moment it was announced
  const sums = new Map<number, number>();
  const sliceSum = (v: Volume, k: number) => {
    const size = v.dims[0] * v.dims[1];
    let s = 0;
    for (const x of v.data.subarray(k * size, (k + 1) * size)) s += x;
    return s;
  };
  const decoder = {
    concurrency: 4,
    decode: (...args: Parameters<typeof nodeDecoder.decode>) => {
      events.push('decode');
      return nodeDecoder.decode(...args);
    },
  };
  const r = await decodeStack(
    scan,
    decoder,
    (p) => {
      if (p.slice === undefined) return;
      announced.push(p.slice);
      sums.set(p.slice, sliceSum(shown!, p.slice));
    },
    {
      onVolume(v) {
        events.push('volume');
        shown = v;
        assert.ok(v.data.every((x) => x === 0), 'nothing decoded yet');
      },
    },
  );
  assert.deepEqual(events.slice(0, 2), ['volume', 'decode']);
  assert.equal(events.filter((e) => e === 'volume').length, 1);
  assert.equal(shown, r.volume, 'the result is the volume shown');
  assert.equal(announced[0], n >> 1, 'the middle slice first');
  assert.deepEqual([...announced].sort((a, b) => a - b), Array.from({ length: n }, (_, k) => k), 'every slice once');
  // a slice was whole when announced: nothing changed in it afterwards
  for (let k = 0; k < n; k++) assert.equal(sums.get(k), sliceSum(r.volume, k), `slice ${k}`);
  assert.ok(sliceSum(r.volume, n >> 1) !== 0);
});

test('a stack resampled after decoding (gantry tilt) is not shown while it loads', needsShared, async () => {
  const scan = await scanHeaders(listFiles(data('ct_head_ge_gantry_tilt')).map(fileSource));
  let called = false;
  const slices: number[] = [];
  await decodeStack(scan, nodeDecoder, (p) => p.slice !== undefined && slices.push(p.slice), { onVolume: () => (called = true) });
  assert.equal(called, false);
  assert.deepEqual(slices, []);
});
