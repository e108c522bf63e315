import { test, expect, type Page, openDemo, makeModel, needsShared } from './fixtures';
import { canvasStats, sharedData } from './helpers';
import { ensureSynthSeries } from '../bench/synthSeries';

// Big scans: above the tab's memory budget the app offers a smaller load before decoding anything,
// and any file load can be cancelled. The pancreas CT is 512 × 512 × 96 (48 MiB of int16); the
// address parameter memoryBudgetMiB=20 makes it "too big" here. A model the tab could not hold is
// refused before it is built, with the half-resolution path offered; a big synthetic series
// (the bench's, 512 × 512 × 300) loads and builds with each stage's progress, and Cancel stops it.
const PANCREAS = sharedData('ct_abdomen_tcia_pancreas');

/**
 * Starts recording main-thread long tasks (PerformanceObserver 'longtask': tasks over 50 ms) and every
 * text the status bar shows (a fast load can pass a progress step between two polls of an assertion).
 */
async function startStallProbe(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; statusTexts: string[] };
    w.longTasks = [];
    w.statusTexts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
    const bar = document.querySelector('[role="status"]')!;
    new MutationObserver(() => w.statusTexts.push(bar.textContent ?? '')).observe(bar, { childList: true, subtree: true, characterData: true });
  });
}

/**
 * The longest main-thread task (ms) in each part of the last load: reading and decoding ('dicom-load'
 * in the performance timeline), the volume's statistics ('load' after 'dicom-load'), and the views
 * drawing it afterwards.
 */
async function stalls(page: Page): Promise<{ intake: number; statistics: number; views: number }> {
  return page.evaluate(() => {
    const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks;
    const last = (name: string) => performance.getEntriesByName(name).at(-1)!;
    const intake = last('dicom-load'), load = last('load');
    const intakeEnd = intake.startTime + intake.duration, loadEnd = load.startTime + load.duration;
    const longest = (from: number, to: number) => Math.max(0, ...tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration));
    return { intake: longest(intake.startTime, intakeEnd), statistics: longest(intakeEnd, loadEnd), views: longest(loadEnd, Infinity) };
  });
}

test('a scan over the memory budget: the offer names the sizes, and half resolution in-plane loads with exact spacing', async ({ page }) => {
  needsShared(); // reads the public datasets in ../shared/data
  test.setTimeout(180_000);
  await page.goto('/?memoryBudgetMiB=20');
  await page.getByLabel('Open folder').setInputFiles(PANCREAS);
  const offer = page.getByRole('dialog', { name: 'This scan is large for this tab' });
  await expect(offer).toBeVisible({ timeout: 60_000 });
  await expect(offer).toContainText('512 × 512 × 96 voxels, 48 MiB');
  await expect(offer).toContainText("This tab's memory budget for a scan is 20 MiB, because it was set with the memoryBudgetMiB address parameter");
  await expect(offer.getByRole('button', { name: 'Every other slice (512 × 512 × 48 voxels, 24 MiB, still over the budget)' })).toBeVisible();
  await expect(offer.getByRole('button', { name: 'Load anyway (512 × 512 × 96 voxels, 48 MiB)' })).toBeVisible();
  // in-plane alone fits, so "Both" is not offered
  await expect(offer.getByRole('button', { name: /^Both/ })).toHaveCount(0);
  // nothing decoded yet: the status waits for the choice
  const status = page.getByRole('status');
  await expect(status).toContainText('choose how to load it');
  await offer.getByRole('button', { name: 'Half resolution in-plane (256 × 256 × 96 voxels, 12 MiB)' }).click();
  await expect(status).toContainText('256 × 256 × 96 voxels, 2.15 × 2.15 × 3 mm', { timeout: 120_000 });
  await expect(offer).toHaveCount(0);
  await expect(page.getByLabel('Notes about this scan')).toContainText(
    'Downsampled to fit memory: 512 × 512 × 96 → 256 × 256 × 96 voxels, 2 × 2 pixel blocks averaged (1.07 mm → 2.15 mm in-plane)',
  );
  // the smaller volume makes a model like any other
  await makeModel(page);
});

test('the offer\'s Cancel loads nothing and keeps the volume on screen', async ({ page }) => {
  needsShared(); // reads the public datasets in ../shared/data
  test.setTimeout(180_000);
  await openDemo(page, '/?memoryBudgetMiB=20'); // the phantom is 20 MiB: within the budget
  await page.getByLabel('Open folder').setInputFiles(PANCREAS);
  const offer = page.getByRole('dialog', { name: 'This scan is large for this tab' });
  await offer.getByRole('button', { name: 'Cancel', exact: true }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('Loading cancelled');
  await expect(status).toContainText('256 × 256 × 160 voxels');
  await expect(offer).toHaveCount(0);
});

test('Cancel during a load stops it, keeps the previous volume, and the app stays usable', async ({ page }) => {
  needsShared(); // reads the public datasets in ../shared/data
  test.setTimeout(240_000);
  await openDemo(page);
  const status = page.getByRole('status');
  const cancel = page.getByRole('button', { name: 'Cancel loading' });
  await expect(cancel).toHaveCount(0);

  // The main thread runs 4× slower while the first load is cancelled, so the load cannot finish
  // between seeing its progress and the click (it takes about 2 s at full speed).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.getByLabel('Open folder').setInputFiles(PANCREAS);
  // per-file progress, e.g. "Reading headers 8 / 96 · 1-008.dcm"; the button answers while the load runs
  await expect(status).toContainText(/(Reading headers|Decoding slices) \d+ \/ 96 · 1-\d+\.dcm/, { timeout: 60_000 });
  await cancel.click();
  await expect(status).toContainText('Loading cancelled');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await expect(status).toContainText('256 × 256 × 160 voxels');
  await expect(cancel).toHaveCount(0);
  // it really stopped: a while later the demo volume is still the one loaded
  await page.waitForTimeout(4000);
  await expect(status).toContainText('256 × 256 × 160 voxels');
  await expect(status).not.toContainText('512 × 512 × 96');

  // usable: the same folder loads in full, and the main thread is measured while it does
  await startStallProbe(page);
  const t0 = Date.now();
  await page.getByLabel('Open folder').setInputFiles(PANCREAS);
  await expect(status).toContainText('512 × 512 × 96 voxels, 1.07 × 1.07 × 3 mm', { timeout: 120_000 });
  const loadMs = Date.now() - t0;
  const shown = await page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);
  expect(shown.filter((t) => /Decoding slices \d+ \/ 96 · 1-\d+\.dcm/.test(t)).length).toBeGreaterThan(0);
  await page.waitForTimeout(3000); // the views draw the new volume
  const s = await stalls(page);
  console.log(
    `pancreas CT load (${loadMs} ms), longest main-thread task: reading + decoding ${s.intake.toFixed(0)} ms, ` +
      `volume statistics ${s.statistics.toFixed(0)} ms, views afterwards ${s.views.toFixed(0)} ms`,
  );
  await expect(page.getByRole('button', { name: 'Make 3D model' })).toBeEnabled();
});

/** Records every text the status bar shows (a stage can pass between two polls of an assertion). */
async function recordStatus(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { statusTexts: string[] };
    w.statusTexts = [];
    const bar = document.querySelector('[role="status"]')!;
    new MutationObserver(() => w.statusTexts.push(bar.textContent ?? '')).observe(bar, { childList: true, subtree: true, characterData: true });
  });
}
const statusTexts = (page: Page) => page.evaluate(() => (window as unknown as { statusTexts: string[] }).statusTexts);

test('a 512 × 512 × 300 series loads and shows; its build shows each stage with a fraction, Cancel stops it, and it builds', async ({ page }) => {
  test.setTimeout(150_000);
  const series = ensureSynthSeries(); // written once into the temp folder, then reused
  await page.goto('/');
  await page.getByLabel('Open folder').setInputFiles(series.dir);
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 300 voxels', { timeout: 60_000 });
  await expect.poll(async () => (await canvasStats(page.getByLabel('Axial', { exact: true }))).nonBlank, { timeout: 30_000 }).toBeGreaterThan(0.05);

  await recordStatus(page);
  const make = page.getByRole('button', { name: 'Make 3D model' });
  const progress = page.getByRole('progressbar', { name: /^Build progress/ });
  await make.click();
  // the bar names the stage; a stage that can tell how far it is gives a value
  await expect(progress).toHaveAccessibleName(/Build progress: (isosurface|stitch|smoothing)/, { timeout: 60_000 });
  await expect(page.locator('.build-progress')).toContainText(/(isosurface|stitch|smoothing) \d+ %/);
  await page.getByRole('button', { name: 'Cancel build' }).click();
  await expect(status).toContainText('Build cancelled');
  await expect(progress).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel build' })).toHaveCount(0);
  // it stays stopped: no model appears, and the bar does not come back
  await page.waitForTimeout(3000);
  await expect(status).toContainText('Build cancelled');
  await expect(progress).toHaveCount(0);

  // the same build to its end: every long stage was shown with its share done
  await make.click();
  await expect(status).toContainText(/3D model: [\d,]+ triangles, [\d.]+ mL, closed and printable/, { timeout: 120_000 });
  await expect(progress).toHaveCount(0);
  const shown = (await statusTexts(page)).join('\n');
  for (const stage of ['mask', 'isosurface', 'smoothing', 'decimation'])
    expect(shown, stage).toMatch(new RegExp(`Building the 3D model: ${stage} \\d+ %`));
  for (const stage of ['stitch', 'check']) expect(shown, stage).toContain(`Building the 3D model: ${stage}`);
});

/**
 * Watches the axial view (every 50 ms): the first time any of its canvases shows the scan (more than
 * 50 of 32 × 32 samples opaque and not black), keeps the status bar's text then and that canvas as
 * 32 × 32 grey levels. Code for page.evaluate (a string: no helper of the test's module goes along).
 */
const WATCH_AXIAL = `(() => {
  const w = window;
  w.axialSeen = null;
  const grab = (c) => {
    const g = document.createElement('canvas');
    g.width = 32;
    g.height = 32;
    const ctx = g.getContext('2d');
    ctx.drawImage(c, 0, 0, 32, 32);
    const d = ctx.getImageData(0, 0, 32, 32).data;
    const grey = [];
    let lit = 0;
    for (let i = 0; i < d.length; i += 4) {
      const opaque = d[i + 3] === 255;
      grey.push(opaque ? (d[i] + d[i + 1] + d[i + 2]) / 3 : 0);
      if (opaque && d[i] + d[i + 1] + d[i + 2] > 30) lit++;
    }
    return { lit, grey };
  };
  w.grabAxial = (preview) => grab(document.querySelector('[aria-label="Axial"] canvas' + (preview ? '.overlay-canvas' : ':not(.overlay-canvas)')));
  const tick = () => {
    const view = document.querySelector('[aria-label="Axial"]');
    for (const c of view ? Array.from(view.querySelectorAll('canvas')) : []) {
      if (!c.width) continue;
      const g = grab(c);
      if (g.lit > 50) {
        w.axialSeen = { status: document.querySelector('[role="status"]').textContent, preview: c.classList.contains('overlay-canvas'), grey: g.grey };
        return;
      }
    }
    setTimeout(tick, 50);
  };
  tick();
})()`;

/** Pearson correlation of two equal-length sequences. */
function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a), mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

test('a 512 × 512 × 300 series shows its middle slice while the rest load, as WebGL then shows it; Cancel then empties the views', async ({ page }) => {
  test.setTimeout(150_000);
  const series = ensureSynthSeries();
  await page.goto('/');
  await page.evaluate(WATCH_AXIAL);
  // the main thread 4× slower while the slices arrive, so that the load outlasts any first draw
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.getByLabel('Open folder').setInputFiles(series.dir);
  type Seen = { status: string; preview: boolean; grey: number[] };
  const seen = await page
    .waitForFunction(() => (window as unknown as { axialSeen: Seen | null }).axialSeen, undefined, { timeout: 60_000, polling: 100 })
    .then((h) => h.jsonValue() as Promise<Seen>);
  // shown while the slices were still being decoded, drawn from the voxels
  expect(seen.status).toMatch(/Decoding slices \d+ \/ 300/);
  expect(seen.preview).toBe(true);
  // scrolling, dragging and a window preset meanwhile throw nothing (the fixture fails on any page error)
  const axial = (await page.getByLabel('Axial', { exact: true }).boundingBox())!;
  await page.mouse.move(axial.x + axial.width / 2, axial.y + axial.height / 2);
  await page.mouse.wheel(0, 200);
  await page.mouse.down();
  await page.mouse.move(axial.x + axial.width / 2 + 40, axial.y + axial.height / 2 + 30, { steps: 3 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Soft tissue' }).click();
  await expect(page.getByRole('button', { name: 'Soft tissue' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Bone', exact: true }).click(); // (the window of the slice kept above)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const status = page.getByRole('status');
  await expect(status).toContainText('512 × 512 × 300 voxels', { timeout: 60_000 });
  // then WebGL draws the loaded volume, and the drawing from the voxels gives way to the threshold overlay
  type Grab = { lit: number; grey: number[] };
  const grab = (preview: boolean) => page.evaluate((p) => (window as unknown as { grabAxial(p: boolean): Grab }).grabAxial(p), preview);
  await expect.poll(async () => (await grab(false)).lit, { timeout: 30_000 }).toBeGreaterThan(50);
  await expect.poll(async () => (await grab(true)).lit, { timeout: 30_000 }).toBe(0);
  // the same slice in the same place at the same size (the way round: arrivingPreview.test.ts)
  const webgl = await grab(false);
  const r = correlation(seen.grey, webgl.grey);
  console.log(`axial slice drawn from the voxels against WebGL's: correlation ${r.toFixed(3)}`);
  expect(r).toBeGreaterThan(0.9);

  // with no scan open, a load cancelled while it shows its first slices leaves nothing on screen
  await page.getByRole('button', { name: 'Close scan' }).click();
  await expect(page.getByText("The scan's axial, sagittal and coronal slices will appear here")).toBeVisible();
  await page.evaluate(WATCH_AXIAL);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.getByLabel('Open folder').setInputFiles(series.dir);
  await page.waitForFunction(() => (window as unknown as { axialSeen: unknown }).axialSeen, undefined, { timeout: 60_000, polling: 100 });
  await page.getByRole('button', { name: 'Cancel loading' }).click();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await expect(status).toContainText('Loading cancelled');
  await expect(page.getByText("The scan's axial, sagittal and coronal slices will appear here")).toBeVisible();
  await expect(page.getByRole('region', { name: 'Slice views' })).toHaveCount(0);
});

test('a model over what the tab can hold is refused before building, and half resolution builds it', async ({ page }) => {
  test.setTimeout(90_000);
  // a scan budget of 25 MiB (the 20 MiB phantom loads): builds may take 4 × 25 MiB less the volume and
  // the mask (30 MiB), so the skull (~100 MiB to build) is over and at half resolution (~45 MiB) within
  await openDemo(page, '/?memoryBudgetMiB=25');
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  const offer = page.getByRole('dialog', { name: 'This model is too large for this tab' });
  await expect(offer).toBeVisible({ timeout: 60_000 });
  await expect(offer).toContainText(/about [\d.]+ million triangles before decimation and need about [\d,]+ MiB while it is built; this tab can spare about [\d,]+ MiB/);
  await expect(page.getByRole('status')).toContainText('The model is too large for this tab');
  await expect(page.getByRole('status')).not.toContainText('3D model:');
  await offer.getByRole('button', { name: 'Build at half resolution' }).click();
  await expect(page.getByRole('status')).toContainText(/3D model: [\d,]+ triangles, [\d.]+ mL, closed and printable/, { timeout: 60_000 });
  await expect(offer).toHaveCount(0);
  await expect(page.getByLabel('Resolution')).toHaveValue('half');
});
