// Threshold presets for CT (Hounsfield units). MR has no absolute scale: see autoThreshold.ts.
//
// dicom2stl (github.com/dave3d/dicom2stl, `getTissueThresholds` in dicom2stl/Dicom2STL.py, same values
// in the older top-level dicom2stl.py) defines its four tissues as double thresholds [t1, t2, t3, t4]
// for SimpleITK's DoubleThreshold filter: voxels in the narrow band [t2, t3] seed, and the mask is every
// voxel in the wide band [t1, t4] connected to a seed. Its author notes the values were found
// experimentally on a few CT data sets. This single-range control uses the wide band (what ends up in
// dicom2stl's mask when every wide-band piece touches a seed); `seedBand` keeps the narrow band for a
// double-threshold mode.
//   bone  [200, 800, 1300, 1500]
//   skin  [-200, 0, 500, 1500]
//   soft  [-15, 30, 58, 100]   (+ 3×3×1 median filter in dicom2stl)
//   fat   [-122, -112, -96, -70] (+ 3×3×1 median filter in dicom2stl)
import type { ThresholdRange } from '../../workers/core/types';

export interface ThresholdPreset {
  id: string;
  label: string;
  /** inclusive lower bound */
  lower: number;
  /** inclusive upper bound; null = the volume's maximum */
  upper: number | null;
  hint: string;
  /**
   * Narrow "seed" band of a double threshold (dicom2stl's [t2, t3]): keep only the pieces of the
   * [lower, upper] mask that contain a voxel in this band. Absent = plain single threshold.
   */
  seedBand?: ThresholdRange;
}

/** dicom2stl's double thresholds [t1, t2, t3, t4] (dicom2stl/Dicom2STL.py, getTissueThresholds). */
export const DICOM2STL_THRESHOLDS = {
  bone: [200, 800, 1300, 1500],
  skin: [-200, 0, 500, 1500],
  soft: [-15, 30, 58, 100],
  fat: [-122, -112, -96, -70],
} as const satisfies Record<string, readonly [number, number, number, number]>;

function dicom2stl(id: string, label: string, t: readonly [number, number, number, number], what: string): ThresholdPreset {
  return {
    id,
    label,
    lower: t[0],
    upper: t[3],
    seedBand: { lower: t[1], upper: t[2] },
    hint: `dicom2stl ${what}: ${hu(t[0])}…${hu(t[3])} HU, seeded by ${hu(t[1])}…${hu(t[2])} HU`,
  };
}

/** −200 with a real minus sign, as the hints are read by people. */
const hu = (v: number) => (v < 0 ? `−${-v}` : `${v}`);

export const THRESHOLD_PRESETS: ThresholdPreset[] = [
  { id: 'bone', label: 'Bone', lower: 300, upper: null, hint: '300 HU and above: cortical and most cancellous bone' },
  dicom2stl('d2s-bone', 'Bone (dicom2stl)', DICOM2STL_THRESHOLDS.bone, 'bone'),
  dicom2stl('skin', 'Skin', DICOM2STL_THRESHOLDS.skin, 'skin (the body outline)'),
  dicom2stl('soft', 'Soft tissue', DICOM2STL_THRESHOLDS.soft, 'soft tissue'),
  dicom2stl('fat', 'Fat', DICOM2STL_THRESHOLDS.fat, 'fat'),
  {
    // Reshetnikov et al., "Dental Tissue Density in Healthy Children Based on Radiological Data",
    // JMIRx Med 2024, doi:10.2196/56759: enamel ≈ 2070–2950 HU, dentin ≈ 1320–1900 HU, pulp ≈ 180–420 HU.
    id: 'enamel',
    label: 'Teeth (enamel)',
    lower: 1800,
    upper: null,
    hint: '1800 HU and above: tooth enamel (≈2070–2950 HU) and metal. Dentin (≈1320–1900 HU) overlaps dense cortical bone, so whole teeth cannot be separated by threshold alone. Dental cone-beam CT is not calibrated in HU.',
  },
  {
    id: 'contrast',
    label: 'Contrast vessels',
    lower: 150,
    upper: 500,
    hint: '150…500 HU: contrast-filled vessels in a CT angiogram. Also catches cancellous bone and calcifications; plain (non-contrast) CT vessels are ordinary soft tissue.',
  },
];

export function presetRange(p: ThresholdPreset, volumeMax: number): ThresholdRange {
  return { lower: p.lower, upper: p.upper ?? volumeMax };
}

export const DEFAULT_PRESET = THRESHOLD_PRESETS[0];
