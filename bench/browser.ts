// The live-editing latencies in a real browser: builds the app, serves it, drives Chromium over the
// demo phantom (drags the lower threshold from bone to skin) and reads the User Timing measures
// `overlay-update` (slice overlays redrawn) and `preview-update` (coarse 3D mesh shown).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { sliderPoint } from '../e2e/helpers';

const PORT = 4199;
const OUT = 'dist-bench';

export interface Latencies {
  /** a real DICOM folder opened with "Open folder": until the axial view shows it, and the app's own load measure */
  folderLoad: { folder: string; files: number; firstRenderMs: number; dicomLoadMs: number } | null;
  overlayUpdate: { count: number; medianMs: number; maxMs: number };
  previewUpdate: { count: number; medianMs: number; maxMs: number };
  previewMesh: { count: number; medianMs: number; maxMs: number };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { count: s.length, medianMs: s.length ? s[Math.floor(s.length / 2)] : NaN, maxMs: s.length ? s[s.length - 1] : NaN };
};

const FOLDER = resolve('..', 'shared', 'data', 'ct_abdomen_tcia_pancreas');

export async function browserLatencies(): Promise<Latencies> {
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
        await page.goto(`http://localhost:${PORT}/`);
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

    // Time to first render of a real folder: from handing the files over to the axial view showing them.
    let folderLoad: Latencies['folderLoad'] = null;
    if (existsSync(FOLDER)) {
      const p2 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await p2.goto(`http://localhost:${PORT}/`);
      const t0 = Date.now();
      await p2.getByLabel('Open folder').setInputFiles(FOLDER);
      await p2.getByRole('status').getByText('512 × 512 × 96 voxels', { exact: false }).waitFor({ timeout: 120_000 });
      await p2.waitForFunction(() => {
        const c = document.querySelector('[aria-label="Axial"] canvas:not(.overlay-canvas)') as HTMLCanvasElement | null;
        if (!c || !c.width) return false;
        const g = document.createElement('canvas');
        g.width = 32;
        g.height = 32;
        const ctx = g.getContext('2d')!;
        ctx.drawImage(c, 0, 0, 32, 32);
        const d = ctx.getImageData(0, 0, 32, 32).data;
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
        return lit > 50;
      }, undefined, { timeout: 60_000, polling: 50 });
      const firstRenderMs = Date.now() - t0;
      const dicomLoadMs = await p2.evaluate(() => performance.getEntriesByName('dicom-load').map((e) => e.duration)[0] ?? NaN);
      folderLoad = { folder: FOLDER, files: readdirSync(FOLDER).length, firstRenderMs, dicomLoadMs };
    }
    return { ...latencies, folderLoad };
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
