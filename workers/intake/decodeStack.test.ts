import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStack } from './decodeStack';
import { scanHeaders } from './headerScan';
import { fileSource, listFiles, nodeDecoder } from './nodeLoad';
import { data, needsShared } from './testData';

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
