import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Download, Locator, Page } from '@playwright/test';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The public datasets beside the repository (CI has them; a fresh clone may not). */
export const HAS_SHARED = existsSync(resolve(repo, '..', 'shared', 'data'));
export const SHARED_REASON = 'needs the datasets in ../shared/data (not beside this clone)';

/** Absolute path of a dataset in ../shared/data (read in place, never copied into the repo). */
export const sharedData = (rel: string) => resolve(repo, '..', 'shared', 'data', rel);

export interface CanvasStats {
  /** fraction of pixels brighter than near-black */
  nonBlank: number;
  /** standard deviation of luminance (0…255) */
  stddev: number;
  /** fraction of pixels coloured like the threshold overlay (orange) */
  overlay: number;
}

/** Composites every canvas inside the element (in DOM order) and measures the result. */
export async function canvasStats(target: Locator): Promise<CanvasStats> {
  return target.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const w = Math.max(1, Math.round(box.width)), h = Math.max(1, Math.round(box.height));
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const ctx = c.getContext('2d')!;
    for (const src of Array.from(el.querySelectorAll('canvas'))) {
      const r = src.getBoundingClientRect();
      if (r.width && r.height) ctx.drawImage(src, r.left - box.left, r.top - box.top, r.width, r.height);
    }
    const d = ctx.getImageData(0, 0, w, h).data;
    let nonBlank = 0, overlay = 0, sum = 0, sum2 = 0;
    const n = w * h;
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i], g = d[i + 1], b = d[i + 2];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      sum += l;
      sum2 += l * l;
      if (l > 20) nonBlank++;
      if (r > 120 && r - b > 70 && r - g > 25) overlay++;
    }
    const mean = sum / n;
    return { nonBlank: nonBlank / n, stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), overlay: overlay / n };
  });
}

/**
 * Of a slice view's rows that show something (any pixel brighter than 20), the fraction equal to the
 * lit row before them, in the scan's own canvas (not the overlay). A sagittal or coronal view runs
 * across the slices, so its rows repeat only where the slices sent to WebGL repeat.
 */
export async function repeatedRows(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    const src = el.querySelector('canvas:not(.overlay-canvas)') as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const row = 4 * c.width;
    let lit = 0, repeated = 0, previous = -1;
    for (let y = 0; y < c.height; y++) {
      let bright = false;
      for (let i = y * row; i < (y + 1) * row && !bright; i += 4) bright = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2] > 20;
      if (!bright) continue;
      if (previous >= 0) {
        lit++;
        let same = true;
        for (let i = 0; i < row && same; i++) same = d[y * row + i] === d[previous * row + i];
        if (same) repeated++;
      }
      previous = y;
    }
    return lit ? repeated / lit : 1;
  });
}

export async function saveDownload(download: Download): Promise<string> {
  const dir = join(repo, 'test-results', 'downloads');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return path;
}

/** A number in a text ("1,234.5 mL" → 1234.5): the first run of digits, commas and points. */
export const num = (s: string) => Number(/[\d,.]+/.exec(s)![0].replace(/,/g, ''));

/** Runs ../shared/tools/check_stl.sh on an STL: admesh, the topology check and PrusaSlicer's slicing (`slice` false: --no-slice). */
export function checkStl(path: string, slice = true): { code: number; json: Record<string, unknown> } {
  const tool = resolve(repo, '..', 'shared', 'tools', 'check_stl.sh');
  let out: string;
  let code = 0;
  try {
    out = execFileSync('bash', [tool, ...(slice ? [] : ['--no-slice']), path], { encoding: 'utf8', timeout: slice ? 600_000 : 120_000 });
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    code = err.status ?? 1;
    out = err.stdout ?? '';
  }
  const line = out.trim().split('\n').pop() ?? '{}';
  return { code, json: JSON.parse(line) };
}

/** A figure of the printability report, by its label ("Volume", "Pieces", …). */
export async function reportFigure(page: Page, label: string): Promise<string> {
  const report = page.getByRole('region', { name: 'Printability report' });
  const dt = report.locator('dt', { hasText: new RegExp(`^${label}$`) });
  return (await dt.locator('xpath=following-sibling::dd[1]').textContent()) ?? '';
}

/** The page position of value `v` on a range input (the thumb's centre), for dragging it by mouse. */
export async function sliderPoint(slider: Locator): Promise<(v: number) => [number, number]> {
  const box = (await slider.boundingBox())!;
  const min = Number(await slider.getAttribute('min')), max = Number(await slider.getAttribute('max'));
  return (v) => [box.x + 8 + ((v - min) / (max - min)) * (box.width - 16), box.y + box.height / 2];
}
