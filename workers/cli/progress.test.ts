import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgress } from './progress';

function sink(tty: boolean) {
  const chunks: string[] = [];
  const out = Object.assign(
    new Writable({
      write(c, _e, cb) {
        chunks.push(String(c));
        cb();
      },
    }),
    { isTTY: tty, columns: 120 },
  );
  return { out, text: () => chunks.join('') };
}

test('piped: one plain line per new stage of a scan, counts left out; messages as lines', () => {
  const s = sink(false);
  const p = createProgress(['a', 'b'], s.out);
  p.update(0, 'reading headers 8/96', 0.01);
  p.update(0, 'reading headers 16/96', 0.02);
  p.update(1, 'reading NIfTI 0/1', 0.1);
  p.update(0, 'isosurface', 0.6);
  p.line('a → a.stl');
  p.done(0);
  p.finish();
  assert.equal(s.text(), 'scan2print: a: reading headers\nscan2print: b: reading NIfTI\nscan2print: a: isosurface\na → a.stl\n');
});

test('on a terminal: a bar redrawn in place with the share done and what each scan does; lines go above it', () => {
  const s = sink(true);
  const p = createProgress(['a', 'b'], s.out);
  p.update(0, 'isosurface', 0.5);
  p.done(1);
  p.line('b → b.stl');
  p.finish();
  const t = s.text();
  assert.ok(t.startsWith('\r\x1b[2K[######..................]  25%  0/2 scans  a: isosurface'), JSON.stringify(t));
  assert.match(t, /\r\x1b\[2K\[##################\.\.\.\.\.\.\]  75%  1\/2 scans  a: isosurface/);
  assert.match(t, /\r\x1b\[2Kb → b\.stl\n/);
  assert.ok(t.endsWith('\r\x1b[2K'));
});
