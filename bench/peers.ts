// `npm run bench -- --peers`: the same input through two other engines, for a side-by-side figure.
//   • niimath (the WebAssembly build of @niivue/niimath, the engine of ct2print/brain2print), in this
//     Node process through its emscripten module: the volume goes into the module's in-memory file
//     system as a NIfTI file and `callMain` runs `niimath in.nii -mesh -i HU -l 1 -r KEEP -s 1 -v 1
//     out.mz3` (isosurface, largest piece, its smoothing, reduction to KEEP of the triangles). This
//     build writes meshes as .mz3 only (an .stl name gives no file). Its own log gives its stages.
//   • VTK (Debian's python3-vtk9): bench/vtk_pipeline.py, a dicom2stl-like pipeline on the same NIfTI
//     written to the temp folder. Skipped, with the reason, when /usr/bin/python3 has no vtk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Volume } from '../workers/core/types';

export interface PeerRun {
  name: string;
  /** whole run, ms (without reading the input: the volume is already in memory or on disk) */
  ms: number;
  stages: { name: string; ms: number }[];
  triangles: number;
  command: string;
}

export type PeerResult = PeerRun | { name: string; skipped: string };

/** The volume as a NIfTI-1 file (int16, scaled axes only: the engines' timings do not depend on orientation). */
function niftiBytes(vol: Volume): Uint8Array {
  const header = new ArrayBuffer(352);
  const v = new DataView(header);
  v.setInt32(0, 348, true);
  [3, ...vol.dims, 1, 1, 1, 1].forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(70, 4, true); // datatype int16
  v.setInt16(72, 16, true); // bits per voxel
  [1, ...vol.spacing, 0, 0, 0, 0].forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, 352, true); // vox_offset
  v.setFloat32(112, 1, true); // scl_slope
  v.setInt16(254, 1, true); // sform_code: scanner
  const rows = [
    [vol.spacing[0], 0, 0, vol.origin[0]],
    [0, vol.spacing[1], 0, vol.origin[1]],
    [0, 0, vol.spacing[2], vol.origin[2]],
  ];
  rows.flat().forEach((x, i) => v.setFloat32(280 + 4 * i, x, true));
  new Uint8Array(header).set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  const file = new Uint8Array(352 + vol.data.byteLength);
  file.set(new Uint8Array(header));
  file.set(new Uint8Array(vol.data.buffer, vol.data.byteOffset, vol.data.byteLength), 352);
  return file;
}

/** niimath's mesh in this process. `keep`: fraction of the triangles kept. */
async function niimath(nifti: Uint8Array, threshold: number, keep: number): Promise<PeerResult> {
  const name = 'niimath (WebAssembly)';
  let Module: (o: object) => Promise<{ FS_createDataFile: Function; FS_readFile: (f: string) => Uint8Array; FS_unlink: (f: string) => void; callMain: (a: string[]) => number }>;
  try {
    const entry = import.meta.resolve('@niivue/niimath');
    Module = (await import(new URL('niimath.js', entry).href)).default;
  } catch (e) {
    return { name, skipped: `@niivue/niimath cannot be loaded (${(e as Error).message}); npm install` };
  }
  const log: string[] = [];
  const mod = await Module({ print: (s: string) => log.push(s), printErr: (s: string) => log.push(s) });
  mod.FS_createDataFile('.', 'in.nii', nifti, true, true);
  const args = ['in.nii', '-mesh', '-i', String(threshold), '-l', '1', '-r', String(keep), '-s', '1', '-v', '1', 'out.mz3'];
  const t = performance.now();
  const code = mod.callMain([...args]); // (emscripten puts the program name in front of the array it gets)
  const ms = performance.now() - t;
  if (code !== 0) return { name, skipped: `niimath exited with ${code}: ${log.slice(-3).join(' / ')}` };
  mod.FS_readFile('out.mz3'); // (throws if it wrote nothing)
  mod.FS_unlink('in.nii');
  mod.FS_unlink('out.mz3');
  // its log: "marching cubes (…): 107 ms", "simplify vertices … triangles 461636->46164 (r = 0.1): 1140 ms"
  const stages = log.flatMap((line) => {
    const m = /^([a-z].*?):\s*(\d+) ms$/.exec(line.trim());
    return m ? [{ name: m[1].replace(/\s*\(.*$/, '').replace(/\s+\d.*$/, ''), ms: Number(m[2]) }] : [];
  });
  const tri = /triangles \d+->(\d+)/.exec(log.find((l) => l.startsWith('simplify')) ?? '');
  return { name, ms, stages, triangles: tri ? Number(tri[1]) : NaN, command: `niimath ${args.join(' ')}` };
}

/** The dicom2stl-like VTK pipeline (bench/vtk_pipeline.py) on a NIfTI file. */
function vtkPipeline(file: string, threshold: number, smoothing: number, keep: number): PeerResult {
  const name = 'VTK (dicom2stl-like)';
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { name, skipped: `${python} is missing` };
  const script = fileURLToPath(new URL('vtk_pipeline.py', import.meta.url));
  const out = join(file, '..', 'vtk.stl');
  const args = [script, file, String(threshold), String(smoothing), String(1 - keep), out];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) return { name, skipped: `vtk_pipeline.py failed: ${(r.stderr || last).trim().split('\n').pop()}` };
  const j = JSON.parse(last);
  if (j.skipped) return { name, skipped: j.skipped };
  // (its NIfTI read is left out, as our load is)
  const ms = (j.stages as { name: string; ms: number }[]).filter((s) => s.name !== 'load').reduce((s, x) => s + x.ms, 0);
  return { name: `${name}, VTK ${j.vtk}`, ms, stages: j.stages, triangles: j.triangles, command: `python3 ${args.map((a) => a.split('/').pop()).join(' ')}` };
}

/** Runs both peers on `vol` with the bench's settings. */
export async function runPeers(vol: Volume, threshold: number, smoothing: number, keep: number): Promise<PeerResult[]> {
  const nifti = niftiBytes(vol);
  const dir = mkdtempSync(join(tmpdir(), 'scan2print-peers-'));
  try {
    const file = join(dir, 'in.nii');
    writeFileSync(file, nifti);
    const results: PeerResult[] = [await niimath(nifti, threshold, keep)];
    results.push(vtkPipeline(file, threshold, smoothing, keep));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
