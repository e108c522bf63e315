import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestOnly } from './latest';

test('latestOnly: requests made while one runs collapse to the newest; nothing queues', async () => {
  const started: number[] = [];
  const done: number[] = [];
  let release: (() => void)[] = [];
  const request = latestOnly(
    (n: number) => {
      started.push(n);
      return new Promise<number>((resolve) => release.push(() => resolve(n)));
    },
    (r) => done.push(r),
    (e) => assert.fail(String(e)),
  );
  request(1);
  request(2);
  request(3);
  request(4);
  assert.deepEqual(started, [1]);
  release.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(done, [1]);
  assert.deepEqual(started, [1, 4], 'only the newest of the waiting requests ran');
  release.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(done, [1, 4]);
  request(5);
  assert.deepEqual(started, [1, 4, 5], 'idle again: runs at once');
  release.shift()!();
  await new Promise((r) => setTimeout(r, 0));
  release = [];
});
