// The live-editing latencies in a real browser: builds the app, serves it, drives Chromium over the
// demo phantom (drags the lower threshold from bone to skin) and reads the User Timing measures
// `overlay-update` (slice overlays redrawn) and `preview-update` (coarse 3D mesh shown). Then the
// time to the first rendered slice of real folders opened with "Open folder": the abdomen CT, and
// the synthetic 300-slice series (bench/synthSeries.ts), the latter several times in fresh pages,
// with the app's load measures and a timeline of the load, then a build of the model in that page;
// and once more with the memory of Chromium's processes sampled (which slows the page: see SynthRun).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { sliderPoint } from '../e2e/helpers';
import { chromiumProcesses, cpuBetween, cpuSnapshot, sampleChromiumMemory, type CpuSnapshot, type MemorySample } from './procfs';
import { SYNTH_DIMS, type SynthSeries } from './synthSeries';

const PORT = 4199;
const OUT = 'dist-bench';
const APP_URL = `http://localhost:${PORT}/`;
/** How often the memory of Chromium's processes is sampled during a load. */
const SAMPLE_MS = 50;

export interface ProcessMemory {
  /** the process (the renderer or GPU process that grew most; absent for the sum over all processes) */
  pid?: number;
  /** PSS before the files were handed over, MB */
  baselineMb: number;
  /** highest PSS until the axial view showed the volume, MB */
  peakReadyMb: number;
  /** highest PSS until the live 3D preview showed too (the whole load), MB */
  peakMb: number;
}

/**
 * One load of the synthetic series in a fresh page. Times in ms after setInputFiles was called.
 * Memory figures only from a `sampled` page (NaN otherwise): sampling every process's PSS every
 * SAMPLE_MS walks their page tables and slows the page (here the first render ~6.6 → ~9.6 s and the
 * build ~3.4 → ~5.3 s), so times are taken from pages that are not sampled.
 */
export interface SynthRun {
  /** PSS sampled every SAMPLE_MS: the memory figures are this page's; its times are slowed by it */
  sampled: boolean;
  /** the machine's 1-minute load average as the run started (2 cores: above 1 or so, other work competes) */
  loadAverage: number;
  /** the status bar names the volume ("512 × 512 × 300 voxels") */
  statusMs: number;
  /**
   * the axial view shows its slice: drawn from the voxels while the others load, or by WebGL (the
   * figure of issues 4 and 11)
   */
  firstRenderMs: number;
  /** the app's User Timing measures */
  measures: { dicomLoad: number; dicomHeaders: number; dicomDecode: number; load: number };
  /** when each step of the load was seen in the page (NaN: not seen) */
  timeline: {
    /** the input's change event: the browser has the file list */
    change: number;
    /** the status shows "reading headers" (after the files were sniffed for NIfTI) */
    headers: number;
    /** the status shows "decoding slices" */
    decode: number;
    /** the end of dicom-load: the volume is in memory */
    dicomLoaded: number;
    /** the end of load: the histogram is counted */
    loaded: number;
    /** the status bar names the volume (React rendered the result) */
    status: number;
    /** the first WebGL context was created after the change event (Cornerstone starts with the first volume) */
    webgl: number;
    /** the first and the end of the last 3D texture call (the volume sent to WebGL) */
    textureStart: number;
    textureEnd: number;
    /** the axial view first seen showing the scan, on either canvas (checked every 50 ms) */
    shown: number;
    /** the axial view seen lit by WebGL (checked every 50 ms) */
    rendered: number;
  };
  /** consecutive phases from setInputFiles to the live preview: how long, and the renderer's peak PSS in it */
  phases: { name: string; ms: number; rendererPeakMb: number }[];
  /** 3D texture calls (texImage3D, texSubImage3D, texStorage3D) from the change event to the first render */
  textures: { calls: number; ms: number; megabytes: number; arrayTypes: string[] };
  memory: { renderer: ProcessMemory; gpu: ProcessMemory; allChromium: ProcessMemory };
  /**
   * CPU time from setInputFiles to the first render, by thread name (in the renderer, main is the
   * page's thread and DedicatedWorker the app's workers; the browser process reads the files): less
   * affected by other work on the machine than the wall-clock times.
   */
  cpu: { renderer: ProcessCpu; gpu: ProcessCpu; browser: ProcessCpu };
  /**
   * "Make 3D model" with the default settings once the load is done: the app's `mesh` measure, the
   * model's triangles, and the PSS (MB) of the renderer and of all of Chromium
   * after the load (with the live preview), at the build's peak and after it (the model shown).
   */
  build: {
    meshMs: number;
    /** the build's stages as the app measured them ("mesh: <stage>"), ms */
    meshStages: Record<string, number>;
    /** CPU time from the click to the mesh measure, by process and thread: what ran beside the workers */
    cpu: { renderer: ProcessCpu; gpu: ProcessCpu; browser: ProcessCpu };
    triangles: number;
    renderer: { afterLoadMb: number; peakMb: number; afterBuildMb: number };
    allChromium: { afterLoadMb: number; peakMb: number; afterBuildMb: number };
  };
}

export interface ProcessCpu {
  ms: number;
  threads: { name: string; ms: number }[];
}

export interface Latencies {
  /**
   * Real DICOM folders (of ../shared that are there), each opened with "Open folder" in a fresh page:
   * until the axial view shows it, the app's own load measure, then its model with the default
   * settings (the `mesh` measure and its stages, ms)
   */
  folderLoads: { folder: string; files: number; firstRenderMs: number; dicomLoadMs: number; meshMs: number; meshStages: Record<string, number> }[];
  /** the synthetic 512 × 512 × 300 series, once per run (each in a fresh page, so a fresh renderer), not sampled */
  synthLoads: SynthRun[];
  /** the same once more with the memory sampled */
  synthMemory: SynthRun;
  overlayUpdate: { count: number; medianMs: number; maxMs: number };
  previewUpdate: { count: number; medianMs: number; maxMs: number };
  previewMesh: { count: number; medianMs: number; maxMs: number };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { count: s.length, medianMs: s.length ? s[Math.floor(s.length / 2)] : NaN, maxMs: s.length ? s[s.length - 1] : NaN };
};

/** Real scans opened from their folders, and the dimensions the status bar then names. */
const FOLDERS = [
  { dir: resolve('..', 'shared', 'data', 'ct_abdomen_tcia_pancreas'), dims: '512 × 512 × 96' },
  // the "real 1 mm head CT" (issue 11): its `mesh` measure is the browser's target
  { dir: resolve('..', 'shared', 'data', 'ct_head_ge_gantry_tilt'), dims: '512 × 512 × 37' },
];

/**
 * The performance.now() at which the axial view shows a lit image, or false: for waitForFunction,
 * whose result is the first truthy value. `anyCanvas`: on any canvas of the view (opaque pixels),
 * also the slice drawn from the voxels while the scan still loads (src/viewer/arrivingPreview.ts);
 * else on WebGL's alone.
 */
export function axialLitAt(anyCanvas = false): number | false {
  const view = document.querySelector('[aria-label="Axial"]');
  const canvases = view ? Array.from(view.querySelectorAll('canvas')) : [];
  for (const c of anyCanvas ? canvases : canvases.filter((x) => !x.classList.contains('overlay-canvas'))) {
    if (!c.width) continue;
    const g = document.createElement('canvas');
    g.width = 32;
    g.height = 32;
    const ctx = g.getContext('2d')!;
    ctx.drawImage(c, 0, 0, 32, 32);
    const d = ctx.getImageData(0, 0, 32, 32).data;
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && d[i] + d[i + 1] + d[i + 2] > 30) lit++;
    if (lit > 50) return performance.now();
  }
  return false;
}

const waitAxialLit = (page: Page) => page.waitForFunction(axialLitAt, false, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);

export async function browserLatencies(synth: SynthSeries, synthRuns: number): Promise<Latencies> {
  execFileSync('npx', ['vite', 'build', '--outDir', OUT, '--logLevel', 'error'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--outDir', OUT, '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    for (let i = 0; ; i++) {
      try {
        await page.goto(`${APP_URL}?demo=phantom`); // (the demo without it is a real CT)
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.getByRole('button', { name: 'Try a demo scan' }).click();
    await page.getByRole('status').getByText('256 × 256 × 160 voxels', { exact: false }).waitFor({ timeout: 60_000 });
    await page.getByText(/Live preview \(coarse\)/).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    await page.evaluate(() => performance.clearMeasures());
    const at = await sliderPoint(page.getByRole('slider', { name: 'Lower threshold (HU)' }));
    await page.mouse.move(...at(300));
    await page.mouse.down();
    for (let hu = 300; hu >= -600; hu -= 25) {
      await page.mouse.move(...at(hu));
      await page.waitForTimeout(40);
    }
    await page.mouse.up();
    await page.waitForTimeout(2000);
    const get = (name: string) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
    const latencies = { overlayUpdate: stats(await get('overlay-update')), previewUpdate: stats(await get('preview-update')), previewMesh: stats(await get('preview-mesh')) };
    await page.close();

    // Time to first render of a real folder: from handing the files over to the axial view showing them.
    const folderLoads: Latencies['folderLoads'] = [];
    for (const { dir, dims } of FOLDERS.filter((f) => existsSync(f.dir))) {
      const p2 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await p2.goto(APP_URL);
      const t0 = Date.now();
      await p2.getByLabel('Open folder').setInputFiles(dir);
      await p2.getByRole('status').getByText(`${dims} voxels`, { exact: false }).waitFor({ timeout: 120_000 });
      await waitAxialLit(p2);
      const firstRenderMs = Date.now() - t0;
      const dicomLoadMs = await p2.evaluate(() => performance.getEntriesByName('dicom-load').map((e) => e.duration)[0] ?? NaN);
      // then its model, with the default settings, once the live preview is up
      await p2.getByText(/Live preview \(coarse\)/).waitFor({ timeout: 60_000 });
      await p2.waitForTimeout(1000);
      await p2.getByRole('button', { name: 'Make 3D model' }).click();
      const meshMs = await p2
        .waitForFunction(() => performance.getEntriesByName('mesh', 'measure')[0]?.duration, undefined, { timeout: 300_000, polling: 100 })
        .then((h) => h.jsonValue() as Promise<number>);
      const meshStages = await p2.evaluate(() =>
        Object.fromEntries(performance.getEntriesByType('measure').filter((e) => e.name.startsWith('mesh: ')).map((e) => [e.name.slice(6), Math.round(e.duration)])),
      );
      folderLoads.push({ folder: dir, files: readdirSync(dir).length, firstRenderMs, dicomLoadMs, meshMs, meshStages });
      await p2.close();
    }

    const synthLoads: SynthRun[] = [];
    for (let i = 0; i < synthRuns; i++) synthLoads.push(await synthLoad(browser, synth, false));
    const synthMemory = await synthLoad(browser, synth, true);
    return { ...latencies, folderLoads, synthLoads, synthMemory };
  } finally {
    await browser.close();
    try {
      process.kill(-server.pid!);
    } catch {
      // already gone
    }
    rmSync(OUT, { recursive: true, force: true });
  }
}

/** What the page records for the bench (see instrument). Times are performance.now(). */
interface PageLog {
  /** the first change event of a file input */
  change: number;
  /** every text the status bar showed, when */
  status: { t: number; text: string }[];
  /** WebGL context creations and 3D texture calls */
  gl: { name: string; start: number; ms: number; bytes: number; arrayType: string }[];
}

/**
 * Runs in the page before its own scripts: times WebGL context creation and the 3D texture calls
 * (the volume going to WebGL), and sets up the log that watchLoad fills.
 */
function instrument() {
  const log: PageLog = { change: NaN, status: [], gl: [] };
  (window as unknown as { benchLog: PageLog }).benchLog = log;
  const gl = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['texImage3D', 'texSubImage3D', 'texStorage3D']) {
    const call = gl[name];
    gl[name] = function (this: unknown, ...a: unknown[]) {
      const start = performance.now();
      const r = call.apply(this, a);
      const data = a.find((x): x is ArrayBufferView => ArrayBuffer.isView(x));
      log.gl.push({ name, start, ms: performance.now() - start, bytes: data?.byteLength ?? 0, arrayType: data?.constructor.name ?? '' });
      return r;
    };
  }
  const canvas = HTMLCanvasElement.prototype as unknown as { getContext(type: string, ...rest: unknown[]): unknown };
  const getContext = canvas.getContext;
  const seen = new WeakSet<object>();
  canvas.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
    const start = performance.now();
    const ctx = getContext.call(this, type, ...rest);
    if (type.startsWith('webgl') && ctx && !seen.has(ctx)) {
      seen.add(ctx);
      log.gl.push({ name: `getContext(${type})`, start, ms: performance.now() - start, bytes: 0, arrayType: '' });
    }
    return ctx;
  };
}

/** Starts logging the status bar's texts and the first change event of a file input. */
function watchLoad() {
  const log = (window as unknown as { benchLog: PageLog }).benchLog;
  document.addEventListener('change', () => (log.change = Number.isNaN(log.change) ? performance.now() : log.change), true);
  const status = document.querySelector('[role="status"]')!;
  new MutationObserver(() => log.status.push({ t: performance.now(), text: status.textContent ?? '' })).observe(status, {
    subtree: true,
    childList: true,
    characterData: true,
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Memory of one process (or the sum over all): baseline before `start`, peaks until `ready` and until the end. */
function memoryOf(samples: MemorySample[], start: number, ready: number, mb: (s: MemorySample) => number | undefined, pid?: number): ProcessMemory {
  const before = samples.filter((s) => s.t < start && mb(s) !== undefined);
  const peak = (until: number) => Math.max(...samples.filter((s) => s.t >= start && s.t <= until).map((s) => mb(s) ?? 0));
  return { pid, baselineMb: before.length ? mb(before[before.length - 1])! : NaN, peakReadyMb: peak(ready), peakMb: peak(Infinity) };
}

/** The process of a type that spent the most CPU time between two snapshots. */
function busiest(type: string, before: CpuSnapshot, after: CpuSnapshot): number {
  const ofType = chromiumProcesses().filter((p) => p.type === type);
  return ofType.reduce((a, b) => (cpuBetween(before, after, b.pid).ms > cpuBetween(before, after, a.pid).ms ? b : a)).pid;
}

/** The process of a type whose PSS grew most during the load (the page's renderer, the GPU process). */
function grewMost(samples: MemorySample[], start: number, ready: number, type: string): ProcessMemory {
  const pids = new Set(samples.flatMap((s) => [...s.pss].filter(([, p]) => p.type === type).map(([pid]) => pid)));
  const each = [...pids].map((pid) => memoryOf(samples, start, ready, (s) => s.pss.get(pid)?.mb, pid));
  return each.reduce((a, b) => (b.peakMb - b.baselineMb > a.peakMb - a.baselineMb ? b : a));
}

/**
 * Opens the synthetic series in a fresh page (so a fresh renderer) and times it: from setInputFiles
 * to the status naming the volume and to the first lit axial view, with a timeline of the page's
 * steps; then builds the model. When `sampled`, the PSS of Chromium's processes is sampled every
 * SAMPLE_MS throughout, for the memory figures (see SynthRun).
 */
async function synthLoad(browser: Browser, synth: SynthSeries, sampled: boolean): Promise<SynthRun> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.addInitScript(instrument);
    await page.goto(APP_URL);
    // let the service worker finish precaching the app before the baseline
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForTimeout(1500);
    await page.evaluate(watchLoad);
    const sampler = sampled ? sampleChromiumMemory(SAMPLE_MS) : null;
    await page.waitForTimeout(500);

    const loadAverage = loadavg()[0];
    const processes = chromiumProcesses();
    const cpuBefore = cpuSnapshot(processes.map((p) => p.pid));
    const shown = page.waitForFunction(axialLitAt, true, { timeout: 120_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);
    const t0 = Date.now();
    await page.getByLabel('Open folder').setInputFiles(synth.dir);
    await page.getByRole('status').getByText(`${SYNTH_DIMS.join(' × ')} voxels`, { exact: false }).waitFor({ timeout: 120_000 });
    const shownAt = await shown;
    const renderedAt = await waitAxialLit(page);
    const ready = Date.now();
    const cpuReady = cpuSnapshot(chromiumProcesses().map((p) => p.pid));
    await page.getByText(/Live preview \(coarse\)/).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    const loadedAt = Date.now();
    // the build, until the app's mesh measure and its model summary; then the model is drawn
    const cpuBeforeBuild = cpuSnapshot(chromiumProcesses().map((p) => p.pid));
    await page.getByRole('button', { name: 'Make 3D model' }).click();
    const build = await page
      .waitForFunction(() => performance.getEntriesByName('mesh', 'measure')[0]?.duration, undefined, { timeout: 300_000, polling: 100 })
      .then((h) => h.jsonValue() as Promise<number>);
    const cpuAfterBuild = cpuSnapshot(chromiumProcesses().map((p) => p.pid));
    const meshStages = await page.evaluate(() =>
      Object.fromEntries(
        performance
          .getEntriesByType('measure')
          .filter((e) => e.name.startsWith('mesh: '))
          .map((e) => [e.name.slice(6), e.duration]),
      ),
    );
    const triangles = await page
      .waitForFunction(() => /3D model: ([\d,]+) triangles/.exec(document.querySelector('[role="status"]')?.textContent ?? '')?.[1], undefined, { timeout: 60_000 })
      .then((h) => h.jsonValue() as Promise<string>);
    await page.waitForTimeout(1500);
    const builtAt = Date.now();
    const all = (await sampler?.stop()) ?? [];
    const samples = all.filter((x) => x.t <= loadedAt);

    // (no named helpers inside: tsx would wrap them in a __name() the page does not have)
    const { origin, log, measures } = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      log: (window as unknown as { benchLog: PageLog }).benchLog,
      measures: Object.fromEntries(
        ['dicom-load', 'dicom-headers', 'dicom-decode', 'load'].map((n) => {
          const e = performance.getEntriesByName(n, 'measure')[0];
          return [n, { start: e?.startTime ?? NaN, duration: e?.duration ?? NaN }];
        }),
      ),
    }));
    const at = (pageTime: number) => origin + pageTime - t0;
    const firstStatus = (phase: RegExp) => at(log.status.find((s) => phase.test(s.text))?.t ?? NaN);
    const end = (name: string) => at(measures[name].start + measures[name].duration);
    // the 3D preview's context and textures exist from the start: only those of this load count
    const ofLoad = log.gl.filter((e) => e.start >= log.change && e.start <= renderedAt);
    const textures = ofLoad.filter((e) => e.name.startsWith('tex'));
    const webgl = ofLoad.find((e) => e.name.startsWith('getContext'));
    const timeline: SynthRun['timeline'] = {
      change: at(log.change),
      headers: firstStatus(/reading headers/i),
      decode: firstStatus(/decoding slices/i),
      dicomLoaded: end('dicom-load'),
      loaded: end('load'),
      status: firstStatus(/ voxels/),
      webgl: webgl ? at(webgl.start) : NaN,
      textureStart: textures.length ? at(textures[0].start) : NaN,
      textureEnd: textures.length ? at(Math.max(...textures.map((e) => e.start + e.ms))) : NaN,
      shown: at(shownAt),
      rendered: at(renderedAt),
    };
    // the page's renderer and the GPU process: those that grew most (sampled) or worked most in the load
    const unknown = (pid: number): ProcessMemory => ({ pid, baselineMb: NaN, peakReadyMb: NaN, peakMb: NaN });
    const renderer = sampled ? grewMost(samples, t0, ready, 'renderer') : unknown(busiest('renderer', cpuBefore, cpuReady));
    const gpu = sampled ? grewMost(samples, t0, ready, 'gpu-process') : unknown(busiest('gpu-process', cpuBefore, cpuReady));
    // PSS (MB) of one process or of all: the last sample by a time, the highest between two
    const pssOf = (x: MemorySample, pid?: number) => (pid === undefined ? [...x.pss.values()].reduce((sum, p) => sum + p.mb, 0) : (x.pss.get(pid)?.mb ?? 0));
    const around = (pid?: number) =>
      sampled
        ? {
            afterLoadMb: pssOf(all.filter((x) => x.t <= loadedAt).at(-1)!, pid),
            peakMb: Math.max(...all.filter((x) => x.t > loadedAt).map((x) => pssOf(x, pid))),
            afterBuildMb: pssOf(all.filter((x) => x.t <= builtAt).at(-1)!, pid),
          }
        : { afterLoadMb: NaN, peakMb: NaN, afterBuildMb: NaN };
    const phaseEnds: [string, number][] = [
      ['to the page', timeline.change],
      ['file sniffing', timeline.headers],
      ['headers', timeline.decode],
      ['decoding', timeline.dicomLoaded],
      ['histogram', timeline.loaded],
      ['React', timeline.status],
      ['slice views', timeline.rendered],
      ['live preview', loadedAt - t0],
    ];
    let from = 0;
    const phases = phaseEnds.map(([name, to]) => {
      const inPhase = samples.filter((x) => x.t - t0 > from && x.t - t0 <= to).map((x) => x.pss.get(renderer.pid!)?.mb ?? 0);
      // (NaN: not sampled, or the phase fell between two samples)
      const phase = { name, ms: to - from, rendererPeakMb: sampled && inPhase.length ? Math.max(...inPhase) : NaN };
      from = to;
      return phase;
    });
    return {
      sampled,
      loadAverage,
      // (seen in the page: Playwright's own wait for it answers only once the page's main thread is free)
      statusMs: timeline.status,
      firstRenderMs: timeline.shown,
      measures: {
        dicomLoad: measures['dicom-load'].duration,
        dicomHeaders: measures['dicom-headers'].duration,
        dicomDecode: measures['dicom-decode'].duration,
        load: measures.load.duration,
      },
      timeline,
      phases,
      textures: {
        calls: textures.length,
        ms: textures.reduce((s, e) => s + e.ms, 0),
        megabytes: textures.reduce((s, e) => s + e.bytes, 0) / 1e6,
        arrayTypes: [...new Set(textures.map((e) => e.arrayType).filter(Boolean))],
      },
      memory: {
        renderer,
        gpu,
        allChromium: sampled ? memoryOf(samples, t0, ready, (s) => [...s.pss.values()].reduce((sum, p) => sum + p.mb, 0)) : unknown(NaN),
      },
      cpu: {
        renderer: cpuBetween(cpuBefore, cpuReady, renderer.pid!),
        gpu: cpuBetween(cpuBefore, cpuReady, gpu.pid!),
        browser: cpuBetween(cpuBefore, cpuReady, processes.find((p) => p.type === 'browser')!.pid),
      },
      build: {
        meshMs: build,
        meshStages,
        cpu: {
          renderer: cpuBetween(cpuBeforeBuild, cpuAfterBuild, renderer.pid!),
          gpu: cpuBetween(cpuBeforeBuild, cpuAfterBuild, gpu.pid!),
          browser: cpuBetween(cpuBeforeBuild, cpuAfterBuild, processes.find((p) => p.type === 'browser')!.pid),
        },
        triangles: Number(triangles.replace(/,/g, '')),
        renderer: around(renderer.pid),
        allChromium: around(),
      },
    };
  } finally {
    await page.close();
  }
}

/** The median of every figure over the runs (each figure on its own, so not one run's). */
export function medianRun(runs: SynthRun[]): SynthRun {
  const m = (f: (r: SynthRun) => number) => median(runs.map(f));
  const mem = (f: (r: SynthRun) => ProcessMemory): ProcessMemory => ({
    baselineMb: m((r) => f(r).baselineMb),
    peakReadyMb: m((r) => f(r).peakReadyMb),
    peakMb: m((r) => f(r).peakMb),
  });
  const cpu = (f: (r: SynthRun) => ProcessCpu): ProcessCpu => ({
    ms: m((r) => f(r).ms),
    threads: f(runs[0]).threads.map(({ name }) => ({ name, ms: m((r) => f(r).threads.find((t) => t.name === name)?.ms ?? 0) })),
  });
  const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T)[];
  const r0 = runs[0];
  return {
    sampled: r0.sampled,
    loadAverage: m((r) => r.loadAverage),
    statusMs: m((r) => r.statusMs),
    firstRenderMs: m((r) => r.firstRenderMs),
    measures: Object.fromEntries(keys(r0.measures).map((k) => [k, m((r) => r.measures[k])])) as SynthRun['measures'],
    timeline: Object.fromEntries(keys(r0.timeline).map((k) => [k, m((r) => r.timeline[k])])) as SynthRun['timeline'],
    phases: r0.phases.map((p, i) => ({ name: p.name, ms: m((r) => r.phases[i].ms), rendererPeakMb: m((r) => r.phases[i].rendererPeakMb) })),
    textures: { calls: m((r) => r.textures.calls), ms: m((r) => r.textures.ms), megabytes: m((r) => r.textures.megabytes), arrayTypes: r0.textures.arrayTypes },
    memory: { renderer: mem((r) => r.memory.renderer), gpu: mem((r) => r.memory.gpu), allChromium: mem((r) => r.memory.allChromium) },
    cpu: { renderer: cpu((r) => r.cpu.renderer), gpu: cpu((r) => r.cpu.gpu), browser: cpu((r) => r.cpu.browser) },
    build: {
      meshMs: m((r) => r.build.meshMs),
      meshStages: Object.fromEntries(Object.keys(r0.build.meshStages).map((k) => [k, m((r) => r.build.meshStages[k] ?? NaN)])),
      cpu: { renderer: cpu((r) => r.build.cpu.renderer), gpu: cpu((r) => r.build.cpu.gpu), browser: cpu((r) => r.build.cpu.browser) },
      triangles: r0.build.triangles,
      renderer: keys(r0.build.renderer).reduce((o, k) => ({ ...o, [k]: m((r) => r.build.renderer[k]) }), {} as SynthRun['build']['renderer']),
      allChromium: keys(r0.build.allChromium).reduce((o, k) => ({ ...o, [k]: m((r) => r.build.allChromium[k]) }), {} as SynthRun['build']['allChromium']),
    },
  };
}
