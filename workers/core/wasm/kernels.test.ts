import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { marchingCubes } from '../marchingCubes';
import { memoryOf, plainMemory, wasmMemory } from '../memory';
import { buildVertexNeighbours, umbrellaStep } from '../smooth';
import { BONE, volumeFrom } from '../testVolumes';
import { kernelsFor } from './kernels';

const hasClang = (() => {
  try {
    execFileSync('clang-14', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld-14', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('kernels.wasm.ts is what the C sources build', { skip: hasClang ? false : 'needs clang-14 and lld-14 (apt-get install clang-14 lld-14)' }, () => {
  // (exits non-zero, which throws, when the committed module differs from a fresh build)
  execFileSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url)), '--check'], { stdio: 'pipe' });
});

test('umbrella: umbrellaStep\'s positions bit for bit, over a range of vertices, with vertices that have no neighbours', () => {
  const v = volumeFrom([40, 36, 30], [0.8, 0.9, 1.1], (x, y, z) => Math.hypot(x, y, z) - 12 + 0.7 * Math.sin(3 * x));
  const mesh = marchingCubes(v, BONE);
  const nv = mesh.positions.length / 3 + 5; // (five vertices of no triangle)
  const { offsets, neighbours } = buildVertexNeighbours(mesh.indices, nv);
  const v0 = 17, v1 = nv - 2;
  const memory = wasmMemory(2 * 24 * nv + 4 * (v1 - v0 + 1) + 4 * neighbours.length + 64)!;
  assert.ok(memory, 'a shared WebAssembly memory');
  let at = 8;
  const take = <T>(Type: new (b: ArrayBufferLike, o: number, n: number) => T, n: number, size: number) => {
    const a = new Type(memory.buffer, at, n);
    at += Math.ceil((n * size) / 8) * 8;
    return a;
  };
  const src = take(Float64Array, 3 * nv, 8), dst = take(Float64Array, 3 * nv, 8);
  const rows = take(Uint32Array, v1 - v0 + 1, 4), nb = take(Uint32Array, neighbours.length, 4);
  for (let i = 0; i < 3 * nv; i++) src[i] = i < mesh.positions.length ? mesh.positions[i] : i;
  for (let i = 0; i <= v1 - v0; i++) rows[i] = offsets[v0 + i] - offsets[v0];
  const row = nb.subarray(0, offsets[v1] - offsets[v0]);
  for (let i = 0; i < row.length; i++) row[i] = 3 * neighbours[offsets[v0] + i];
  const expected = new Float64Array(3 * nv);
  umbrellaStep(src, expected, rows, row, v0, v1, 0.5);
  kernelsFor(memory).umbrella(src, dst, rows, row, v0, v1, 0.5);
  let differ = 0;
  for (let i = 3 * v0; i < 3 * v1; i++) if (Object.is(dst[i], expected[i]) === false) differ++;
  assert.equal(differ, 0, 'coordinates that differ');
  assert.deepEqual(Array.from(dst.subarray(3 * (nv - 5), 3 * v1)), Array.from(src.subarray(3 * (nv - 5), 3 * v1)), 'no neighbours: where they were');
  assert.ok(dst[3 * v0] !== src[3 * v0], 'the step moved vertices');
  assert.equal(dst[3 * v0 - 1], 0, 'nothing written before v0');
  assert.equal(dst[3 * v1], 0, 'nothing written from v1 on');
});

test('the kernels refuse arrays outside their memory, and a kernel region comes from WebAssembly memory', () => {
  const memory = wasmMemory(1 << 16)!;
  const inside = new Float64Array(memory.buffer, 0, 30);
  const rows = new Uint32Array(memory.buffer, 240, 2);
  const beyond = new Float64Array(new ArrayBuffer(memory.buffer.byteLength + 240), memory.buffer.byteLength, 30);
  assert.throws(() => kernelsFor(memory).umbrella(beyond, inside, rows, rows, 0, 1, 0.5), /outside/);
  assert.equal(memoryOf(memory.buffer), memory);
  assert.ok(memoryOf(plainMemory(100, true).buffer), 'plainMemory(…, kernel): WebAssembly memory');
  assert.equal(memoryOf(plainMemory(100).buffer), null);
});
