// dicom2stl's four CT tissue presets (-t/--type), copied from `getTissueThresholds` in
// dicom2stl/Dicom2STL.py (github.com/dave3d/dicom2stl); the app holds the same values in
// src/segmentation/presets.ts (DICOM2STL_THRESHOLDS), which workers/ may not import. Each is a double
// threshold [t1, t2, t3, t4] for ITK's DoubleThreshold: voxels in the narrow band [t2, t3] seed, and
// what prints is every voxel of the wide band [t1, t4] connected to a seed. Soft tissue and fat also
// turn on dicom2stl's median filter. dicom2stl's author found the values experimentally on a few CT
// data sets.

export type Tissue = 'bone' | 'skin' | 'soft' | 'fat';

export const TISSUES: Record<Tissue, { thresholds: [number, number, number, number]; median: boolean }> = {
  bone: { thresholds: [200, 800, 1300, 1500], median: false },
  skin: { thresholds: [-200, 0, 500, 1500], median: false },
  soft: { thresholds: [-15, 30, 58, 100], median: true },
  fat: { thresholds: [-122, -112, -96, -70], median: true },
};

/**
 * The tissue a -t value names. dicom2stl's parser accepts bone, skin, soft and fat, and its README
 * writes "soft_tissue" (its code looks for "soft" in the name), so that is accepted too.
 */
export function tissueOf(value: string): Tissue | null {
  if (value === 'soft_tissue') return 'soft';
  return value in TISSUES ? (value as Tissue) : null;
}
