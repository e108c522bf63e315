// What the series picker lists: every DICOM stack and NIfTI file found in one load, described from the
// headers alone (nothing decoded), with the automatic choice first.
import type { Vec3 } from '../core/types';
import { stackVoxels } from './series';
import { stackGeometry, type Stack } from './series';

export interface SeriesChoice {
  /** stable within one load: pass it to LoadResult.reload / core's loadSeries */
  id: string;
  /** series description (DICOM) or the file name / descrip (NIfTI) */
  description: string;
  /** DICOM Modality; '' for NIfTI files (which store none) */
  modality: string;
  /** images in the stack (a NIfTI file: its third dimension) */
  slices: number;
  columns: number;
  rows: number;
  /** mm: [between columns, between rows, between slices]; the last is 0 when the stack is not a volume */
  spacing: Vec3;
  /** can be loaded as a volume; false for localizers, screenshots, single images… (see `why`) */
  volume: boolean;
  /** the automatic choice: the largest volume */
  isDefault: boolean;
  /** the one loaded in the result this list came with */
  chosen: boolean;
  /** why this is not the automatic choice: "localizer", "secondary capture (screenshot)", "single image", "smaller"… */
  why?: string;
  /**
   * A small image (data URL) of the middle slice, made on the first call and remembered; null when
   * the image cannot be shown. Absent where no thumbnail can be made (NIfTI files, Node).
   */
  thumbnail?: () => Promise<string | null>;
}

/** A choice and what loads it. */
export type ChoiceEntry<N> = { choice: SeriesChoice } & ({ kind: 'dicom'; stack: Stack } | { kind: 'nifti'; nifti: N });

export interface NiftiCandidate {
  dims: Vec3;
  spacing: Vec3;
  description: string;
  voxels: number;
}

/** The stack's slices in volume order when it is a volume, else as found. */
export function orderedSlices(s: Stack) {
  return s.notVolume ? s.headers : stackGeometry(s).slices;
}

/**
 * Every stack and NIfTI candidate as a choice: the default (largest volume; a NIfTI wins only when
 * strictly larger, as the loader decides) first, then the other volumes, largest first, then what
 * cannot be loaded, most images first. `chosen` is false everywhere: the loader sets it.
 */
export function buildChoices<N extends NiftiCandidate>(stacks: Stack[], defaultStack: Stack | null, niftis: N[]): ChoiceEntry<N>[] {
  const entries: (ChoiceEntry<N> & { voxels: number })[] = [];
  stacks.forEach((stack, i) => {
    const h = stack.headers[0];
    const spacing: Vec3 = stack.notVolume ? [h.pixelSpacing[1], h.pixelSpacing[0], 0] : stackGeometry(stack).spacing;
    entries.push({
      kind: 'dicom',
      stack,
      voxels: stack.notVolume ? -1 : stackVoxels(stack),
      choice: {
        id: `dicom-${i}`,
        description: stack.description,
        modality: stack.modality,
        slices: stack.headers.length,
        columns: h.columns,
        rows: h.rows,
        spacing,
        volume: !stack.notVolume,
        isDefault: false,
        chosen: false,
        ...(stack.notVolume ? { why: stack.notVolume } : {}),
      },
    });
  });
  niftis.forEach((nifti, i) =>
    entries.push({
      kind: 'nifti',
      nifti,
      voxels: nifti.voxels,
      choice: {
        id: `nifti-${i}`,
        description: nifti.description,
        modality: '',
        slices: nifti.dims[2],
        columns: nifti.dims[0],
        rows: nifti.dims[1],
        spacing: nifti.spacing,
        volume: true,
        isDefault: false,
        chosen: false,
      },
    }),
  );
  const bestNifti = entries.filter((e) => e.kind === 'nifti').sort((a, b) => b.voxels - a.voxels)[0];
  const dicomDefault = entries.find((e) => e.kind === 'dicom' && e.stack === defaultStack);
  const def = dicomDefault && (!bestNifti || dicomDefault.voxels >= bestNifti.voxels) ? dicomDefault : bestNifti;
  if (def) def.choice.isDefault = true;
  for (const e of entries)
    if (e.choice.volume && e !== def) e.choice.why = def?.kind === 'nifti' && e.kind === 'dicom' ? 'smaller than the NIfTI volume' : 'smaller';
  const rank = (e: (typeof entries)[number]) => (e === def ? 0 : e.choice.volume ? 1 : 2);
  entries.sort((a, b) => rank(a) - rank(b) || b.voxels - a.voxels || b.choice.slices - a.choice.slices);
  return entries.map(({ voxels: _v, ...e }) => e as ChoiceEntry<N>);
}
