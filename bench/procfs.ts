// Figures of processes from Linux's /proc: this process's RSS and peak (which can be reset), and the
// PSS and per-thread CPU time of the Chromium processes Playwright started, taken while a page loads a scan.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** /proc reports kB (KiB): these per MB (10^6 bytes), the unit of every figure here */
const KB_PER_MB = 1e6 / 1024;

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`no ${field} in /proc/self/status`);
  return Number(m[1]);
}

/** This process's resident memory now, MB. */
export const rssMb = () => statusKb('VmRSS') / KB_PER_MB;

/** This process's peak resident memory since start or since the last resetPeakRss(), MB. */
export const peakRssMb = () => statusKb('VmHWM') / KB_PER_MB;

/** Starts a new peak: the kernel sets VmHWM to the current RSS (clear_refs 5, Linux ≥ 4.0). */
export const resetPeakRss = () => writeFileSync('/proc/self/clear_refs', '5');

export interface ChromiumProcess {
  pid: number;
  /** Chromium's --type (renderer, gpu-process, utility, zygote…), "browser" for the main process */
  type: string;
}

/** The Chromium processes descending from this Node process (Playwright launches them). */
export function chromiumProcesses(): ChromiumProcess[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: ChromiumProcess[] = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    queue.push(...(children.get(pid) ?? []));
    let cmdline: string;
    try {
      // NUL-separated, except that Chromium's child processes rewrite theirs as one space-separated string
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (!cmdline.split(' ')[0].includes('chrom')) continue;
    out.push({ pid, type: /(?:^| )--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser' });
  }
  return out;
}

/**
 * Proportional set size of a process, MB: its private pages plus its share of pages mapped by several
 * processes (so summing PSS over processes counts shared memory once). null when it has exited.
 */
export async function pssMb(pid: number): Promise<number | null> {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / KB_PER_MB : null;
  } catch {
    return null;
  }
}

export interface MemorySample {
  /** Date.now() when taken */
  t: number;
  /** PSS (MB) and type of each Chromium process alive then, by pid */
  pss: Map<number, { type: string; mb: number }>;
}

/** Samples the PSS of every Chromium process about every `everyMs` until stop() (which returns the samples). */
export function sampleChromiumMemory(everyMs: number): { stop(): Promise<MemorySample[]> } {
  const samples: MemorySample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      const procs = chromiumProcesses();
      const mbs = await Promise.all(procs.map((p) => pssMb(p.pid)));
      const pss = new Map<number, { type: string; mb: number }>();
      procs.forEach((p, i) => mbs[i] !== null && pss.set(p.pid, { type: p.type, mb: mbs[i]! }));
      samples.push({ t, pss });
      await new Promise((r) => setTimeout(r, Math.max(0, t + everyMs - Date.now())));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** CPU time (user + system, ms) of each thread of each process, by pid, then by thread id. */
export type CpuSnapshot = Map<number, Map<number, { name: string; ms: number }>>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The CPU time so far of every thread of the given processes (those that exited are left out). */
export function cpuSnapshot(pids: number[]): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  for (const pid of pids) {
    const threads = new Map<number, { name: string; ms: number }>();
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // the main thread carries the process's name ("chromium"): call it main
        const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads.set(Number(tid), { name, ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
      } catch {
        // the thread ended meanwhile
      }
    }
    out.set(pid, threads);
  }
  return out;
}

/** CPU time one process spent between two snapshots, in all and by thread name (threads of one name summed), most first. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, pid: number): { ms: number; threads: { name: string; ms: number }[] } {
  const byName = new Map<string, number>();
  for (const [tid, t] of after.get(pid) ?? []) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ms - (before.get(pid)?.get(tid)?.ms ?? 0));
  const threads = [...byName].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { ms: threads.reduce((s, t) => s + t.ms, 0), threads };
}
