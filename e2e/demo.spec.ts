import { test, expect, download, makeModel, openDemo } from './fixtures';
import { readFileSync } from 'node:fs';
import { checkMesh } from '../workers/core/meshCheck';
import { skullShellVolumeMm3 } from '../workers/core/phantom';
import { parseBinaryStl } from '../workers/core/stl';
import { weldTriangles } from '../workers/core/weld';
import { canvasStats, checkStl, repeatedRows } from './helpers';

const readStl = (path: string) => {
  const bytes = readFileSync(path);
  return parseBinaryStl(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

test('demo phantom: threshold, keep largest piece, download a closed STL of the skull', async ({ page }) => {
  await openDemo(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const status = page.getByRole('status');
  await expect(status).toContainText('0.9 × 0.9 × 1.25 mm');

  // Default threshold is bone: 300 HU up to the volume's maximum.
  await expect(page.getByRole('spinbutton', { name: 'Lower threshold (HU)' })).toHaveValue('300');
  for (const name of ['Axial', 'Sagittal', 'Coronal']) {
    const s = await canvasStats(page.getByLabel(name, { exact: true }));
    expect(s.nonBlank, `${name} view shows the scan`).toBeGreaterThan(0.05);
  }
  // every slice reached the volume texture with its own values (they go through one reused buffer)
  for (const name of ['Sagittal', 'Coronal']) expect(await repeatedRows(page.getByLabel(name, { exact: true })), `${name} rows`).toBeLessThan(0.5);

  // With every piece kept, the table is in the model too.
  await page.getByRole('checkbox', { name: /largest piece/ }).uncheck();
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(status).toContainText(/3D model: [\d,]+ triangles/, { timeout: 120_000 });
  const all = await page.evaluate(() => document.querySelector('[role=status]')!.textContent!);

  await page.getByRole('checkbox', { name: /largest piece/ }).check();
  await expect(status).toContainText('Settings changed');
  await expect(page.getByRole('button', { name: 'Download STL' })).toBeDisabled();
  await makeModel(page);
  const largest = await page.evaluate(() => document.querySelector('[role=status]')!.textContent!);
  const ml = (t: string) => Number(/([\d.]+) mL/.exec(t)![1]);
  expect(ml(all)).toBeGreaterThan(ml(largest) * 1.05);

  const preview = await canvasStats(page.getByLabel('3D preview', { exact: true }));
  expect(preview.stddev, 'the 3D preview shows a shaded mesh').toBeGreaterThan(5);
  await expect(page.getByLabel('3D preview', { exact: true })).toContainText('triangles');

  // The skull's true boundary lies at half-max between scalp (0 HU) and bone (1000 HU): at 500 HU the
  // printed skull must enclose its analytic volume within 3 %.
  await page.getByRole('spinbutton', { name: 'Lower threshold (HU)' }).fill('500');
  await makeModel(page);
  const file = await download(page, 'STL');
  // the file is named after the series (the editable model name); nothing from the scan goes inside it
  expect(file.name).toBe('Demo_head_phantom.stl');
  const path = file.path;
  const stl = readStl(path);
  expect(stl.header).toMatch(/^binary STL from scan2print, units: mm/);
  expect(stl.header).not.toContain('Demo');
  const report = checkMesh(weldTriangles(stl.triangles));
  expect(report.boundaryEdges).toBe(0);
  expect(report.nonManifoldEdges).toBe(0);
  expect(report.inconsistentEdges).toBe(0);
  expect(report.shells).toBe(1);
  const analytic = skullShellVolumeMm3();
  console.log(`demo skull: ${report.triangles} triangles, ${report.volumeMm3.toFixed(0)} mm³ vs analytic ${analytic.toFixed(0)} mm³`);
  expect(Math.abs(report.volumeMm3 - analytic) / analytic).toBeLessThan(0.03);

  const check = checkStl(path);
  expect(check.json.ok, JSON.stringify(check.json)).toBe(true);
});
