// Threshold presets. dicom2stl (dave3d/dicom2stl) defines its tissues as double thresholds
// [t1, t2, t3, t4]: the narrow band [t2, t3] seeds, the wide band [t1, t4] grows. This single-range
// control uses the wide band (what ends up in dicom2stl's mask); the double threshold comes with the
// mesh-core work.
import type { ThresholdRange } from '../../workers/core/types';

export interface ThresholdPreset {
  id: string;
  label: string;
  /** null upper = the volume's maximum */
  lower: number;
  upper: number | null;
  hint: string;
}

export const THRESHOLD_PRESETS: ThresholdPreset[] = [
  { id: 'bone', label: 'Bone', lower: 300, upper: null, hint: '300 HU and above: cortical and most cancellous bone' },
  { id: 'd2s-bone', label: 'Bone (dicom2stl)', lower: 200, upper: 1500, hint: 'dicom2stl bone: 200…1500 HU' },
  { id: 'skin', label: 'Skin', lower: -200, upper: 1500, hint: 'dicom2stl skin: −200…1500 HU, the body outline' },
  { id: 'soft', label: 'Soft tissue', lower: -15, upper: 100, hint: 'dicom2stl soft tissue: −15…100 HU' },
  { id: 'fat', label: 'Fat', lower: -122, upper: -70, hint: 'dicom2stl fat: −122…−70 HU' },
];

export function presetRange(p: ThresholdPreset, volumeMax: number): ThresholdRange {
  return { lower: p.lower, upper: p.upper ?? volumeMax };
}

export const DEFAULT_PRESET = THRESHOLD_PRESETS[0];
