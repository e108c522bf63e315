import { test, expect, needsShared, type Page } from './fixtures';
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deflatedZeros,
  elementBytes,
  ENHANCED_CT,
  gzippedZeros,
  metaHeader,
  niftiHeader,
  part10,
  series,
  slice,
  TS,
  zipArchive,
} from '../workers/intake/testCorpus';
import { sharedData } from './helpers';

// A representative part of the hostile-input corpus (workers/intake/hostile.test.ts runs all of it in
// Node), through the real page: files generated here into test-results/, opened with the file
// inputs, each case followed by a good scan loading in the same tab. Every case must end in a
// message naming the file, with no page error, no request off the origin and no CSP violation.

const dir = join('test-results', `hostile-${process.pid}`);
const write = (rel: string, bytes: Uint8Array) => {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
};
test.beforeAll(() => mkdirSync(dir, { recursive: true }));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a series of `count` 64² slices into a folder; returns the folder. */
function seriesFolder(name: string, count: number, o: Parameters<typeof series>[1] = {}): string {
  for (const f of series(count, { size: 64, ...o })) write(join(name, f.name), f.bytes);
  return join(dir, name);
}

/** Records CSP violations in the page and its console (the fixture checks page errors and requests off the origin). */
async function watch(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`console: ${m.text()}`));
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return async () => {
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect([...problems, ...violations.map((v) => `CSP: ${v}`)]).toEqual([]);
  };
}

test('every response carries the CSP, nosniff, no-referrer and cross-origin isolation headers', async ({ request }) => {
  const paths = ['/', '/sw.js', '/manifest.webmanifest', '/favicon.svg'];
  const html = await (await request.get('/')).text();
  paths.push(/src="(\/assets\/index-[^"]+\.js)"/.exec(html)![1]);
  const sw = await (await request.get('/sw.js')).text();
  paths.push(`/${/url:"(assets\/[^"]+\.wasm)"/.exec(sw)![1]}`);
  for (const path of paths) {
    const h = (await request.get(path)).headers();
    expect(h['content-security-policy'], path).toContain("default-src 'self'");
    expect(h['content-security-policy'], path).toContain("connect-src 'self';");
    expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('no-referrer');
    expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(h['cross-origin-embedder-policy'], path).toBe('require-corp');
  }
  // the page carries the policy as a <meta> too, for hosts that cannot send headers
  expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;;/);
  // the page, its scripts and its other workers never allow eval
  for (const path of paths) expect((await request.get(path)).headers()['content-security-policy'], path).not.toContain("'unsafe-eval'");
  expect(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]).not.toContain('&#39;unsafe-eval&#39;');
  // manifold-3d's worker alone gets the same policy plus 'unsafe-eval' (its embind bindings use
  // `new Function`): one CSP header, not two (two policies would both apply and still refuse eval)
  const pagePolicy = (await request.get('/')).headers()['content-security-policy'];
  const worker = `/${/url:"(eval-worker\/manifold\.worker-[^"]+\.js)"/.exec(sw)![1]}`;
  const w = (await request.get(worker)).headers();
  expect(w['content-security-policy'], worker).toBe(pagePolicy.replace("script-src 'self' 'wasm-unsafe-eval'", "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'"));
  expect(w['cross-origin-embedder-policy'], worker).toBe('require-corp');
});

test('the page itself refuses eval under its CSP', async ({ page }) => {
  await page.goto('/');
  // in a task of the page's own (page.evaluate's own code may eval: DevTools lifts the CSP for it)
  const result = await page.evaluate(
    () =>
      new Promise<string>((done) =>
        setTimeout(() => {
          try {
            done(`allowed: ${new Function('return 6 * 7')()}`);
          } catch (e) {
            done(`refused: ${(e as Error).name}`);
          }
        }, 0),
      ),
  );
  expect(result).toBe('refused: EvalError');
});

test('the app works under its CSP: demo, model, a JPEG 2000 series (codec WebAssembly) and a NIfTI, with no violation', async ({ page }) => {
  needsShared();
  test.setTimeout(300_000);
  const check = await watch(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Try a demo scan' }).click();
  const status = page.getByRole('status');
  await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Make 3D model' }).click();
  await expect(status).toContainText('closed and printable', { timeout: 120_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download STL', exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.stl$/);
  await page.getByLabel('Open folder').setInputFiles(sharedData('codecs/ct_series_jpeg2000_no_ext'));
  await expect(status).toContainText('512 × 512 × 20 voxels', { timeout: 150_000 });
  await page.getByLabel('Open files').setInputFiles(sharedData('nifti/ct_abdomen_totalsegmentator_example_ct.nii.gz'));
  await expect(status).toContainText('122 × 101 × 112 voxels', { timeout: 60_000 });
  await check();
});

test('hostile files in one tab: each is named with what is wrong, and a good scan loads after each', async ({ page }) => {
  test.setTimeout(600_000);
  const check = await watch(page);
  const good = seriesFolder('good', 8);
  const status = page.getByRole('status');
  const notes = page.getByLabel('Notes about this scan');
  const alert = page.getByRole('alert');
  const loadGood = async () => {
    await page.getByLabel('Open folder').setInputFiles(good);
    await expect(status).toContainText('64 × 64 × 8 voxels', { timeout: 60_000 });
  };
  await page.goto('/');

  // D9: a zip whose directory is scrambled, beside a good series: the series loads, the zip is named
  const zip = Buffer.from(zipArchive(series(4, { size: 64, prefix: 'z' }).map((f) => ({ name: f.name, data: f.bytes }))));
  for (let i = zip.readUInt32LE(zip.length - 6); i < zip.length - 22; i += 7) zip[i] ^= 0x5a;
  const goodFiles = series(8, { size: 64, prefix: 'files' }).map((f) => write(f.name, f.bytes));
  await page.getByLabel('Open files').setInputFiles([...goodFiles, write('scrambled.zip', zip)]);
  await expect(status).toContainText('64 × 64 × 8 voxels', { timeout: 60_000 });
  await expect(notes).toContainText(/scrambled\.zip: not a readable zip archive/);

  // D7/D16: a sparse 2 GiB file that starts like DICOM, then zeros: named from its first bytes
  const sparse = write('sparse/huge.dcm', Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]));
  truncateSync(sparse, 2 * 2 ** 30);
  const single = part10(slice({ size: 64 }));
  write('sparse/one.dcm', single);
  await page.getByLabel('Open folder').setInputFiles(join(dir, 'sparse'));
  await expect(alert).toContainText(/huge\.dcm: damaged DICOM: its meta header \(the start of the file\) cannot be read/, { timeout: 60_000 });
  await loadGood();

  // D3: a deflated dataset inflating to 1 GiB; D4: an Enhanced CT declaring 2·10⁹ frames
  const body = Buffer.concat([elementBytes({ tag: '0008,0060', vr: 'CS', value: 'CT' }), elementBytes({ tag: '0029,1020', vr: 'OB', value: new Uint8Array(0), length: 2 ** 30 })]);
  write('bombs/deflated.dcm', Buffer.concat([metaHeader(TS.deflated, '1.2.840.10008.5.1.4.1.1.2', '2.25.7'), deflatedZeros(body, 1024)]));
  write(
    'bombs/frames.dcm',
    part10(
      [
        { tag: '0008,0016', vr: 'UI', value: ENHANCED_CT },
        { tag: '0008,0060', vr: 'CS', value: 'CT' },
        { tag: '0028,0002', vr: 'US', value: [1] },
        { tag: '0028,0004', vr: 'CS', value: 'MONOCHROME2' },
        { tag: '0028,0008', vr: 'IS', value: '2000000000' },
        { tag: '0028,0010', vr: 'US', value: [64] },
        { tag: '0028,0011', vr: 'US', value: [64] },
        { tag: '0028,0100', vr: 'US', value: [16] },
        { tag: '5200,9229', vr: 'SQ', value: [[{ tag: '0020,9113', vr: 'SQ', value: [[{ tag: '0020,0032', vr: 'DS', value: '0\\0\\0' }]] }]] },
        { tag: '7fe0,0010', vr: 'OW', value: new Uint8Array(64 * 64 * 2) },
      ],
      { sopClass: ENHANCED_CT },
    ),
  );
  await page.getByLabel('Open folder').setInputFiles(join(dir, 'bombs'));
  await expect(alert).toContainText(/deflated\.dcm: damaged DICOM: no image header in its first 64 MiB/, { timeout: 60_000 });
  await expect(alert).toContainText(/frames\.dcm: the header says 2000000000 frames, more than the 65536/);
  await loadGood();

  // D5/D6: a .nii.gz whose vox_offset lies 1.9 GB on, over 2 GiB of gzipped zeros
  await page.getByLabel('Open files').setInputFiles(write('far.nii.gz', gzippedZeros(niftiHeader({ dims: [8, 8, 8], voxOffset: 1.9e9 }), 2048)));
  await expect(alert).toContainText(/far\.nii\.gz: vox_offset 1900000000 puts the voxels 1\.8 GiB after the header/, { timeout: 60_000 });
  await loadGood();

  // D8: the same series twice in one folder
  seriesFolder('twice/a', 8);
  seriesFolder('twice/b', 8);
  await page.getByLabel('Open folder').setInputFiles(join(dir, 'twice'));
  await expect(status).toContainText('64 × 64 × 8 voxels', { timeout: 60_000 });
  await expect(notes).toContainText(/Dropped 8 duplicate images \(the same image twice/);
  await loadGood();

  // D11 and D13: one negative pixel spacing (never mirrored), a UTF-8 description with a right-to-left override
  const description = Buffer.from('Kopf 🦴 \u202Egpj.exe\u202C', 'utf8');
  seriesFolder('odd', 8, { spacing: '0.8\\-0.8', charset: 'ISO_IR 192', extra: [{ tag: '0008,103e', vr: 'LO', value: description }] });
  await page.getByLabel('Open folder').setInputFiles(join(dir, 'odd'));
  await expect(status).toContainText('Kopf 🦴 gpj.exe', { timeout: 60_000 });
  await expect(status).toContainText('0.8 × 0.8 × 2 mm');
  await expect(status).not.toContainText('\u202E');
  await expect(notes).toContainText(/PixelSpacing 0\.8\\-0\.8 is negative: its size 0\.8\\0\.8 mm is used/);
  await loadGood();
  await check();
});
