// Sanity checks on the geometry and rescale values a header declares, before anything is built from
// them: a pixel spacing that is negative, zero or absurd, orientation vectors that are not unit
// length or not perpendicular, a rescale slope of 0. Each is repaired with a note saying what was
// assumed, or (orientation far from orthonormal) refused with a message: the model is never mirrored,
// sheared or scaled by a damaged header.

/** Pixel sizes outside this range (mm) are not a scan's: 1 µm to 1 m. */
export const SPACING_RANGE_MM: [number, number] = [1e-3, 1e3];

const list = (v: number[]) => v.map((x) => +x.toPrecision(6)).join('\\');

/**
 * A PixelSpacing (row, column spacing in mm) as used: negative values by their size (a spacing has
 * no direction: the orientation gives it, so a sign would only mirror the model), zero or values
 * outside SPACING_RANGE_MM as 1 mm. Absent: 1 mm, `known` false (the stack says so once).
 */
export function checkedPixelSpacing(raw: number[] | null, name: string): { value: [number, number]; known: boolean; repairs: string[] } {
  if (!raw) return { value: [1, 1], known: false, repairs: [] };
  const given: [number, number] = [raw[0], raw[1] ?? raw[0]];
  const repairs: string[] = [];
  let value = given.map(Math.abs) as [number, number];
  if (given.some((v) => v < 0)) repairs.push(`${name} ${list(given)} is negative: its size ${list(value)} mm is used (a sign would mirror the model)`);
  if (value.some((v) => !(v >= SPACING_RANGE_MM[0] && v <= SPACING_RANGE_MM[1]))) {
    repairs.push(`${name} ${list(given)} mm is not a usable pixel size (it must lie between 0.001 and 1000 mm): 1 mm assumed, so the model size may be wrong`);
    value = [1, 1];
  }
  return { value, known: true, repairs };
}

/** Row and column directions that are this far from perpendicular (|cos|, about 0.6°) are refused. */
const MAX_COS = 0.01;
/** Directions whose length is off by more than this are normalised with a note. */
const LENGTH_TOLERANCE = 1e-3;

/**
 * ImageOrientationPatient (row then column direction cosines) as used: unit vectors (normalised
 * with a note when they were not), or null with `problem` when they are zero, not finite or not
 * perpendicular (the stack is then refused with that message, never sheared).
 */
export function checkedOrientation(raw: number[] | null): { value: number[] | null; problem?: string; repairs: string[] } {
  if (!raw || raw.length !== 6) return { value: null, repairs: [] };
  const row = raw.slice(0, 3), col = raw.slice(3, 6);
  const lr = Math.hypot(row[0], row[1], row[2]), lc = Math.hypot(col[0], col[1], col[2]);
  const what = `the image orientation (0020,0037) ${list(raw)}`;
  if (!(lr > 1e-6 && lc > 1e-6 && Number.isFinite(lr) && Number.isFinite(lc)))
    return { value: null, problem: `${what} has a zero direction: the header is damaged`, repairs: [] };
  const r = row.map((v) => v / lr), c = col.map((v) => v / lc);
  const cos = r[0] * c[0] + r[1] * c[1] + r[2] * c[2];
  if (Math.abs(cos) > MAX_COS) {
    const angle = (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
    return { value: null, problem: `${what} gives row and column directions ${+angle.toFixed(1)}° apart, not 90°: the header is damaged`, repairs: [] };
  }
  if (Math.abs(lr - 1) <= LENGTH_TOLERANCE && Math.abs(lc - 1) <= LENGTH_TOLERANCE) return { value: raw, repairs: [] };
  return { value: [...r, ...c], repairs: [`${what} is not made of unit vectors: normalised`] };
}

/**
 * RescaleSlope and RescaleIntercept as used: a slope of 0 or one that is not a finite number is
 * taken as 1 (0 would make every voxel the intercept), an intercept that is not finite as 0.
 */
export function checkedRescale(slope: number | undefined, intercept: number | undefined): { slope: number; intercept: number; repairs: string[] } {
  const repairs: string[] = [];
  let s = slope ?? 1, b = intercept ?? 0;
  if (s === 0 || !Number.isFinite(s)) {
    repairs.push(`RescaleSlope ${s} would make every voxel the same value: 1 used`);
    s = 1;
  }
  if (!Number.isFinite(b)) {
    repairs.push(`RescaleIntercept ${b} is not a number: 0 used`);
    b = 0;
  }
  return { slope: s, intercept: b, repairs };
}
