// Inputs as the app takes them: folders (any file names, nested), single files, zips and NIfTI, read by
// the app's own loader (intake/sources.ts loadSources) with Node's file reads and codecs. Then the
// series --search asks for, and --ct's check. Every failure becomes a CliError that names the input
// (and the damaged file, which the loader names) with its exit code.
import { openAsBlob, statSync } from 'node:fs';
import type { SeriesChoice } from '../intake/choices';
import type { LoadProgress, LoadResult } from '../intake/loadTypes';
import { fileSource, listFiles, nodeDecoder } from '../intake/nodeLoad';
import { loadSources, type InputSource } from '../intake/sources';
import { CliError, EXIT } from './exitCodes';

/** Every file the paths name (folders walked, nested), each readable in part and as a Blob (zips, NIfTI). */
export async function sourcesOf(paths: string[]): Promise<InputSource[]> {
  const out: InputSource[] = [];
  for (const p of paths) {
    let isFolder: boolean;
    try {
      isFolder = statSync(p).isDirectory();
    } catch {
      throw new CliError(EXIT.noScan, `${p}: no such file or folder`);
    }
    const files = isFolder ? listFiles(p) : [p];
    if (isFolder && !files.length) throw new CliError(EXIT.noScan, `${p}: the folder is empty: there is no scan in it`);
    for (const f of files) out.push({ ...fileSource(f), blob: await openAsBlob(f) });
  }
  return out;
}

/** The exit code of an error the loader threw: nothing to load (4), a damaged file (5), or a bug (8). */
export function loadErrorCode(e: Error): number {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return EXIT.internal;
  if (/^No image volume found/.test(e.message)) return /damaged|unreadable|could not be read/.test(e.message) ? EXIT.damaged : EXIT.noScan;
  return EXIT.damaged;
}

const describe = (c: SeriesChoice) =>
  `"${c.description || 'unnamed'}" (${c.volume ? `${c.columns}×${c.rows}×${c.slices}${c.modality ? ` ${c.modality}` : ''}` : c.why})`;

/** The series, each description once: "Exam Summary" (secondary capture (screenshot)) ×3. */
function listSeries(series: SeriesChoice[]): string {
  const counts = new Map<string, number>();
  for (const c of series) counts.set(describe(c), (counts.get(describe(c)) ?? 0) + 1);
  return [...counts].map(([d, n]) => (n > 1 ? `${d} ×${n}` : d)).join(', ');
}

/** The series whose description contains `search` (any case): the automatic choice when it matches, else the largest volume that does. */
export function pickSeries(series: SeriesChoice[], search: string, label: string): SeriesChoice {
  const want = search.toLowerCase();
  const matches = series.filter((c) => c.description.toLowerCase().includes(want));
  if (!matches.length) throw new CliError(EXIT.noScan, `${label}: no series description contains "${search}" (--search); the series are ${listSeries(series)}`);
  const volume = matches.find((c) => c.volume);
  if (!volume) throw new CliError(EXIT.noScan, `${label}: no series matching "${search}" can be made into a model: ${listSeries(matches)}`);
  return volume;
}

export interface LoadOptions {
  search: string | null;
  ctOnly: boolean;
}

/** The inputs of one scan → its volume (the series --search asks for), refused when --ct and not CT. */
export async function loadScan(paths: string[], opts: LoadOptions, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
  const label = paths.join(', ');
  const sources = await sourcesOf(paths);
  let r: LoadResult;
  try {
    r = await loadSources(sources, nodeDecoder, onProgress);
    if (opts.search && r.series && r.reload) {
      const want = pickSeries(r.series, opts.search, label);
      if (!want.chosen) r = await r.reload(want.id, onProgress);
    }
  } catch (e) {
    if (e instanceof CliError || !(e instanceof Error)) throw e;
    const code = loadErrorCode(e);
    if (code === EXIT.internal) throw e;
    throw new CliError(code as 4 | 5, `${label}: ${e.message}`);
  }
  if (opts.ctOnly && !r.modality.includes('CT'))
    throw new CliError(EXIT.notCt, `${label}: the scan is ${r.modality || 'of unknown modality'}, not CT (--ct accepts CT only)`);
  return r;
}
