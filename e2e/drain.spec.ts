import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect, download, makeModel, openDemo, type Locator } from './fixtures';
import { checkStl, num } from './helpers';

// Drain holes (issue 12) on the demo phantom hollowed at a 2 mm wall (its skull bone holds one enclosed
// cavity): automatic holes, a hole added by clicking the model, the file closed and lighter by the holes;
// and the 3D view showing what the file holds (the holes; cut parts, each in its own shade).
const TOOL = resolve(process.cwd(), '..', 'shared', 'tools', 'check_stl.sh');

/** check_stl.sh without slicing (admesh and topology): its JSON line. */
const checkTopology = (path: string) => checkStl(path, false).json;

/**
 * A checked file's volume from the exact topology check (double precision). Its `volume_mm3` is
 * admesh's, summed in single precision: about ±1 mm³ off at the hollow phantom's 303,000 mm³, as
 * much as a difference of two files is asked to match here.
 */
const exactVolume = (json: Record<string, unknown>) => (json.topo as { signed_volume_mm3: number }).signed_volume_mm3;

/** Pixels of the 3D view by colour: the hole dots' sky blue, the second cut part's blue, bone. */
async function colours(canvasHost: Locator): Promise<{ sky: number; blue: number; bone: number }> {
  return canvasHost.locator('canvas').evaluate((src: HTMLCanvasElement) => {
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sky = 0, blue = 0, bone = 0;
    for (let i = 0; i < d.length; i += 4) {
      const r = d[i], g = d[i + 1], b = d[i + 2];
      if (b > 200 && g > 150 && r < 90) sky++; // 0x38bdf8, unlit
      else if (b > r + 30 && b > 60) blue++;
      else if (r > b + 25 && g > b + 10 && r > 60) bone++;
    }
    return { sky, blue, bone };
  });
}

test('drain holes on the hollow phantom: closed file, lighter by the holes, a clicked hole; the 3D view shows the file (cut parts in their own shades, the base)', async ({ page }) => {
  test.skip(!existsSync(TOOL), `needs ${TOOL} (../shared/tools beside this clone)`);
  test.setTimeout(400_000);
  await openDemo(page);
  await page.getByLabel('Hollow').check();
  await makeModel(page);
  const view = page.getByRole('img', { name: '3D view of the model' });
  await expect(view).toHaveAttribute('data-objects', '1');

  // without holes: the hollow model's file
  const hollow = checkTopology((await download(page, 'STL')).path);
  expect(hollow.ok, JSON.stringify(hollow)).toBe(true);

  // drain holes on (an FDM printer: 5 mm by default): automatic holes at the lowest point of each cavity
  const drain = page.getByRole('checkbox', { name: /^Drain holes/ });
  await drain.check();
  await expect(page.getByLabel('Hole diameter (mm)')).toHaveValue('5');
  const note = page.getByTestId('drain-note');
  await expect(note).toContainText(/^\d+ drain holes? cut \(5 mm: \d+ automatic, [\d,]+ mm³ removed\)\. No cavity left enclosed\./, { timeout: 120_000 });
  const text = (await note.textContent())!;
  const holes = num(text);
  const removed = num(/([\d,]+) mm³ removed/.exec(text)![1]);
  console.log('drain note:', text);
  expect(holes).toBeGreaterThanOrEqual(1);
  const drained = checkTopology((await download(page, 'STL')).path);
  console.log('check_stl --no-slice: hollow', exactVolume(hollow), 'drained', exactVolume(drained), '(admesh:', hollow.volume_mm3, drained.volume_mm3, ')');
  expect(drained.ok, JSON.stringify(drained)).toBe(true);
  // the cavity, a shell of its own in the hollow file, is open now: one part
  expect([hollow.parts, drained.parts]).toEqual([2, 1]);
  // and the report counts the file's pieces: the cavity opened
  await expect(page.getByRole('definition').filter({ hasText: 'opened by drain holes' })).toHaveText('1 solid (1 opened by drain holes)');
  const lost = exactVolume(hollow) - exactVolume(drained);
  // the file lost what the note says, and about the holes' cylinders: 5 mm across, through a 2 mm wall (sloped: longer)
  expect(Math.abs(lost - removed)).toBeLessThan(2);
  const cylinders = holes * Math.PI * 2.5 ** 2 * 2;
  expect(lost).toBeGreaterThan(0.4 * cylinders);
  expect(lost).toBeLessThan(2.5 * cylinders);
  // the view shows the drilled model, its holes as blue dots
  await expect.poll(async () => (await colours(view)).sky).toBeGreaterThan(10);

  // a click on the model adds a hole: straight in from the front of the skull, into its cavity
  await page.getByRole('button', { name: 'Add a hole by clicking the model' }).click();
  const box = (await view.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const clicked = page.getByRole('list', { name: 'Clicked drain holes' }).getByRole('listitem');
  await expect(clicked).toHaveCount(1);
  await expect(clicked.first()).toContainText(/Hole 1: cut through \d+(\.\d)? mm of wall/, { timeout: 120_000 });
  await expect(note).toContainText(new RegExp(`^${holes + 1} drain holes cut \\(5 mm: ${holes} automatic, 1 clicked`));
  const withClick = checkTopology((await download(page, 'STL')).path);
  expect(withClick.ok, JSON.stringify(withClick)).toBe(true);
  expect(exactVolume(withClick)).toBeLessThan(exactVolume(drained));
  // and it can be removed again
  await page.getByRole('button', { name: 'Remove hole 1' }).click();
  await expect(clicked).toHaveCount(0);
  await expect(note).toContainText(new RegExp(`^${holes} drain holes? cut`), { timeout: 120_000 });

  // on the bed (flat side down), the holes are drilled for that "down": the file still has no cavity left
  await page.getByLabel('Placement').selectOption({ label: 'On the printer bed (flat side down)' });
  await expect(note).toContainText(/^\d+ drain holes? cut .*No cavity left enclosed\./, { timeout: 120_000 });
  const onBed = checkTopology((await download(page, 'STL')).path);
  console.log('on the bed:', await note.textContent());
  expect(onBed.ok, JSON.stringify(onBed)).toBe(true);
  expect(onBed.parts).toBe(1);
  expect((onBed.topo as { bbox_min: number[] }).bbox_min[2]).toBeCloseTo(0, 3);
  await page.getByLabel('Placement').selectOption({ label: 'As scanned (patient mm)' });

  // cut to fit a 120 mm bed: the view shows the parts laid out, each in its own shade, listed by name
  await page.getByLabel('Printer', { exact: true }).selectOption('custom');
  for (const side of ['width', 'depth', 'height']) await page.getByLabel(`Bed ${side} (mm)`).fill('120');
  await page.getByLabel('Cut to fit the bed').check();
  const cutNote = page.getByTestId('cut-note');
  await expect(cutNote).toContainText(/^Cut into \d+ parts; each fits the 120 × 120 × 120 mm bed\.$/, { timeout: 180_000 });
  const parts = num((await cutNote.textContent())!);
  await expect(view).toHaveAttribute('data-objects', String(parts));
  const legend = page.getByRole('list', { name: 'Objects in the 3D view' }).getByRole('listitem');
  await expect(legend).toHaveCount(parts);
  await expect(legend.first()).toHaveText(`Part 1 of ${parts}`);
  await expect(note).toContainText(/^\d+ drain holes? cut/);
  const shades = await colours(view);
  console.log(`cut into ${parts} parts; view pixels`, shades);
  expect(shades.blue).toBeGreaterThan(500); // part 2's blue
  expect(shades.bone).toBeGreaterThan(500); // part 1's bone
  expect(shades.sky).toBe(0); // no hole marks on parts moved each its own way
  await expect(page.getByRole('button', { name: 'Add a hole by clicking the model' })).toBeDisabled();

  // a flat base instead: the view holds the model on its slab (the file's size), the hole drilled through both
  await page.getByLabel('Cut to fit the bed').uncheck();
  await page.getByLabel('Flat base').check();
  await expect(page.getByTestId('base-note')).toContainText(/^On a 2 mm flat base: first layer [\d,]+ mm², holds\.$/, { timeout: 120_000 });
  await expect(note).toContainText(/^\d+ drain holes? cut .*No cavity left enclosed\./, { timeout: 120_000 });
  await expect(view).toHaveAttribute('data-objects', '1');
  const based = checkTopology((await download(page, 'STL')).path);
  expect(based.ok, JSON.stringify(based)).toBe(true);
  const info = (await page.locator('.preview-info').textContent())!;
  const shown = /([\d.]+) × ([\d.]+) × ([\d.]+) mm/.exec(info)!.slice(1).map(Number);
  console.log('flat base: view', shown, 'file', based.size_mm);
  (based.size_mm as number[]).forEach((x, i) => expect(Math.abs(x - shown[i])).toBeLessThan(0.15));
  await expect.poll(async () => (await colours(view)).sky).toBeGreaterThan(10);
});
