// The wall-thickness map's colours and legend, as pure functions (no three.js, tested in Node).
//
// Values are shown as printed: the model's thickness (mm) × the export scale. The colour bar runs from
// 0 to a round number at or above most of the model's values (the 95th percentile, so one thick lump
// does not squeeze every wall into one colour; thicker reads as the top colour); its colours are
// viridis (perceptually uniform, readable in grey and by the colour-blind, and free of red), except
// below the printer's minimum wall, which is red, and at vertices not measured (no area: NaN), grey.

export type Rgb8 = [number, number, number];

export interface ThicknessLegend {
  /** the bar's top, mm as printed (values above show in its colour) */
  maxMm: number;
  /** labelled ticks on the bar, mm as printed, from 0 to maxMm */
  ticks: number[];
  /** the printer's minimum wall (mm): red below it */
  minWallMm: number;
  /** the thinnest and thickest vertex measured, mm as printed (null when none was measured) */
  lowestMm: number | null;
  highestMm: number | null;
  /** vertices measured, and not (NaN) */
  measured: number;
  unmeasured: number;
}

/** Under the printer's minimum wall (Tailwind red-600). */
export const THIN_RGB: Rgb8 = [220, 38, 38];
/** Not measured (a vertex of no area). */
export const UNMEASURED_RGB: Rgb8 = [150, 150, 150];

/** viridis (matplotlib, van der Walt & Smith), sampled at t = 0, 1/8, …, 1: sRGB bytes. */
const VIRIDIS: Rgb8[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** viridis at t ∈ [0, 1] (clamped), interpolated between its samples: sRGB bytes. */
export function viridis(t: number): Rgb8 {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as Rgb8;
}

/** The colour of a thickness `mm` (as printed) on `legend`'s bar. */
export function thicknessColor(mm: number, legend: Pick<ThicknessLegend, 'maxMm' | 'minWallMm'>): Rgb8 {
  if (Number.isNaN(mm)) return UNMEASURED_RGB;
  if (mm < legend.minWallMm) return THIN_RGB;
  return viridis(legend.maxMm > 0 ? mm / legend.maxMm : 1);
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above x (x > 0). */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * The legend of the maps `maps` (one per object: mm of the unscaled model per vertex) shown at `scale`
 * (the export scale, 1 = 100 %) against the printer's minimum wall `minWallMm` (as printed).
 */
export function thicknessLegend(maps: Float32Array[], scale: number, minWallMm: number): ThicknessLegend {
  let measured = 0, unmeasured = 0, lo = Infinity, hi = -Infinity;
  for (const m of maps)
    for (let v = 0; v < m.length; v++) {
      const x = m[v];
      if (Number.isNaN(x)) unmeasured++;
      else {
        measured++;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  // the 95th percentile over at most 65,536 evenly spaced vertices (exact for smaller models)
  const step = Math.max(1, Math.floor((measured + unmeasured) / 65536));
  const sample: number[] = [];
  let i = 0;
  for (const m of maps)
    for (let v = 0; v < m.length; v++, i++) if (i % step === 0 && !Number.isNaN(m[v])) sample.push(m[v]);
  sample.sort((a, b) => a - b);
  const p95 = sample.length ? sample[Math.min(sample.length - 1, Math.floor(0.95 * sample.length))] * scale : 0;
  const maxMm = niceCeil(Math.max(p95, 1.2 * minWallMm, 1e-3));
  const tick = niceCeil(maxMm / 5);
  const ticks: number[] = [];
  for (let k = 0; k * tick <= maxMm * (1 + 1e-9); k++) ticks.push(round(k * tick));
  return {
    maxMm,
    ticks,
    minWallMm,
    lowestMm: measured ? lo * scale : null,
    highestMm: measured ? hi * scale : null,
    measured,
    unmeasured,
  };
}

/**
 * Per-vertex colours of `map` (unscaled mm) at `scale` on `legend`: linear RGB floats, three a vertex,
 * as a renderer's vertex colour attribute takes them (three.js works in linear light).
 */
export function thicknessVertexColors(map: Float32Array, scale: number, legend: ThicknessLegend, out = new Float32Array(3 * map.length)): Float32Array {
  // the few distinct colours, linearised once each: 256 steps along the bar, thin, unmeasured
  const table = new Float32Array(3 * 258);
  for (let s = 0; s < 256; s++) table.set(viridis(s / 255).map(toLinear), 3 * s);
  table.set(THIN_RGB.map(toLinear), 3 * 256);
  table.set(UNMEASURED_RGB.map(toLinear), 3 * 257);
  for (let v = 0; v < map.length; v++) {
    const mm = map[v] * scale;
    const s = Number.isNaN(mm) ? 257 : mm < legend.minWallMm ? 256 : Math.min(255, Math.max(0, Math.round((255 * mm) / legend.maxMm)));
    out[3 * v] = table[3 * s];
    out[3 * v + 1] = table[3 * s + 1];
    out[3 * v + 2] = table[3 * s + 2];
  }
  return out;
}

/** The bar as a CSS gradient, left (0 mm) to right (maxMm): red up to the minimum wall, then viridis. */
export function legendGradient(legend: ThicknessLegend): string {
  const at = (mm: number) => `${round((100 * Math.min(mm, legend.maxMm)) / legend.maxMm)}%`;
  const css = (c: Rgb8) => `rgb(${c.join(' ')})`;
  const stops: string[] = [];
  const min = Math.min(Math.max(0, legend.minWallMm), legend.maxMm);
  if (min > 0) stops.push(`${css(THIN_RGB)} 0%`, `${css(THIN_RGB)} ${at(min)}`, `${css(viridis(min / legend.maxMm))} ${at(min)}`);
  for (let k = 0; k <= 16; k++) {
    const mm = (k / 16) * legend.maxMm;
    if (mm > min || (min === 0 && k === 0)) stops.push(`${css(viridis(mm / legend.maxMm))} ${at(mm)}`);
  }
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** A tick's or a value's text: at most two decimals, no trailing zeros. */
export function fmtLegendMm(mm: number): string {
  return `${round(mm)}`;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** An sRGB byte to linear light (0–1). */
function toLinear(c: number): number {
  const x = c / 255;
  return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
}
