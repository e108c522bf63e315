// Size limits for what the app accepts, in one place so messages and docs can state them.

/**
 * Largest volume loaded: 2^31 voxels (4 GiB of 16-bit values, e.g. 1024 × 1024 × 2048). The mesh
 * pipeline needs about 1.5× that again; beyond it a browser tab runs out of memory.
 */
export const MAX_VOLUME_VOXELS = 2 ** 31;

/**
 * Largest total expanded size of a zip archive, from its central directory, checked before anything
 * is inflated: 4 GiB. Real DICOM exports of one study are far smaller (a 2000-slice CT is ~1 GiB).
 * This bounds work, not memory: an entry is inflated only as far as it is read (its first 16–128 KiB for
 * a header, up to its frame for a slice), a few KiB of input at a time (see inflate.ts).
 */
export const MAX_ZIP_EXPANDED_BYTES = 4 * 2 ** 30;

/**
 * Largest compression ratio of one zip entry: 1000:1. DEFLATE cannot exceed ~1032:1, and only
 * near-constant data comes close; scans compress 2–20:1. Checked for entries of 1 MiB or more only
 * (a tiny entry cannot do harm, and small constant files legitimately compress well).
 */
export const MAX_ZIP_RATIO = 1000;
export const RATIO_CHECK_MIN_BYTES = 2 ** 20;

/**
 * Largest gap between a NIfTI header and its voxels (vox_offset): 64 MiB of header extensions. Real
 * extensions (AFNI, CIFTI, DICOM headers kept by converters) take kilobytes to a few MiB; a larger
 * offset is a damaged header, which would only make the reader skip (inflate) that many bytes.
 */
export const MAX_NIFTI_EXTENSION_BYTES = 64 * 2 ** 20;

/**
 * Most frames one multi-frame file may hold: 65536 (real Enhanced CT/MR files hold up to a few
 * thousand). Each frame becomes a header of its own, so a file declaring 2·10⁹ frames is refused
 * before anything per frame is made.
 */
export const MAX_FRAMES = 65536;

/** Most fragments of one file's compressed pixel data: 100000 (real files have one to a few per frame). */
export const MAX_FRAGMENTS = 100_000;

/**
 * Headers are read from a file's first 16, then 128 KiB, then windows 8× larger up to this cap (large values
 * such as private blocks are skipped, not read): a header longer than 64 MiB is refused as damaged.
 */
export const HEADER_WINDOW_CAP = 64 * 2 ** 20;

export const formatBytes = (n: number) =>
  n >= 2 ** 30 ? `${+(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${+(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;

/** A memory budget for the volume's 16-bit values, and why it is what it is (shown to the user). */
export interface MemoryBudget {
  bytes: number;
  /** completes "this tab's budget is 1 GiB, because …" */
  why: string;
}

/**
 * Bytes the tab needs per byte of the int16 volume, about 4: the volume itself (one SharedArrayBuffer
 * shared with the workers, 1×), Cornerstone's display copy (1×), the print mask (1 byte per voxel,
 * 0.5×), the half-resolution copy for meshing (1/8) and the mesh pipeline's working memory (1–1.5×).
 */
export const MEMORY_PER_VOLUME_BYTE = 4;

/** Memory a Chrome renderer process gets before the tab crashes ("Aw, Snap!"): about 4 GiB. */
export const TAB_MEMORY_BYTES = 4 * 2 ** 30;

/**
 * The budget for the volume's int16 bytes, checked before anything is decoded: the tab's memory
 * divided by MEMORY_PER_VOLUME_BYTE, i.e. 1 GiB (512 × 512 × 2048 voxels). On a small device
 * (`navigator.deviceMemory`, Chrome only, reports at most 8 GiB) a tab can use about half the RAM,
 * so the budget is deviceMemory / 2 / 4: 512 MiB with 4 GiB of RAM. `overrideMiB` (from the
 * address parameter `?memoryBudgetMiB=20`, for tests and for users who know their machine) wins.
 */
export function memoryBudget({ deviceMemoryGiB, overrideMiB }: { deviceMemoryGiB?: number; overrideMiB?: number }): MemoryBudget {
  if (overrideMiB && overrideMiB > 0) return { bytes: Math.round(overrideMiB * 2 ** 20), why: 'it was set with the memoryBudgetMiB address parameter' };
  const tab = TAB_MEMORY_BYTES / MEMORY_PER_VOLUME_BYTE;
  const reason = 'the app holds about 4 times the volume in memory (the volume, its display copy, the print mask and the 3D model being built)';
  if (deviceMemoryGiB && deviceMemoryGiB > 0 && (deviceMemoryGiB * 2 ** 30) / 2 / MEMORY_PER_VOLUME_BYTE < tab)
    return {
      bytes: (deviceMemoryGiB * 2 ** 30) / 2 / MEMORY_PER_VOLUME_BYTE,
      why: `this device reports ${deviceMemoryGiB} GiB of memory, a tab can use about half of it, and ${reason}`,
    };
  return { bytes: tab, why: `a browser tab is closed at about 4 GiB and ${reason}` };
}

/** This tab's budget: memoryBudget from navigator.deviceMemory and the page's `memoryBudgetMiB` parameter. */
export function tabMemoryBudget(): MemoryBudget {
  const override = Number(new URLSearchParams(globalThis.location?.search ?? '').get('memoryBudgetMiB'));
  const deviceMemoryGiB = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return memoryBudget({ deviceMemoryGiB, overrideMiB: Number.isFinite(override) ? override : undefined });
}
