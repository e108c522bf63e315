// node --import tsx bench/kernels.ts [--json FILE]
// Single-thread timings of two core kernels on synthetic inputs (moved out of the unit tests, which
// never time anything): the connected-component operations on a 512×512×300 volume of noisy bone
// shells at three thresholds (300 HU: ~13 % of soft tissue is noise above it, 2.4 M pieces, a worst
// case; 380 HU: a noisy scan; 600 HU: the shells alone), and Taubin smoothing of a ~1M-triangle
// gyroid mesh. Prints milliseconds per operation; --json writes them.
import { writeFileSync } from 'node:fs';
import {
  doubleThreshold,
  fillCavities,
  keepLargestComponent,
  keepPiecesWithSeeds,
  removeSmallPieces,
} from '../workers/core/components';
import { marchingCubes } from '../workers/core/marchingCubes';
import type { CropBox } from '../workers/core/maskOps';
import { buildVertexNeighbours, taubinSmooth } from '../workers/core/smooth';
import { BONE, volumeFrom } from '../workers/core/testVolumes';
import { thresholdMask } from '../workers/core/threshold';
import type { Vec3 } from '../workers/core/types';

const jsonAt = process.argv.indexOf('--json');
const figures: Record<string, number> = {};
const time = <T>(name: string, f: () => T): T => {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  figures[name] = Math.round(ms);
  console.log(`  ${name.padEnd(52)} ${ms.toFixed(0).padStart(7)} ms`);
  return out;
};

function components(): void {
  const dims: Vec3 = [512, 512, 300];
  const [nx, ny, nz] = dims;
  const data = new Int16Array(nx * ny * nz);
  let s = 12345;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const dyz = (j - 256) ** 2 + ((k - 150) * 1.6) ** 2;
      const row = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        s ^= s << 13;
        s ^= s >>> 17;
        s ^= s << 5;
        const noise = ((s >>> 0) % 701) - 350; // uniform −350…350
        const r = Math.sqrt((i - 256) ** 2 + dyz);
        let v = 40 + noise;
        if ((r > 200 && r < 212) || (r > 120 && r < 128) || (r > 60 && r < 66)) v = 1000 + noise; // bone shells
        else if (r >= 240) v = -1000 + noise; // air
        data[row + i] = v;
      }
    }
  const vol = { dims, data };
  const mask = new Uint8Array(data.length);
  const at = (i: number, j: number, k: number) => i + nx * (j + ny * k);
  for (const lower of [300, 380, 600]) {
    const range = { lower, upper: 32767 };
    console.log(`components, ${nx}×${ny}×${nz}, threshold ${lower} HU`);
    time(`${lower} HU thresholdMask`, () => void thresholdMask(vol, range, mask));
    const before = mask.slice();
    time(`${lower} HU keepLargestComponent`, () => keepLargestComponent(mask, dims));
    mask.set(before);
    time(`${lower} HU removeSmallPieces(100)`, () => removeSmallPieces(mask, dims, 100));
    mask.set(before);
    time(`${lower} HU keepPiecesWithSeeds`, () => keepPiecesWithSeeds(mask, dims, [at(462, 256, 150), at(319, 256, 150)]));
    time(`${lower} HU fillCavities`, () => fillCavities(mask, dims));
    time(`${lower} HU doubleThreshold(700…, ${lower}…)`, () => doubleThreshold(vol, { lower: 700, upper: 32767 }, range, mask));
    const crop: CropBox = { min: [100, 100, 50], max: [400, 400, 250] };
    time(`${lower} HU thresholdMask + crop (18 Mvox box)`, () => void thresholdMask(vol, range, mask, undefined, crop));
    time(`${lower} HU keepLargestComponent + crop`, () => keepLargestComponent(mask, dims, crop));
  }
}

function smoothing(): void {
  // a gyroid sheet packs a lot of surface into a small grid
  const n = 80, period = 10;
  const w = (2 * Math.PI) / period;
  const g = (x: number, y: number, z: number) =>
    Math.abs(Math.sin(w * x) * Math.cos(w * y) + Math.sin(w * y) * Math.cos(w * z) + Math.sin(w * z) * Math.cos(w * x)) * 2 - 0.8;
  const mesh = marchingCubes(volumeFrom([n, n, n], [1, 1, 1], g), BONE);
  const nv = mesh.positions.length / 3;
  console.log(`smoothing, gyroid: ${mesh.indices.length / 3} triangles, ${nv} vertices`);
  buildVertexNeighbours(mesh.indices, nv); // warm-up (JIT)
  time('buildVertexNeighbours', () => buildVertexNeighbours(mesh.indices, nv));
  time('taubinSmooth ×1', () => taubinSmooth(mesh, { iterations: 1 }));
  time('taubinSmooth ×25', () => taubinSmooth(mesh, { iterations: 25 }));
}

components();
smoothing();
if (jsonAt >= 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(figures, null, 2));
