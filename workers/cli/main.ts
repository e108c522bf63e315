// scan2print on the command line: options → one scan in this process, or several (a folder output)
// over child processes → model files, messages, JSON lines and an exit code. Stateless: everything it
// needs comes in as paths and options, everything it makes goes out as files, so a job array can run
// it across machines (README "On the command line").
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CHILD_ENV } from './childEnv';
import { CliError, EXIT } from './exitCodes';
import { helpText } from './help';
import { NameBook } from './naming';
import { parseOptions, type Options } from './options';
import { createProgress, type Progress } from './progress';
import { labelLine, settingsLine, stageLines, summaryLine, type ScanRecord } from './record';
import { scanSettings } from './settings';

// The converting modules (the loader, its codecs, the worker pool) are imported when a scan runs, so
// --help, --version and usage errors answer at once.
const converting = async () => ({ ...(await import('./batch')), ...(await import('./convert')) });

const version = (): string => JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;


/** The JSON lines' destination (--json FILE, or - for standard output, above the bar), opened before any scan runs. */
function jsonSink(path: string | null, progress: Progress): { write(r: ScanRecord): void; close(): void } {
  if (!path) return { write() {}, close() {} };
  if (path === '-') return { write: (r) => progress.line(JSON.stringify(r), process.stdout), close() {} };
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new CliError(EXIT.cannotWrite, `--json ${path}: cannot be written (${(e as Error).message})`);
  }
  return { write: (r) => writeSync(fd, `${JSON.stringify(r)}\n`), close: () => closeSync(fd) };
}

/** A folder output: ends in "/" (or the platform's separator), or names a folder that exists. */
const isFolder = (p: string) => /[/\\]$/.test(p) || (existsSync(p) && statSync(p).isDirectory());

/**
 * Prints one finished scan for people, above the progress bar: its notes and error on standard error,
 * its summary (and with -v the details) on standard output, unless that carries the JSON lines (--json -).
 */
function tell(r: ScanRecord, opts: Options, progress: Progress) {
  const err = (t: string) => progress.line(t);
  const say = (t: string) => progress.line(t, opts.json === '-' ? process.stderr : process.stdout);
  for (const w of r.notes) err(`scan2print: note: ${r.input.join(', ')}: ${w}`);
  if (!r.ok) {
    err(`scan2print: error: ${r.error}`);
    return;
  }
  say(summaryLine(r));
  if (r.meta) say(`  metadata: ${r.meta}`);
  if (opts.verbose) {
    if (r.settings) say(`  settings: ${settingsLine(r.settings)}`);
    if (r.series) say(`  series: ${r.series.files} ${r.series.files === 1 ? 'file' : 'files'}, ${r.series.dims.join(' × ')} voxels of ${r.series.spacing.map((s) => s.toFixed(3)).join(' × ')} mm${r.meshedDims ? `, meshed at ${r.meshedDims.join(' × ')}` : ''}`);
    if (r.pieces) say(`  pieces: ${r.pieces.count}, ${r.pieces.kept} voxels kept, ${r.pieces.removed} removed${r.pieces.filled ? `, ${r.pieces.filled} filled` : ''}`);
    for (const l of r.labels ?? []) say(labelLine(l));
    say(stageLines(r.stages).join('\n'));
  }
}

export async function main(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(`scan2print: error: ${e.message}\n(scan2print --help lists the options)\n`);
    return e.code;
  }
  if (opts.help) {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  if (opts.version) {
    process.stdout.write(`scan2print ${version()}\n`);
    return EXIT.ok;
  }
  let json: ReturnType<typeof jsonSink> | null = null;
  try {
    if (!opts.inputs.length) throw new CliError(EXIT.noScan, 'no input given: name a folder, DICOM files, a zip or a NIfTI file (scan2print --help)');
    const folder = isFolder(opts.output);
    const settings = scanSettings(opts, folder);
    const scans = folder ? opts.inputs.map((i) => [i]) : [opts.inputs];
    if (opts.labels && scans.length > 1) throw new CliError(EXIT.usage, '--labels belongs to one scan: give one input with it');
    const progress = createProgress(scans.map((s) => s.join(', ')), process.stderr);
    json = jsonSink(opts.json, progress);
    const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / Math.min(opts.jobs, scans.length)));
    const tellOne = (r: ScanRecord) => {
      json!.write(r);
      tell(r, opts, progress);
    };
    let records: ScanRecord[];
    if (scans.length > 1) records = await (await converting()).runBatch(scans, opts.output, opts, threads, progress, tellOne);
    else {
      // the first worker thread starts while the loader and its codecs are imported
      const pool = (await import('./pool')).startPool(threads);
      const book = new NameBook();
      try {
        const { convertScan } = await converting();
        const r = await convertScan(scans[0], folder ? { kind: 'folder', dir: opts.output } : { kind: 'file', path: opts.output }, opts, settings, {
          workers: pool.workers,
          progress: (stage, fraction) => progress.update(0, stage, fraction),
          reserveName: async (base, ext) => book.reserve(base, ext),
        });
        progress.done(0);
        records = [r];
        tellOne(r);
      } finally {
        await pool.close();
      }
    }
    progress.finish();
    if (records.length > 1) {
      const failed = records.filter((r) => !r.ok).length;
      process.stderr.write(`scan2print: ${records.length - failed} of ${records.length} scans converted${failed ? `, ${failed} failed` : ''}\n`);
    }
    return Math.max(...records.map((r) => r.exitCode));
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    process.stderr.write(`scan2print: error: ${e.message}\n`);
    return e.code;
  } finally {
    json?.close();
  }
}

/** The command: a batch child takes its scan over IPC; otherwise the arguments. Never a stack trace unless -D. */
export async function run(): Promise<void> {
  if (process.env[CHILD_ENV] === '1' && process.send) {
    (await converting()).runBatchChild();
    return;
  }
  const argv = process.argv.slice(2);
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    const debug = argv.includes('-D') || argv.includes('--debug');
    process.stderr.write(`scan2print: unexpected error: ${e instanceof Error ? (debug ? e.stack : e.message) : String(e)}\n`);
    process.exitCode = EXIT.internal;
  }
}
