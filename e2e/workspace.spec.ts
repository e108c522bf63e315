// The workspace as a first-time user meets it: the steps in sight on a small laptop screen, the demo
// scan, Cancel for a build, the keyboard path, and a scan's memory given back when it is replaced.
import { test, expect, download, makeModel, needsShared, openDemo, type Page } from './fixtures';
import { sharedData } from './helpers';

/** Whether the element's box lies wholly inside the viewport. */
async function inView(page: Page, name: string, role: 'button' | 'heading' = 'button'): Promise<boolean> {
  const box = await page.getByRole(role, { name, exact: true }).boundingBox();
  const vp = page.viewportSize()!;
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

test('at 1280 × 720 the build button, the download and the report are in sight without scrolling the page', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  expect(await inView(page, 'Make 3D model')).toBe(true);
  await makeModel(page);
  await expect(page.getByRole('button', { name: 'Download STL' })).toBeEnabled({ timeout: 60_000 });
  expect(await inView(page, 'Make 3D model')).toBe(true);
  expect(await inView(page, 'Download STL')).toBe(true);
  expect(await inView(page, 'Printability report', 'heading')).toBe(true);
  // the page itself does not scroll: each column scrolls on its own
  expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight)).toBe(true);
  // the current step is marked
  await expect(page.getByRole('navigation', { name: 'Steps' }).locator('[aria-current=step]')).toContainText('Check and export');
});

test('the demo is a real CT, credited, and its thick slices bring the smoothing hint', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  await expect(page.getByRole('status')).toContainText('Demo abdomen CT: 122 × 101 × 112 voxels, 3 × 3 × 3 mm', { timeout: 60_000 });
  const notes = page.getByRole('list', { name: 'Notes about this scan' });
  await expect(notes).toContainText('TotalSegmentator');
  await expect(notes).toContainText('Apache-2.0');
  const hint = page.getByRole('note').filter({ hasText: 'Steps will show' });
  await expect(hint).toContainText('3 mm apart');
  await hint.getByRole('button', { name: 'Use strong smoothing' }).click();
  await expect(page.getByLabel('Smoothing')).toHaveValue('60');
  await expect(page.getByRole('note').filter({ hasText: 'Steps will show' })).toContainText('Strong smoothing is on');
});

test('when keeping only the largest piece leaves out other large pieces, the page says so and keeps them in one step', async ({ page }) => {
  // the phantom: its table (a slab as big as a bone) is what the box drops, so nothing is said
  await openDemo(page);
  await makeModel(page);
  await expect(page.getByRole('note').filter({ hasText: 'Only the largest piece will print' })).toHaveCount(0);
  // the demo CT at 300 HU: the skeleton breaks into a few big pieces at 3 mm voxels
  await page.goto('/');
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  const hint = page.getByRole('note').filter({ hasText: 'other large pieces' });
  await expect(hint).toContainText('Only the largest piece will print: 3 other large pieces (73, 62 and 50 mL) are left out', { timeout: 30_000 });
  await makeModel(page, /3D model: [\d,]+ triangles/);
  const mL = async () => Number(/([\d.]+) mL/.exec((await status.textContent())!)![1]);
  const largest = await mL();
  await hint.getByRole('button', { name: 'Keep them too' }).click();
  // kept as picks: the largest piece and the three
  await expect(page.getByRole('button', { name: 'Clear 4 picks' })).toBeVisible();
  await expect(hint).toHaveCount(0);
  await makeModel(page, /3D model: [\d,]+ triangles/);
  await expect.poll(mL, { timeout: 60_000 }).toBeGreaterThan(2.5 * largest);
  // one undo step takes the picks back
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('button', { name: /Clear \d+ picks/ })).toHaveCount(0);
  await expect(hint).toBeVisible();
});

test('at 800 px wide everything is reachable and the preview badge does not cover the 3D tools', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 900 });
  await openDemo(page);
  const badge = page.getByText('Live preview (coarse)');
  await expect(badge).toBeVisible({ timeout: 60_000 });
  const b = (await badge.boundingBox())!;
  const t = (await page.getByRole('toolbar', { name: 'Preview tools' }).boundingBox())!;
  const overlap = b.x < t.x + t.width && t.x < b.x + b.width && b.y < t.y + t.height && t.y < b.y + b.height;
  expect(overlap).toBe(false);
  for (const name of ['Make 3D model', 'Open files', 'Keyboard shortcuts']) {
    const button = page.getByRole('button', { name, exact: true });
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeInViewport();
  }
});

test('a build can be cancelled; the next build completes', async ({ page }) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await page.getByLabel('Detail').selectOption({ label: 'Full (every triangle)' });
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  const cancel = page.getByRole('button', { name: 'Cancel build' });
  await expect(cancel).toBeVisible();
  await cancel.click();
  await expect(page.getByRole('status')).toContainText('Build cancelled');
  await expect(cancel).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Printability report' })).toHaveCount(0);
  await makeModel(page);
  await expect(page.getByRole('heading', { name: 'Printability report' })).toBeVisible();
});

test('keyboard only: the shortcuts are listed, and the demo loads, builds and downloads without a mouse', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/?demo=phantom');
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('?');
  const list = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(list).toContainText('Make the 3D model');
  await expect(list).toContainText('Download the model');
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);
  // Tab to the demo button and press Enter
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Try a demo scan') break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('256 × 256 × 160 voxels', { timeout: 60_000 });
  await page.keyboard.press('m');
  await expect(page.getByRole('status')).toContainText('closed and printable', { timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Download STL' })).toBeEnabled({ timeout: 60_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('d')]);
  expect(file.suggestedFilename()).toMatch(/\.stl$/);
  // step keys move the focus to that step's first control
  await page.keyboard.press('4');
  expect(await page.evaluate(() => document.activeElement?.closest('section')?.id)).toBe('export');
});

test('the model name is editable; the file takes it, and only a typed name goes inside the file', async ({ page }) => {
  test.setTimeout(240_000);
  await openDemo(page);
  await makeModel(page);
  const name = page.getByLabel(/^Model name/);
  await expect(name).toHaveValue('Demo head phantom Bone');
  expect((await download(page, 'OBJ')).bytes.toString('utf8')).not.toContain('Demo head phantom');
  await name.fill('Skull for the lab');
  const obj = await download(page, 'OBJ');
  expect(obj.name).toBe('Skull_for_the_lab.obj');
  expect(obj.bytes.toString('utf8')).toContain('Skull for the lab');
});

test('one scan opened ten times: the page gives the memory of each replaced scan back', async ({ page }) => {
  needsShared();
  test.setTimeout(300_000);
  await page.goto('/');
  const memory = () =>
    page.evaluate(async () => (await (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ bytes: number }> }).measureUserAgentSpecificMemory()).bytes / 2 ** 20);
  /** The page's memory once it has settled (freed buffers are released a few seconds after a GC). */
  const settled = async () => {
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      seen.push(await memory());
      const last = seen.slice(-3);
      if (last.length === 3 && Math.max(...last) - Math.min(...last) < 2) return last[2];
      await page.waitForTimeout(1000);
    }
    throw new Error(`memory did not settle: ${seen.map((m) => m.toFixed(0)).join(', ')} MiB`);
  };
  const open = async () => {
    await page.getByLabel('Open folder').setInputFiles(sharedData('ct_abdomen_tcia_pancreas'));
    await expect(page.getByRole('status')).toContainText(/PANCREAS.*512 × 512 × 96 voxels/, { timeout: 60_000 });
  };
  await open();
  await open();
  const second = await settled();
  for (let i = 2; i < 10; i++) await open();
  const tenth = await settled();
  console.log(`memory settled after the 2nd load ${second.toFixed(1)} MiB, after the 10th ${tenth.toFixed(1)} MiB (the volume is 48 MiB)`);
  // a leak of one volume per load would add 8 × 48 MiB
  expect(tenth).toBeLessThan(second + 16);

  // Close scan gives the volume and its mask back
  await page.getByRole('button', { name: 'Close scan' }).click();
  await expect(page.getByRole('status')).toContainText('Drop a DICOM folder');
  expect(await settled()).toBeLessThan(tenth - 48);
});
