// A synthetic CT head phantom (HU, LPS millimetres) with analytically known skull volume, used by the
// app's "Try a demo scan" and by the tests. The patient lies supine: the table is posterior (+y).
//
//   air −1000 · scalp 0 · skull shell +1000 (two concentric ellipsoids) · brain +40
//   two foramina through the shell: a foramen magnum (vertical cylinder through the skull base) and
//   an opening on the patient's left side (+x), so the phantom is not left-right symmetric
//   table +350: a slab under the head, 10 mm clear of the scalp (a separate piece at 300 HU)
//
// Voxels are partial-volume averages (4×4×4 sub-samples where a voxel straddles a boundary), so an
// isosurface at 300 HU lies close to the true skull boundary.
import type { Vec3, Volume } from './types';

export const PHANTOM_DESCRIPTION = 'Demo head phantom';

export const HU = { air: -1000, scalp: 0, bone: 1000, brain: 40, table: 350 } as const;

const C: Vec3 = [0, -10, 5]; // head centre (mm)
export const HEAD_AXES: Vec3 = [76, 96, 92];
export const SKULL_OUTER: Vec3 = [70, 90, 86];
export const SKULL_INNER: Vec3 = [63.5, 83.5, 79.5];
/** foramen magnum: cylinder along z at (x, y), radius r, below the head centre */
export const FORAMEN_MAGNUM = { x: 0, y: 5, r: 15 };
/** left opening: cylinder along x at (y, z), radius r, on the +x (patient left) side */
export const LEFT_FORAMEN = { y: -10, z: 5, r: 6 };
/** table: y from y0 to y1 (posterior), |x| ≤ halfWidth, every slice */
export const TABLE = { y0: 96, y1: 106, halfWidth: 100 };

const inEllipsoid = (x: number, y: number, z: number, a: Vec3) => {
  const u = (x - C[0]) / a[0], v = (y - C[1]) / a[1], w = (z - C[2]) / a[2];
  return u * u + v * v + w * w <= 1;
};

/** HU of the phantom at patient point (x, y, z). */
export function phantomHU(x: number, y: number, z: number): number {
  if (y >= TABLE.y0 && y <= TABLE.y1 && Math.abs(x) <= TABLE.halfWidth) return HU.table;
  if (!inEllipsoid(x, y, z, HEAD_AXES)) return HU.air;
  if (!inEllipsoid(x, y, z, SKULL_OUTER)) return HU.scalp;
  if (inEllipsoid(x, y, z, SKULL_INNER)) return HU.brain;
  const fm = FORAMEN_MAGNUM, lf = LEFT_FORAMEN;
  if (z < C[2] && (x - fm.x) ** 2 + (y - fm.y) ** 2 <= fm.r * fm.r) return HU.brain;
  if (x > C[0] && (y - lf.y) ** 2 + (z - lf.z) ** 2 <= lf.r * lf.r) return HU.brain;
  return HU.bone;
}

/**
 * Length of the line through (p, q) along `axis`, on the side `sign` of the head centre, that lies in
 * the skull shell (between the inner and outer ellipsoids).
 */
function shellChord(axis: 0 | 1 | 2, p: number, q: number): number {
  const half = (a: Vec3) => {
    const others = [0, 1, 2].filter((i) => i !== axis);
    const s = 1 - ((p - C[others[0]]) / a[others[0]]) ** 2 - ((q - C[others[1]]) / a[others[1]]) ** 2;
    return s > 0 ? a[axis] * Math.sqrt(s) : 0;
  };
  return half(SKULL_OUTER) - half(SKULL_INNER);
}

/** Shell volume removed by a cylinder: ∫∫ over its disk of the shell chord, by polar quadrature. */
function holeVolume(axis: 0 | 1 | 2, cp: number, cq: number, r: number): number {
  const nr = 400, nt = 720;
  let v = 0;
  for (let i = 0; i < nr; i++) {
    const rho = ((i + 0.5) / nr) * r;
    for (let j = 0; j < nt; j++) {
      const th = ((j + 0.5) / nt) * 2 * Math.PI;
      v += shellChord(axis, cp + rho * Math.cos(th), cq + rho * Math.sin(th)) * rho;
    }
  }
  return v * (r / nr) * ((2 * Math.PI) / nt);
}

let skullVolume = 0;
/** Analytic volume (mm³) of the skull shell: outer − inner ellipsoid − the two foramina. */
export function skullShellVolumeMm3(): number {
  if (!skullVolume) {
    const ell = (a: Vec3) => ((4 / 3) * Math.PI * a[0] * a[1] * a[2]);
    // Each cylinder only crosses one side of the shell: the chord on that side.
    skullVolume =
      ell(SKULL_OUTER) - ell(SKULL_INNER) -
      holeVolume(2, FORAMEN_MAGNUM.x, FORAMEN_MAGNUM.y, FORAMEN_MAGNUM.r) -
      holeVolume(0, LEFT_FORAMEN.y, LEFT_FORAMEN.z, LEFT_FORAMEN.r);
  }
  return skullVolume;
}

/** Patient-space bounding box of the skull (outer ellipsoid). */
export const SKULL_BOX = {
  min: [C[0] - SKULL_OUTER[0], C[1] - SKULL_OUTER[1], C[2] - SKULL_OUTER[2]] as Vec3,
  max: [C[0] + SKULL_OUTER[0], C[1] + SKULL_OUTER[1], C[2] + SKULL_OUTER[2]] as Vec3,
};

export interface PhantomOptions {
  dims?: Vec3;
  spacing?: Vec3;
  /** where to write the voxels (e.g. a view on a SharedArrayBuffer); allocated when absent */
  data?: Int16Array;
  /**
   * fraction (0–1) of voxels turned into bright speckle (salt noise at bone value, HU.bone), placed by
   * a fixed hash of the voxel index: the same voxels every time. For denoising tests; 0 when absent.
   */
  speckle?: number;
}

/** Whether voxel `i` is a speckle voxel at density `fraction` (a fixed integer hash, "lowbias32", of its index). */
export function isSpeckle(i: number, fraction: number): boolean {
  let h = i + 1;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0 < fraction * 2 ** 32;
}

export function makeHeadPhantom(opts: PhantomOptions = {}): Volume & { seriesDescription: string } {
  const dims = opts.dims ?? ([256, 256, 160] as Vec3);
  // Default spacing covers the same 230 × 230 × 200 mm field of view at any size.
  const spacing = opts.spacing ?? ([(0.9 * 256) / dims[0], (0.9 * 256) / dims[1], (1.25 * 160) / dims[2]] as Vec3);
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  const data = opts.data ?? new Int16Array(n);
  if (data.length !== n) throw new Error(`phantom: data holds ${data.length} voxels, dims need ${n}`);
  const origin: Vec3 = [-((nx - 1) / 2) * spacing[0], -((ny - 1) / 2) * spacing[1], -((nz - 1) / 2) * spacing[2]];
  const [sx, sy, sz] = spacing;

  // Material at voxel corners (a (n+1)³ lattice): a voxel whose 8 corners agree, and whose centre agrees
  // too, is pure; others are sub-sampled. Two corner planes at a time.
  const cw = nx + 1, ch = ny + 1;
  let below = new Int16Array(cw * ch);
  let above = new Int16Array(cw * ch);
  const fillCorners = (plane: Int16Array, k: number) => {
    const z = origin[2] + (k - 0.5) * sz;
    for (let j = 0; j <= ny; j++) {
      const y = origin[1] + (j - 0.5) * sy;
      for (let i = 0; i <= nx; i++) plane[i + cw * j] = phantomHU(origin[0] + (i - 0.5) * sx, y, z);
    }
  };
  const S = 4;
  fillCorners(below, 0);
  for (let k = 0; k < nz; k++) {
    fillCorners(above, k + 1);
    const zc = origin[2] + k * sz;
    for (let j = 0; j < ny; j++) {
      const yc = origin[1] + j * sy;
      for (let i = 0; i < nx; i++) {
        const xc = origin[0] + i * sx;
        const c0 = below[i + cw * j];
        const pure =
          c0 === below[i + 1 + cw * j] && c0 === below[i + cw * (j + 1)] && c0 === below[i + 1 + cw * (j + 1)] &&
          c0 === above[i + cw * j] && c0 === above[i + 1 + cw * j] && c0 === above[i + cw * (j + 1)] && c0 === above[i + 1 + cw * (j + 1)] &&
          c0 === phantomHU(xc, yc, zc);
        let v = c0;
        if (!pure) {
          let sum = 0;
          for (let a = 0; a < S; a++)
            for (let b = 0; b < S; b++)
              for (let c = 0; c < S; c++)
                sum += phantomHU(xc + ((a + 0.5) / S - 0.5) * sx, yc + ((b + 0.5) / S - 0.5) * sy, zc + ((c + 0.5) / S - 0.5) * sz);
          v = Math.round(sum / (S * S * S));
        }
        data[i + nx * (j + ny * k)] = v;
      }
    }
    [below, above] = [above, below];
  }
  const speckle = opts.speckle ?? 0;
  if (speckle > 0) for (let i = 0; i < n; i++) if (isSpeckle(i, speckle)) data[i] = HU.bone;
  return { dims, spacing, origin, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data, seriesDescription: PHANTOM_DESCRIPTION };
}
