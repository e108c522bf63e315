// Shared data types of the compute core. Framework-free: used in Node (tests, bench) and in workers.

export type Vec3 = [number, number, number];

/**
 * Where the voxel grid sits in patient space (DICOM LPS, millimetres).
 *
 * Voxel (i, j, k) has its centre at
 *   origin + i*spacing[0]*dirI + j*spacing[1]*dirJ + k*spacing[2]*dirK
 * with dirI = direction[0..2] (along a row: increasing column index, DICOM IOP first triple),
 *      dirJ = direction[3..5] (down a column: increasing row index, DICOM IOP second triple),
 *      dirK = direction[6..8] (from slice k to slice k+1; unit vector, not always cross(dirI, dirJ)).
 * This is the same layout as Cornerstone3D's `direction`.
 */
export interface VolumeGeometry {
  /** [columns, rows, slices] */
  dims: Vec3;
  /** millimetres between voxel centres along i, j, k */
  spacing: Vec3;
  /** patient position (LPS mm) of the centre of voxel (0,0,0) */
  origin: Vec3;
  /** three unit vectors: dirI, dirJ, dirK (9 numbers) */
  direction: number[];
}

/**
 * A scalar volume. `data[i + nx*(j + ny*k)]` is the value of voxel (i,j,k): Hounsfield units for CT
 * (rescale applied), raw signal for MR. In the app `data` is a view on one SharedArrayBuffer that
 * every worker reads; nothing copies it per stage.
 */
export interface Volume extends VolumeGeometry {
  data: Int16Array;
}

/** An indexed triangle mesh, vertices in patient millimetres (LPS), triangles wound outward. */
export interface Mesh {
  positions: Float32Array; // x,y,z per vertex
  indices: Uint32Array; // 3 vertex indices per triangle
}

/** Inclusive HU range selected by the user. */
export interface ThresholdRange {
  lower: number;
  upper: number;
}

export const voxelCount = (g: VolumeGeometry): number => g.dims[0] * g.dims[1] * g.dims[2];
