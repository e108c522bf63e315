// node --import tsx bench/segments.ts [--runs N] [--workers N] [--json FILE]
// Segments (issue 10) on the real label maps in ../shared/data/labels: the import time of each file
// onto its scan (median of --runs), then the TotalSegmentator CT's 41 labels meshed with the default
// refinement over a pool of worker threads: the whole run, each segment's time in workers, its
// triangles and its mesh volume against its voxel volume (with the volume stage, and without it).
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_REFINE } from '../workers/core/refine';
import { buildSegmentMeshes, type SegmentMeshes } from '../workers/core/segmentPipeline';
import { addImportedSegments, createSegmentation } from '../workers/core/segments';
import { sharedBytes } from '../workers/core/sharedMemory';
import type { Volume } from '../workers/core/types';
import { importLabelFile } from '../workers/intake/labels/importLabels';
import { readNifti } from '../workers/intake/nifti';
import { loadDicomFolderNode } from '../workers/intake/nodeLoad';
import { createNodePool } from '../workers/nodePool';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', '5'));
const workers = Number(arg('--workers', String(Math.min(2, availableParallelism()))));
const json = arg('--json', '');
const data = resolve(process.cwd(), '..', 'shared', 'data');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const read = (p: string) => new Uint8Array(readFileSync(`${data}/${p}`));

const ct = readNifti(read('labels/totalsegmentator_ct_sm/ct.nii.gz'), 'ct.nii.gz', (n) => new Int16Array(sharedBytes(2 * n))).volume;
const threeSlices = (await loadDicomFolderNode(`${data}/labels/dcmqi_ct_3slice`)).volume;
const j2k = (await loadDicomFolderNode(`${data}/codecs/ct_series_jpeg2000_no_ext`)).volume;
const files: [string, string, Volume][] = [
  ['totalsegmentator_ct_sm/labels.nii.gz', 'labels/totalsegmentator_ct_sm/labels.nii.gz', ct],
  ['totalsegmentator_labels_for_codecs…nii.gz (LAS → LPS series)', 'labels/totalsegmentator_labels_for_codecs_ct_series_jpeg2000_no_ext.nii.gz', j2k],
  ['dcmqi_ct_3slice/seg_liver.dcm', 'labels/dcmqi_ct_3slice/seg_liver.dcm', threeSlices],
  ['dcmqi_ct_3slice/seg_partial_overlaps.dcm', 'labels/dcmqi_ct_3slice/seg_partial_overlaps.dcm', threeSlices],
  ['dcmqi_ct_3slice/labels_liver_spine.nrrd', 'labels/dcmqi_ct_3slice/labels_liver_spine.nrrd', threeSlices],
];
const imports: { file: string; ms: number; segments: number; layers: number; exact: boolean; voxels: string }[] = [];
console.log(`import (median of ${runs}, file bytes already in memory):`);
for (const [label, path, scan] of files) {
  const bytes = read(path);
  const times: number[] = [];
  let last;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    last = await importLabelFile(path, bytes, scan);
    times.push(performance.now() - t);
  }
  const row = { file: label, ms: median(times), segments: last!.segments.length, layers: last!.layers.length, exact: last!.exact, voxels: scan.dims.join('×') };
  imports.push(row);
  console.log(`  ${label.padEnd(60)} ${row.ms.toFixed(0).padStart(6)} ms  ${row.segments} segments in ${row.layers} layer(s), scan ${row.voxels}, ${row.exact ? 'voxel-exact' : 'resampled'}`);
}

const imp = await importLabelFile('labels.nii.gz', read('labels/totalsegmentator_ct_sm/labels.nii.gz'), ct);
const s = createSegmentation(ct.dims);
const { segments } = addImportedSegments(s, imp.layers, imp.segments);
const pool = createNodePool(workers);
const meshRuns: { matched: SegmentMeshes; plain: SegmentMeshes; wall: number[] } = { matched: null!, plain: null!, wall: [] };
try {
  await buildSegmentMeshes(pool.workers, ct, s.layers, segments, DEFAULT_REFINE); // warm-up
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    meshRuns.matched = await buildSegmentMeshes(pool.workers, ct, s.layers, segments, DEFAULT_REFINE);
    meshRuns.wall.push(performance.now() - t);
  }
  meshRuns.plain = await buildSegmentMeshes(pool.workers, ct, s.layers, segments, { ...DEFAULT_REFINE, matchVoxelVolume: false });
} finally {
  await pool.close();
}
const perSegment = meshRuns.matched.results.map((g, q) => {
  const plain = meshRuns.plain.results[q];
  return {
    name: g.name,
    voxels: g.voxels,
    workMs: g.stages.reduce((a, x) => a + x.ms, 0),
    triangles: g.report.triangles,
    volumeRatio: g.report.volumeMm3 / g.voxelVolumeMm3,
    volumeRatioWithoutVolumeStage: plain.report.volumeMm3 / plain.voxelVolumeMm3,
    offsetMm: g.offsetMm,
    closed: g.report.closed && g.report.manifold && g.report.oriented,
  };
});
const worstTime = perSegment.reduce((a, b) => (b.workMs > a.workMs ? b : a));
const worstVol = perSegment.reduce((a, b) => (Math.abs(b.volumeRatio - 1) > Math.abs(a.volumeRatio - 1) ? b : a));
const worstPlain = perSegment.reduce((a, b) => (Math.abs(b.volumeRatioWithoutVolumeStage - 1) > Math.abs(a.volumeRatioWithoutVolumeStage - 1) ? b : a));
console.log(`\nmeshing the 41 labels of the TotalSegmentator CT (${ct.dims.join('×')}, 3 mm), default refinement, ${workers} worker thread(s):`);
console.log(`  whole run: median ${median(meshRuns.wall).toFixed(0)} ms of ${runs} (${meshRuns.wall.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`  per segment (time in workers): median ${median(perSegment.map((g) => g.workMs)).toFixed(1)} ms, worst ${worstTime.workMs.toFixed(0)} ms (${worstTime.name}, ${worstTime.voxels} voxels)`);
console.log(`  all closed, manifold, oriented: ${perSegment.every((g) => g.closed)}`);
console.log(`  volume / voxel volume: worst ${worstVol.volumeRatio.toFixed(5)} (${worstVol.name}); without the volume stage worst ${worstPlain.volumeRatioWithoutVolumeStage.toFixed(3)} (${worstPlain.name})`);
console.log('\n  segment                      voxels   work ms  triangles  vol/voxels  (no volume stage)  offset mm');
for (const g of perSegment)
  console.log(
    `  ${g.name.padEnd(26)} ${String(g.voxels).padStart(8)} ${g.workMs.toFixed(1).padStart(9)} ${String(g.triangles).padStart(10)} ${g.volumeRatio.toFixed(4).padStart(11)} ${g.volumeRatioWithoutVolumeStage.toFixed(3).padStart(18)} ${g.offsetMm.toFixed(3).padStart(10)}`,
  );
if (json) writeFileSync(json, JSON.stringify({ workers, runs, imports, meshWallMs: meshRuns.wall, perSegment }, null, 1));
