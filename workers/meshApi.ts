// What a mesh worker does, as plain functions over shared typed arrays. The browser worker
// (mesh.worker.ts) and the Node bench worker expose this same object through comlink.
import { transfer } from 'comlink';
import { doubleThreshold } from './core/components';
import { valueCounts, type ValueCounts } from './core/histogram';
import { applyMaskEdits, coarsenEdits, needsMask, printMask, type MaskEdits } from './core/maskEdits';
import { downsampleVolume, previewFactors } from './core/downsample';
import { marchingCubes } from './core/marchingCubes';
import type { CropBox } from './core/maskOps';
import { emitSlab, marchSlab, summarizeSlab, type MeshSlab } from './core/marchingCubes';
import { checkMesh } from './core/meshCheck';
import { countCrossings } from './core/meshEstimate';
import { decimateThread, smoothThread, type DecimateJob } from './core/decimate';
import { buildTriangleGrid, distancesToSurface, type TriangleGrid } from './core/deviation';
import { Arena, mapPages, sharedMemory } from './core/memory';
import type { RefineOptions } from './core/refine';
import { makeHeadPhantom } from './core/phantom';
import { thresholdMask } from './core/threshold';
import { WARM_ROUNDS, warmIsosurface } from './core/warmUp';
import { writeMesh, writeObjects, type MeshFormat, type ModelObject } from './core/writers';
import { placeMesh, type Placement } from './core/placement';
import { pieceFacts, placedSize, wallFacts } from './core/printFacts';
import { firstLayer } from './core/firstLayer';
import { prepareThickness, thicknessOfVertices, type PreparedThickness } from './core/thickness';
import type { Mesh, ThresholdRange, Vec3, Volume, VolumeGeometry } from './core/types';
import { layerStats, type LayerStats } from './core/segmentStats';
import { cropVolume, segmentMask } from './core/segmentMask';
import { refineSegmentMesh } from './core/segmentRefine';
import { labelLevels } from './core/labelLevels';
import { applySegmentEdit, type SegmentEdit, type SegmentEditResult } from './core/segmentEdits';
import { placeObjects } from './core/placeObjects';
import { writeNiftiLabels, writeSegNrrd } from './core/labelWriters';
import type { Segment } from './core/segments';
import { downsampleLabels } from './core/downsampleLabels';
import { buildSegmentMeshes } from './core/segmentPipeline';
import { importLabelFile, type LabelImport } from './intake/labels/importLabels';
import { medianSlices } from './core/median';
import { diffusionGradient, diffusionLoad, diffusionStep, diffusionStore } from './core/anisotropicDiffusion';
import { finishHollow, hollowSlices, prepareHollow, volumeBefore, type HollowJob } from './core/hollow';
import type { HollowStage } from './core/pipeline';

/** Slabs made here and not yet placed in their joined mesh (see marchHeld, emitHeld), by key. */
const held = new Map<string, MeshSlab>();

/** This thread's id (workers sharing a thread, as tests run them, must not wait for each other). */
const THREAD_ID = Math.random();

/** This worker's warm-up so far: its rounds run, and when the first began (see warmIsosurface below). */
const warm: { rounds: number; start?: number } = { rounds: 0 };

/** The live preview's coarse volume (only the preview worker holds one). */
let coarse: { fullDims: Vec3; small: Volume; factors: Vec3 } | null = null;

export const meshApi = {
  /** Fills `data` (shared) with the demo head phantom (`speckle`: its fraction of bright noise voxels); returns its geometry. */
  phantom(data: Int16Array, dims?: Vec3, speckle?: number): VolumeGeometry & { seriesDescription: string } {
    const { dims: d, spacing, origin, direction, seriesDescription } = makeHeadPhantom({ data, dims, speckle });
    return { dims: d, spacing, origin, direction, seriesDescription };
  },
  /** How many voxels hold each value (histogram, presets), counted here rather than on the UI thread. */
  valueCounts(data: Int16Array): ValueCounts {
    return valueCounts(data);
  },
  threshold(vol: Volume, range: ThresholdRange, mask: Uint8Array, zRange: [number, number], crop?: CropBox): void {
    thresholdMask(vol, range, mask, zRange, crop);
  },
  doubleThreshold(vol: Volume, narrow: ThresholdRange, wide: ThresholdRange, mask: Uint8Array, crop?: CropBox): void {
    doubleThreshold(vol, narrow, wide, mask, crop);
  },
  editMask(mask: Uint8Array, dims: Vec3, spacing: Vec3, edits: MaskEdits) {
    return applyMaskEdits(mask, dims, spacing, edits);
  },
  marchSlab(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number]) {
    const slab = marchSlab(vol, range, mask, zCells);
    const views = Object.values(slab).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
    return transfer(slab, [...new Set(views.map((v) => v.buffer as ArrayBuffer))]);
  },
  /** Crossed grid edges that slices zRange own: the isosurface's vertices, before it is made (see meshEstimate.ts). */
  countCrossings(vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zRange: [number, number], perSlice?: Int32Array): number {
    return countCrossings(vol, range, mask, zRange, perSlice);
  },
  /**
   * Marches a slab and keeps it here until emitHeld places it; returns what stitching needs. Its
   * arrays start at the size of its `vertices` counted ahead (see the pipeline's size estimate) and
   * are kept as they are: one copy, into the joined mesh. (A fresh worker's first slab grown from
   * nothing took 130–260 ms in the page for 100–250 K triangles, 50–90 ms sized ahead.)
   */
  marchHeld(key: string, vol: Volume, range: ThresholdRange, mask: Uint8Array | null, zCells: [number, number], vertices: number) {
    const slab = marchSlab(vol, range, mask, zCells, { views: true, vertices });
    held.set(key, slab);
    return summarizeSlab(slab);
  },
  /** Writes the held slab `key` into the joined mesh `out` (shared) and forgets it. */
  emitHeld(key: string, out: Mesh, vertexBase: number, triangleBase: number, bottomGlobal: Int32Array): void {
    const slab = held.get(key);
    if (!slab) throw new Error(`no slab ${key} here`);
    held.delete(key);
    emitSlab(slab, out, vertexBase, triangleBase, bottomGlobal);
  },
  /** Forgets held slabs whose key starts with `prefix` (a build that failed between the two steps). */
  dropHeld(prefix: string): void {
    for (const k of [...held.keys()]) if (k.startsWith(prefix)) held.delete(k);
  },
  /** Block-averages `vol` by factors `f` into `out` (shared), for a half-resolution model. */
  downsample(vol: Volume, f: Vec3, out: Int16Array): VolumeGeometry {
    const { dims, spacing, origin, direction } = downsampleVolume(vol, f, out);
    return { dims, spacing, origin, direction };
  },
  /** Makes the coarse copy of `vol` (at most `maxVoxels`) that previewMesh() meshes. */
  previewSetup(vol: Volume, maxVoxels: number): { dims: Vec3; factors: Vec3 } {
    const factors = previewFactors(vol, maxVoxels);
    coarse = { fullDims: vol.dims, small: downsampleVolume(vol, factors), factors };
    return { dims: coarse.small.dims, factors };
  },
  /** A quick, unsmoothed surface of the coarse volume with the same mask edits as the real model. */
  previewMesh(range: ThresholdRange, edits: MaskEdits): Mesh {
    if (!coarse) throw new Error('previewSetup() first');
    const { small, fullDims, factors } = coarse;
    const e = coarsenEdits(edits, fullDims, factors, small.dims);
    let mask: Uint8Array | null = null;
    if (needsMask(e)) {
      mask = new Uint8Array(small.data.length);
      printMask(small, range, e, mask);
    }
    const m = marchingCubes(small, range, mask);
    return transfer(m, [m.positions.buffer as ArrayBuffer, m.indices.buffer as ArrayBuffer]);
  },
  /** Fills `out` (shared) with the full-resolution mask of what will print, for the slice overlay. */
  printMask(vol: Volume, range: ThresholdRange, edits: MaskEdits, out: Uint8Array) {
    return printMask(vol, range, edits, out);
  },
  /**
   * One round of compiling the mask, isosurface and check kernels in a fresh worker ahead of its first
   * build (see warmUp.ts); returns the rounds still to run. The rounds together are measured here as
   * 'warm-isosurface', when the last one ends.
   */
  warmIsosurface(): number {
    warm.start ??= performance.now();
    warmIsosurface();
    warm.rounds++;
    if (warm.rounds === WARM_ROUNDS) performance.measure('warm-isosurface', { start: warm.start });
    return Math.max(0, WARM_ROUNDS - warm.rounds);
  },
  /** Maps the pages of a volume being filled on another thread (see memory.ts mapPages). */
  mapPages(data: Int16Array): void {
    mapPages(data);
  },
  threadId(): number {
    return THREAD_ID;
  },
  /** This thread's share of a decimation job's smoothing, with its first stages (every thread of the job at once); thread 0 returns their timings. */
  smoothPart(job: DecimateJob, thread: number) {
    return smoothThread(job, thread);
  },
  /** This thread's share of a decimation; thread 0 returns the mesh (moved, not copied). */
  decimatePart(job: DecimateJob, thread: number) {
    const r = decimateThread(job, thread);
    return r && transfer(r, [r.mesh.positions.buffer as ArrayBuffer, r.mesh.indices.buffer as ArrayBuffer]);
  },
  /** The triangle grid of `surface` for measuring `points` against it, in shared memory (in `scratch` if it has room). */
  triangleGrid(surface: Mesh, points: Float32Array, scratch?: Uint8Array): TriangleGrid {
    const arena = new Arena(sharedMemory);
    if (scratch) arena.giveBack(scratch);
    return buildTriangleGrid(surface, points, arena.alloc);
  },
  /** Distances from `points` from, from + stride, … below `to` to `surface` (grid built here when null). */
  distances(points: Float32Array, surface: Mesh, grid: TriangleGrid | null, stride: number, from: number, to: number, seen?: Int32Array) {
    return distancesToSurface(points, surface, grid ?? buildTriangleGrid(surface, points), stride, from, to, seen);
  },
  /** The mesh as a file in `format`, in chunks (moved back, not copied). */
  write(mesh: Mesh, format: MeshFormat, name: string, placement: Placement) {
    const placed = placeMesh(mesh, placement);
    const parts = writeMesh(placed, format, { name, space: placement.where === 'scanner' && placement.scalePercent === 100 ? 'LPS' : undefined });
    return transfer(parts, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
  },
  check(mesh: Mesh) {
    return checkMesh(mesh);
  },
  // ---- Print preparation (issue 12; see printFacts.ts) ----
  /**
   * The mesh as the file will have it (same placement as write): its positions (transferred; null when
   * the placement leaves the mesh as it is), its size and its first layer (base.ts: the area it prints
   * on the bed, and whether that holds).
   */
  place(mesh: Mesh, placement: Placement): { positions: Float32Array | null; size: Vec3; firstLayerMm2: number; firstLayerHolds: boolean } {
    const placed = placeMesh(mesh, placement);
    const layer = firstLayer(placed, [0, 0, -1]);
    const facts = { size: placedSize(placed), firstLayerMm2: layer.contactAreaMm2, firstLayerHolds: layer.holds };
    if (placed === mesh) return { positions: null, ...facts };
    return transfer({ positions: placed.positions, ...facts }, [placed.positions.buffer as ArrayBuffer]);
  },
  /** Solids, enclosed voids and inverted shells. */
  pieceFacts(mesh: Mesh) {
    return pieceFacts(mesh);
  },
  /** The thinnest wall and the patches under `minWallMm`, of the thickness map measured by thicknessOnPool (shared: it goes back as it came). */
  wallFacts(mesh: Mesh, minWallMm: number, thicknessMm: Float32Array) {
    return wallFacts(mesh, minWallMm, thicknessMm);
  },
  /** The mesh, its normals and its tree for the thickness map, in shared memory (thicknessPool.ts). */
  thicknessPrepare(mesh: Mesh): PreparedThickness {
    return prepareThickness(mesh, undefined, sharedMemory);
  },
  /** The thickness of vertices `range` into `out` (shared). */
  thicknessOfVertices(prepared: PreparedThickness, range: [number, number], out: Float32Array): void {
    thicknessOfVertices(prepared, range, out);
  },
  // ---- Hollow (issue 12): the pipeline's 'hollow' stage in three steps (see hollow.ts) ----
  /** The mask's box, its copy with voids filled and the cavity mask, in shared memory for the pool. */
  hollowPrepare(mask: Uint8Array, vol: Volume, range: ThresholdRange, stage: HollowStage): HollowJob {
    return prepareHollow(mask, vol, { wallMm: stage.wallMm, values: { data: vol.data, range } }, sharedMemory);
  },
  /** This worker's slices of the cavity. */
  hollowSlices(job: HollowJob, slices: [number, number]): number {
    return hollowSlices(job, slices);
  },
  /** The volume the box's isosurface encloses in these cell layers, before carving. */
  hollowVolumeBefore(job: HollowJob, layers: [number, number]): number {
    return volumeBefore(job, layers);
  },
  /** Small cavities stay solid, carving, crumbs; the result goes back into `mask` (shared). */
  hollowFinish(job: HollowJob, mask: Uint8Array, stage: HollowStage) {
    return finishHollow(job, mask, { wallMm: stage.wallMm, minCavityMm3: stage.minCavityMm3 });
  },
  // ---- Segments (issue 10): layer bounds and crops for segmentPipeline.ts ----
  /** Voxel counts and bounding boxes of every label value in slices zRange of one layer. */
  layerStats(labels: Uint8Array, dims: Vec3, zRange: [number, number]): LayerStats {
    return layerStats(labels, dims, zRange);
  },
  /** Writes slices zRange of `box`: the segment's meshing mask into `mask` and, unless `data` is null, the HU into `data` (shared, box-sized). */
  segmentCrop(vol: Volume, labels: Uint8Array, value: number, range: ThresholdRange | undefined, box: CropBox, zRange: [number, number], data: Int16Array | null, mask: Uint8Array): void {
    if (data) cropVolume(vol, box, data, zRange);
    segmentMask(labels, value, vol, range, mask, box, zRange);
  },
  /** Slices zRange of a label's smooth level (labelLevels.ts) into `out` (shared, box-sized). */
  labelLevels(mask: Uint8Array, dims: Vec3, out: Int16Array, zRange: [number, number]): void {
    labelLevels(mask, dims, out, zRange);
  },
  /** A segment's smoothing → volume → decimation → check (see segmentRefine.ts); the mesh is moved in and out. */
  refineSegment(mesh: Mesh, opts: RefineOptions, targetMm3: number | null, maxOffsetMm: number) {
    const r = refineSegmentMesh(mesh, opts, targetMm3, maxOffsetMm);
    return transfer(r, [r.mesh.positions.buffer as ArrayBuffer, r.mesh.indices.buffer as ArrayBuffer]);
  },
  /** Applies one segment edit to the shared layers in place; returns its undo patch (see segmentEdits.ts). */
  editSegment(layers: Uint8Array[], vol: VolumeGeometry & { data?: Int16Array }, edit: SegmentEdit): SegmentEditResult {
    const r = applySegmentEdit(layers, vol, edit);
    const buffers = r.patch.layers.flatMap((p) => [p.runs.buffer, p.before.buffer, p.after.buffer] as ArrayBuffer[]);
    return transfer(r, buffers);
  },
  /**
   * Segments' meshes as one file: 3MF with one named, coloured object each; STL/OBJ/PLY as a zip of one
   * file per segment or merged. Placed together; `name` only if the user typed it (see writers.ts).
   */
  writeSegments(objects: ModelObject[], format: MeshFormat, packaging: 'zip' | 'merged', name: string | undefined, placement: Placement) {
    const placed = placeObjects(objects, placement);
    const parts = writeObjects(placed.objects, format, packaging, { name, space: placed.space });
    return transfer(parts, [...new Set(parts.map((p) => p.buffer as ArrayBuffer))]);
  },
  /** The segmentation itself as 3D Slicer's .seg.nrrd (every layer) or a NIfTI label map (see labelWriters.ts). */
  writeSegmentation(kind: 'seg.nrrd' | 'nii.gz', geometry: VolumeGeometry, layers: Uint8Array[], segments: Segment[]) {
    if (kind === 'seg.nrrd') {
      const bytes = writeSegNrrd(geometry, layers, segments);
      return transfer({ bytes, colorTable: null as string | null, overlapVoxels: 0 }, [bytes.buffer as ArrayBuffer]);
    }
    const r = writeNiftiLabels(geometry, layers, segments);
    return transfer({ bytes: r.nifti, colorTable: r.colorTable as string | null, overlapVoxels: r.overlapVoxels }, [r.nifti.buffer as ArrayBuffer]);
  },
  /**
   * The live preview of segments: each one's unsmoothed surface on the coarse volume of previewSetup()
   * (layers downsampled by majority vote on the same blocks). Empty segments are left out.
   */
  async previewSegments(layers: Uint8Array[], segments: Segment[]): Promise<{ id: number; mesh: Mesh }[]> {
    if (!coarse) throw new Error('previewSetup() first');
    const { small, fullDims, factors } = coarse;
    const used = [...new Set(segments.map((g) => g.layer))];
    const smallLayers: Uint8Array[] = [];
    for (const l of used) smallLayers[l] = downsampleLabels(layers[l], fullDims, factors);
    const r = await buildSegmentMeshes([meshApi], small, smallLayers, segments, { smoothing: 0, detail: { kind: 'full' }, matchVoxelVolume: false });
    const out = r.results.map((g) => ({ id: g.id, mesh: g.mesh }));
    return transfer(out, out.flatMap((o) => [o.mesh.positions.buffer as ArrayBuffer, o.mesh.indices.buffer as ArrayBuffer]));
  },
  /** Reads a segmentation file and registers it to the scan's grid (intake/labels/importLabels.ts); its layers come back shared. */
  importLabels(name: string, bytes: Uint8Array, scan: VolumeGeometry): Promise<LabelImport> {
    return importLabelFile(name, bytes, scan);
  },
  // ---- Denoising (issue 14): voxel passes over z ranges of the shared volume (median.ts, anisotropicDiffusion.ts) ----
  /** dicom2stl's 3 × 3 × 1 median of slices zRange, in place on the shared int16 volume. */
  medianSlices(data: Int16Array, dims: Vec3, zRange: [number, number]): void {
    medianSlices(data, dims, zRange);
  },
  /** Curvature anisotropic diffusion: slices zRange of the volume into the shared float32 state. */
  diffusionLoad(src: Int16Array, f: Float32Array, dims: Vec3, zRange: [number, number]): void {
    diffusionLoad(src, f, dims, zRange);
  },
  /** Σ |∇f|² of each slice of zRange (the conductance scale is their mean over the volume). */
  diffusionGradient(f: Float32Array, dims: Vec3, spacing: Vec3, zRange: [number, number]): Float64Array {
    return diffusionGradient(f, dims, spacing, zRange);
  },
  /** One explicit diffusion step: slices zRange of `out` from `f` (both shared). */
  diffusionStep(f: Float32Array, out: Float32Array, dims: Vec3, spacing: Vec3, k: number, dt: number, zRange: [number, number]): void {
    diffusionStep(f, out, dims, spacing, k, dt, zRange);
  },
  /** Slices zRange of the float32 state back into the shared int16 volume. */
  diffusionStore(f: Float32Array, dst: Int16Array, dims: Vec3, zRange: [number, number]): void {
    diffusionStore(f, dst, dims, zRange);
  },
};

export type MeshApi = typeof meshApi;
