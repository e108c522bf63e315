// The repository's import rules, checked on the source: workers/ never imports from src/, bench/ and
// e2e/ are never imported by the app, and no module imports itself through others (no cycles, type
// imports included). README "How it is built" lists what each top-level folder may import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' ? [] : sources(p);
    return /\.(ts|tsx|mjs)$/.test(n) ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+)['"]/g;

/** Every relative import of `file`, resolved to a file of the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec?.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

const files = ['src', 'workers', 'bench', 'e2e'].flatMap((d) => sources(join(root, d)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(root, f);
const under = (f: string, dir: string) => rel(f).startsWith(`${dir}/`);

test('workers/ never imports from src/, bench/ or e2e/', () => {
  const bad = files.filter((f) => under(f, 'workers')).flatMap((f) => graph.get(f)!.filter((t) => ['src', 'bench', 'e2e'].some((d) => under(t, d))).map((t) => `${rel(f)} → ${rel(t)}`));
  assert.deepEqual(bad, []);
});

test('src/ never imports from bench/ or e2e/', () => {
  const bad = files.filter((f) => under(f, 'src')).flatMap((f) => graph.get(f)!.filter((t) => under(t, 'bench') || under(t, 'e2e')).map((t) => `${rel(f)} → ${rel(t)}`));
  assert.deepEqual(bad, []);
});

test('only src/engine/ starts workers', () => {
  const starters = files.filter((f) => under(f, 'src') && /new Worker\(/.test(readFileSync(f, 'utf8'))).map(rel);
  assert.ok(starters.length > 0, 'the engine starts workers somewhere');
  assert.deepEqual(starters.filter((f) => !f.startsWith('src/engine/')), []);
});

test('no import cycles (type imports included)', () => {
  const cycles: string[] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 1);
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});
