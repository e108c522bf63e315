import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expose } from 'comlink';
import { Aborted, WorkerBridge, WorkerPool } from './bridge';

/** Stand-ins for workers: an API over a MessageChannel (as comlink talks to a worker), numbered in start order. */
function fakeWorkers() {
  const started: { id: number; terminated: boolean }[] = [];
  const start = () => {
    const me = { id: started.length, terminated: false };
    started.push(me);
    const { port1, port2 } = new MessageChannel();
    expose({ id: () => me.id, after: (ms: number, value: number) => new Promise<number>((r) => setTimeout(() => r(value), ms)) }, port2);
    return Object.assign(port1, {
      terminate() {
        me.terminated = true;
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
  return { started, start };
}
type Api = { id(): number; after(ms: number, value: number): Promise<number> };

test('renew: an idle worker stops at once and the next call runs on a fresh one', async () => {
  const { started, start } = fakeWorkers();
  const bridge = new WorkerBridge<Api>({ name: 'test', start });
  assert.equal(await bridge.run((w) => w.id()), 0);
  bridge.renew();
  assert.equal(started[0].terminated, true);
  assert.equal(bridge.started, false);
  assert.equal(await bridge.run((w) => w.id()), 1);
  assert.equal(await bridge.run((w) => w.id()), 1, 'no renewal pending: the same worker again');
  bridge.abort();
});

test('renew: a worker with calls in flight finishes them (none is cut off), then stops', async () => {
  const { started, start } = fakeWorkers();
  const bridge = new WorkerBridge<Api>({ name: 'test', start });
  const slow = bridge.run((w) => w.after(60, 7));
  const quick = bridge.run((w) => w.after(10, 3));
  bridge.renew();
  assert.equal(await quick, 3);
  assert.equal(started[0].terminated, false, 'one call still runs');
  assert.equal(await slow, 7);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started[0].terminated, true, 'stopped once idle');
  assert.equal(await bridge.run((w) => w.id()), 1);
  bridge.abort();
});

test('pool: work held beyond run() (a measure still running on the workers) keeps them until it settles', async () => {
  const { started, start } = fakeWorkers();
  const pool = new WorkerPool<Api>(2, { name: 'pool', start });
  let later!: Promise<number>;
  await pool.run(async (apis) => {
    await Promise.all(apis.map((a) => a.id()));
    later = apis[0].after(50, 5); // (as a build's deviation: measured after the build returns)
  });
  pool.held(later);
  pool.renew();
  assert.deepEqual(started.map((s) => s.terminated), [false, false]);
  assert.equal(await later, 5);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(started.map((s) => s.terminated), [true, true]);
  const ids = await pool.run((apis) => Promise.all(apis.map((a) => a.id())));
  assert.deepEqual(ids.sort(), [2, 3]);
  pool.abort();
});

test('abort still cuts off the calls in flight, and drops a renewal that waited for them', async () => {
  const { started, start } = fakeWorkers();
  const bridge = new WorkerBridge<Api>({ name: 'test', start });
  const slow = bridge.run((w) => w.after(1000, 1));
  bridge.renew();
  bridge.abort();
  await assert.rejects(slow, Aborted);
  assert.equal(started[0].terminated, true);
  // the next worker is not stopped by the renewal its predecessor owed
  const next = bridge.run((w) => w.after(20, 2));
  assert.equal(await next, 2);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started[1].terminated, false);
  bridge.abort();
});

test('pool: work held from inside a run is not cut off by a renewal that waited for the run', async () => {
  const { started, start } = fakeWorkers();
  const pool = new WorkerPool<Api>(1, { name: 'pool', start });
  const busy = pool.bridges[0].run((w) => w.after(20, 0)); // (an export, say)
  pool.renew(); // waits for it
  let later!: Promise<number>;
  const run = pool.run(async (apis) => {
    await apis[0].after(40, 0);
    later = pool.held(apis[0].after(40, 9)); // (a build's deviation, measured after the build)
  });
  await busy;
  await run;
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started[0].terminated, false, 'the held work still runs');
  assert.equal(await later, 9);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started[0].terminated, true);
  pool.abort();
});
