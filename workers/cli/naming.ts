// Output names for a folder output: the series description and preset, as the app names its downloads
// (src/export/modelFile.ts modelFileName; workers/ may not import src/, so the rule is repeated here):
// accents dropped, anything but letters, digits, "-" and "_" becomes "_", at most 60 characters.
// ("PANCREAS DI, iDose (3)", "bone") → "PANCREAS_DI_iDose_3_bone"

/**
 * A series description fit for a file name. A scan without one (a NIfTI's empty descrip, which the
 * loader never fills from the file name) is named after its input path, of which only the last
 * component is kept, without .nii / .nii.gz / .zip: on the command line the path is the user's own.
 */
export const describedName = (description: string, input = ''): string =>
  description || input.replace(/[/\\]+$/, '').replace(/^.*[/\\]/, '').replace(/\.(nii(\.gz)?|zip)$/i, '');

export function sanitizeName(...parts: string[]): string {
  const base = parts
    .filter(Boolean)
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 60)
    .replace(/[_-]+$/, '');
  return base || 'model';
}

/**
 * Names handed out within one run: a second model with the same name gets "_2", a third "_3", in the
 * order asked. Files from earlier runs are replaced, so a rerun writes the same names again.
 */
export class NameBook {
  private taken = new Set<string>();
  reserve(base: string, extension: string): string {
    for (let n = 1; ; n++) {
      const name = `${base}${n > 1 ? `_${n}` : ''}.${extension}`;
      if (!this.taken.has(name.toLowerCase())) {
        this.taken.add(name.toLowerCase());
        return name;
      }
    }
  }
}

/** The file of one label next to the output: "out/model.stl", 3, "Liver" → "out/model_03_Liver.stl". */
export function labelFileName(output: string, index: number, count: number, name: string): string {
  const dot = output.lastIndexOf('.');
  const stem = dot > output.lastIndexOf('/') ? output.slice(0, dot) : output;
  const ext = dot > output.lastIndexOf('/') ? output.slice(dot) : '';
  return `${stem}_${String(index + 1).padStart(String(count).length, '0')}_${sanitizeName(name)}${ext}`;
}
