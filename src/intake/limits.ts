// Size limits for what the app accepts, in one place so messages and docs can state them.

/**
 * Largest volume loaded: 2^31 voxels (4 GiB of 16-bit values, e.g. 1024 × 1024 × 2048). The mesh
 * pipeline needs about 1.5× that again; beyond it a browser tab runs out of memory.
 */
export const MAX_VOLUME_VOXELS = 2 ** 31;

/**
 * Largest total expanded size of a zip archive, from its central directory, checked before anything
 * is inflated: 4 GiB. Real DICOM exports of one study are far smaller (a 2000-slice CT is ~1 GiB), and
 * entries are inflated one at a time, so this bounds work, not memory.
 */
export const MAX_ZIP_EXPANDED_BYTES = 4 * 2 ** 30;

/**
 * Largest compression ratio of one zip entry: 1000:1. DEFLATE cannot exceed ~1032:1, and only
 * near-constant data comes close; scans compress 2–20:1. Checked for entries of 1 MiB or more only
 * (a tiny entry cannot do harm, and small constant files legitimately compress well).
 */
export const MAX_ZIP_RATIO = 1000;
export const RATIO_CHECK_MIN_BYTES = 2 ** 20;

export const formatBytes = (n: number) =>
  n >= 2 ** 30 ? `${+(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${+(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
