// Presets and the starting range per modality. CT values are Hounsfield units, so fixed presets apply;
// MR (and anything else) has no absolute scale, so its presets come from the volume's own values: an
// Otsu cut between background and body, and percentiles of the voxels above that cut.
import { countsRange, otsuThreshold, percentile, type ValueCounts } from '../../workers/core/histogram';
import type { ThresholdRange } from '../../workers/core/types';
import { DEFAULT_PRESET, THRESHOLD_PRESETS, presetRange, type ThresholdPreset } from './presets';

/** Whether the volume's values are Hounsfield units (DICOM modality CT). */
export const isHounsfield = (modality: string | undefined): boolean => (modality ?? '').trim().toUpperCase() === 'CT';

/** Unit label for the threshold controls. */
export const valueUnit = (modality: string | undefined): string => (isHounsfield(modality) ? 'HU' : 'signal');

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Percentile presets of an MR volume: `fraction` of the foreground (voxels ≥ Otsu) lies at or above `lower`. */
const MR_PERCENTILES: { id: string; label: string; top: number; what: string }[] = [
  { id: 'mr-upper-half', label: 'Upper half', top: 0.5, what: 'the brighter half' },
  { id: 'mr-top-25', label: 'Top 25 %', top: 0.25, what: 'the brightest 25 %' },
  { id: 'mr-top-10', label: 'Bright (top 10 %)', top: 0.1, what: 'the brightest 10 %' },
];

/**
 * Data-driven presets for a volume without an absolute scale (MR). All have `upper: null` (the volume's
 * maximum) and a numeric `lower`:
 *  - "Above Otsu": Otsu's threshold, the cut between dark background and the body;
 *  - "Upper half", "Top 25 %", "Bright (top 10 %)": percentiles of the voxels above that cut, so the
 *    amount of air in the field of view does not change them.
 * A preset that would select the same voxels as an earlier one (few distinct values) is dropped.
 */
export function mrPresets(vc: ValueCounts): ThresholdPreset[] {
  const otsu = otsuThreshold(vc);
  const out: ThresholdPreset[] = [
    { id: 'mr-otsu', label: 'Above Otsu', lower: otsu, upper: null, hint: `${otsu} and above: everything brighter than the background (Otsu's threshold)` },
  ];
  // Otsu may sit in an empty gap: the first value present at or above it selects the same voxels
  const seen = new Set([percentile(vc, 0, otsu)]);
  for (const p of MR_PERCENTILES) {
    const lower = percentile(vc, 1 - p.top, otsu);
    if (seen.has(lower)) continue;
    seen.add(lower);
    out.push({ id: p.id, label: p.label, lower, upper: null, hint: `${lower} and above: ${p.what} of the voxels above the background` });
  }
  return out;
}

/** The presets to offer: the HU presets for CT, data-driven ones otherwise (needs the value table). */
export function presetsFor(modality: string | undefined, vc: ValueCounts): ThresholdPreset[] {
  return isHounsfield(modality) ? THRESHOLD_PRESETS : mrPresets(vc);
}

/**
 * The range to start with after loading: CT → the default HU preset (bone, up to the maximum) clamped
 * to the data; otherwise → { lower: Otsu, upper: max }.
 */
export function defaultRange(modality: string | undefined, vc: ValueCounts): ThresholdRange {
  const { min, max } = countsRange(vc);
  if (isHounsfield(modality)) {
    const r = presetRange(DEFAULT_PRESET, max);
    return { lower: clamp(r.lower, min, max), upper: clamp(r.upper, min, max) };
  }
  return { lower: clamp(otsuThreshold(vc), min, max), upper: max };
}
