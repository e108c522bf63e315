import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { mapPages } from './memory';

const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

test('mapPages maps every page of fresh shared memory: the process grows by the buffer', { skip: existsSync('/proc/self/status') ? false : 'reads /proc (Linux)' }, () => {
  const mb = 64;
  const data = new Int16Array(new SharedArrayBuffer(mb << 20));
  const before = rssKb();
  mapPages(data);
  const grew = (rssKb() - before) / 1024;
  assert.ok(grew > 0.9 * mb, `RSS grew ${grew.toFixed(1)} MB for ${mb} MB`);
  assert.ok(data.every((v) => v === 0));
});

test('mapPages changes no value, even while another thread writes them', async () => {
  const n = 1 << 22; // 8 MB
  const data = new Int16Array(new SharedArrayBuffer(2 * n));
  // the other thread writes i % 32749 − 16000 (zero at some places, as in a real slice) front to back
  const writer = new Worker(
    `const { workerData } = require('node:worker_threads');
     const d = new Int16Array(workerData);
     for (let i = 0; i < d.length; i++) d[i] = (i % 32749) - 16000;`,
    { eval: true, workerData: data.buffer },
  );
  const finished = new Promise((resolve, reject) => writer.on('exit', resolve).on('error', reject));
  for (let round = 0; round < 20; round++) mapPages(data);
  await finished;
  mapPages(data);
  for (let i = 0; i < n; i += 997) assert.equal(data[i], (i % 32749) - 16000, `value ${i}`);
  assert.ok(data.every((v, i) => v === (i % 32749) - 16000));
});
