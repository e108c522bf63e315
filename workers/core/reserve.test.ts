import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena, memoryOf, typed, WASM_PAGE, type Alloc } from './memory';
import { MemoryReserve } from './reserve';

/** An Alloc that counts what it hands out (plain memory; none past 1 GB, for the counting only). */
function counting(): Alloc & { bytes: number } {
  const f = ((bytes: number) => {
    f.bytes += bytes;
    return { buffer: new ArrayBuffer(bytes < 2 ** 30 ? bytes : 0), byteOffset: 0 };
  }) as Alloc & { bytes: number };
  f.bytes = 0;
  return f;
}

test('a reserve hands out its memory in order, 8-byte aligned, then grows the same memory once it is used up', () => {
  const r = new MemoryReserve(10_000);
  assert.equal(r.bytes, 2 * WASM_PAGE, 'whole WebAssembly pages, at least two');
  const fresh = counting();
  const alloc = r.open(fresh)!;
  const a = typed(Uint8Array, alloc, 3);
  const b = typed(Float64Array, alloc, 10);
  assert.equal(a.buffer, r.buffer);
  assert.equal(a.byteOffset, 0);
  assert.equal(b.buffer, r.buffer);
  assert.equal(b.byteOffset, 8, 'aligned for a Float64Array');
  assert.equal(r.used, 88);
  const c = typed(Uint8Array, alloc, r.bytes); // (more than is left)
  assert.equal(memoryOf(c.buffer), memoryOf(r.buffer), 'the same WebAssembly memory, grown');
  assert.equal(c.byteOffset, 88);
  assert.ok(c.buffer.byteLength >= 88 + r.bytes);
  assert.equal(fresh.bytes, 0, 'no fresh memory');
  assert.equal(r.used, r.bytes, 'all that was set aside');
  assert.equal(r.overflow, 88, 'and the bytes beyond it');
  const d = typed(Int32Array, alloc, 100);
  assert.equal(d.byteOffset, 88 + r.bytes, 'after the last region');
  c[5] = 7;
  assert.equal(new Uint8Array(d.buffer)[93], 7, 'one memory under both');
  // beyond WebAssembly's 4 GB: fresh memory
  const huge = (alloc(2 ** 32), fresh.bytes);
  assert.equal(huge, 2 ** 32);
  r.close();
});

test('one build at a time: a second open gets null until close, and an allocator of an earlier open draws no more from it', () => {
  const r = new MemoryReserve(4096);
  const first = r.open(counting())!;
  assert.equal(r.busy, true);
  assert.equal(r.open(), null);
  r.close();
  assert.equal(r.busy, false);
  const second = r.open(counting())!;
  assert.equal(typed(Uint8Array, second, 16).byteOffset, 0);
  assert.notEqual(typed(Uint8Array, first, 16).buffer, r.buffer, 'the old build gets new memory');
  assert.equal(r.overflow, 0, 'not counted as the new build\'s');
  assert.equal(typed(Uint8Array, second, 16).byteOffset, 16);
});

test('memory an earlier build left values in comes zeroed, whatever part of it a region covers', () => {
  const r = new MemoryReserve(8192);
  const alloc = r.open()!;
  typed(Uint8Array, alloc, 5000).fill(0xab);
  r.close();
  const again = r.open()!;
  const x = typed(Uint8Array, again, 3000);
  const y = typed(Uint8Array, again, 4000); // (crosses where the last build stopped)
  assert.ok(x.every((v) => v === 0) && y.every((v) => v === 0));
});

test('chunks cover the buffer in whole pages, for mapping on the workers', () => {
  const r = new MemoryReserve(2 * WASM_PAGE + 1);
  assert.equal(r.bytes, 3 * WASM_PAGE);
  const chunks = r.chunks(20 * 4096 + 100);
  assert.deepEqual(chunks.map((c) => [c.byteOffset, c.byteLength]), [
    [0, 20 * 4096],
    [20 * 4096, 20 * 4096],
    [40 * 4096, 8 * 4096],
  ]);
  assert.ok(chunks.every((c) => c.buffer === r.buffer));
});

test('a reserve is WebAssembly memory: kernel regions come from it, and memory given back that is not WebAssembly\'s serves plain requests only', () => {
  const r = new MemoryReserve(200_000);
  assert.ok(memoryOf(r.buffer), 'the reserve\'s buffer is a WebAssembly memory\'s');
  const arena = new Arena(r.open()!);
  assert.equal(arena.alloc(100_000, true).buffer, r.buffer);
  const plain = new Float64Array(new ArrayBuffer(1 << 17));
  arena.giveBack(plain);
  assert.equal(arena.alloc(1000).buffer, plain.buffer);
  assert.equal(memoryOf(arena.alloc(1000, true).buffer), memoryOf(r.buffer));
  r.close();
});
