import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena, memoryOf, typed, WASM_PAGE, type Alloc } from './memory';
import { MemoryReserve } from './reserve';

/** An Alloc that counts what it hands out (plain memory). */
function counting(): Alloc & { bytes: number } {
  const f = ((bytes: number) => {
    f.bytes += bytes;
    return { buffer: new ArrayBuffer(bytes), byteOffset: 0 };
  }) as Alloc & { bytes: number };
  f.bytes = 0;
  return f;
}

test('a reserve hands out its memory in order, 8-byte aligned, then new memory once it is used up', () => {
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
  assert.notEqual(c.buffer, r.buffer);
  assert.equal(fresh.bytes, r.bytes);
  assert.equal(r.overflow, r.bytes);
  const d = typed(Int32Array, alloc, 100); // (still fits after the one that did not)
  assert.equal(d.buffer, r.buffer);
  assert.equal(d.byteOffset, 88);
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

test('a reserve is WebAssembly memory: kernel memory comes from it, and a build\'s arena asks new kernel memory for WebAssembly memory too', () => {
  const r = new MemoryReserve(200_000);
  assert.ok(memoryOf(r.buffer), 'the reserve\'s buffer is a WebAssembly memory\'s');
  const asked: boolean[] = [];
  const fresh: Alloc = (bytes, kernel) => (asked.push(!!kernel), { buffer: new ArrayBuffer(bytes), byteOffset: 0 });
  const arena = new Arena(r.open(fresh)!);
  const k = arena.alloc(100_000, true);
  assert.equal(k.buffer, r.buffer);
  arena.alloc(r.bytes, true); // (beyond the reserve)
  assert.deepEqual(asked, [true], 'new memory asked for as kernel memory');
  // memory given back that is not WebAssembly's serves plain requests only
  const plain = new Float64Array(new ArrayBuffer(1 << 17));
  arena.giveBack(plain);
  assert.equal(arena.alloc(1000).buffer, plain.buffer);
  assert.notEqual(arena.alloc(1000, true).buffer, plain.buffer);
  r.close();
});
