// File naming and download. Names come from the series description only, never patient data.

/** ("PANCREAS DI, iDose (3)", "Bone") → "PANCREAS_DI_iDose_3_Bone.stl" */
export function modelFileName(seriesDescription: string, extension = 'stl', preset = ''): string {
  const base = [seriesDescription, preset]
    .filter(Boolean)
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop the accents NFKD split off
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 60)
    .replace(/[_-]+$/, '');
  return `${base || 'model'}.${extension}`;
}

export function downloadBlob(parts: BlobPart[], fileName: string, mime = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob(parts, { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
