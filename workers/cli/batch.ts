// Several scans into a folder, --jobs N at a time, each in a process of its own: the same command
// started again (child_process.fork of the script that is running) with SCAN2PRINT_BATCH_CHILD set.
// The parent sends each child its scan and options, hands out file names (so two scans of one run never
// write the same file), shows their progress and prints their records as they finish. A scan runs
// alone in its process: a scan that runs out of memory fails alone, and its memory is given back.
import { fork, type ChildProcess } from 'node:child_process';
import { CHILD_ENV } from './childEnv';
import { convertScan } from './convert';
import { EXIT } from './exitCodes';
import { NameBook } from './naming';
import { startPool } from './pool';
import type { Options } from './options';
import type { Progress } from './progress';
import type { ScanRecord } from './record';
import { scanSettings } from './settings';


interface Job {
  kind: 'job';
  inputs: string[];
  folder: string;
  options: Options;
  threads: number;
}

type FromChild =
  | { kind: 'progress'; stage: string; fraction: number }
  | { kind: 'reserve'; id: number; base: string; extension: string }
  | { kind: 'record'; record: ScanRecord };

type ToChild = Job | { kind: 'name'; id: number; name: string };

/** Characters of a child's standard error kept to explain a crash. */
const STDERR_TAIL = 2000;

/**
 * Converts every scan in `scans` (each a list of inputs) into `folder` with at most `opts.jobs` child
 * processes at a time; `onRecord` hears each record as its scan finishes. Records come back in input order.
 */
export async function runBatch(scans: string[][], folder: string, opts: Options, threads: number, progress: Progress, onRecord: (r: ScanRecord, index: number) => void): Promise<ScanRecord[]> {
  const book = new NameBook();
  const records = new Array<ScanRecord>(scans.length);
  let next = 0;
  const runOne = (i: number) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const child: ChildProcess = fork(process.argv[1], [], {
        execArgv: process.execArgv,
        env: { ...process.env, [CHILD_ENV]: '1' },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
      let record: ScanRecord | null = null;
      child.on('message', (m: FromChild) => {
        if (m.kind === 'progress') progress.update(i, m.stage, m.fraction);
        else if (m.kind === 'reserve') child.send({ kind: 'name', id: m.id, name: book.reserve(m.base, m.extension) } satisfies ToChild);
        else record = m.record;
      });
      child.on('exit', (code, signal) => {
        const r: ScanRecord = record ?? {
          input: scans[i],
          ok: false,
          exitCode: EXIT.internal,
          error: `${scans[i].join(', ')}: the scan's process stopped (${signal ?? `exit code ${code}`}) before it finished${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
          output: [],
          notes: [],
          stages: [],
          totalMs: performance.now() - t0,
        };
        records[i] = r;
        progress.done(i);
        onRecord(r, i);
        resolve();
      });
      child.send({ kind: 'job', inputs: scans[i], folder, options: opts, threads } satisfies ToChild);
    });
  await Promise.all(
    Array.from({ length: Math.min(opts.jobs, scans.length) }, async () => {
      while (next < scans.length) await runOne(next++);
    }),
  );
  return records;
}

/** Progress messages a child sends at most this often (a new stage always goes). */
const PROGRESS_MS = 100;

/** The child's side: takes one job from the parent, converts it, sends the record back and exits with its code. */
export function runBatchChild(): void {
  const send = (m: FromChild) => process.send!(m);
  const names = new Map<number, (name: string) => void>();
  let nameId = 0;
  process.on('message', async (m: ToChild) => {
    if (m.kind === 'name') {
      names.get(m.id)?.(m.name);
      return;
    }
    const pool = startPool(m.threads);
    let lastSent = 0, lastStage = '';
    const record = await convertScan(m.inputs, { kind: 'folder', dir: m.folder }, m.options, scanSettings(m.options, true), {
      workers: pool.workers,
      progress(stage, fraction) {
        const now = Date.now();
        const key = stage.replace(/\s+\d+\/\d+$/, '');
        if (key === lastStage && now - lastSent < PROGRESS_MS) return;
        lastSent = now;
        lastStage = key;
        send({ kind: 'progress', stage, fraction });
      },
      reserveName: (base, extension) =>
        new Promise((resolve) => {
          names.set(++nameId, resolve);
          send({ kind: 'reserve', id: nameId, base, extension });
        }),
    });
    await pool.close();
    process.send!({ kind: 'record', record } satisfies FromChild, () => {
      process.disconnect();
      process.exitCode = record.exitCode;
    });
  });
}
