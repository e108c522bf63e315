import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { parseBinaryStl } from './stl';
import type { Mesh } from './types';
import {
  MESH_FORMATS,
  mergeMeshes,
  parse3mf,
  parse3mfObjects,
  parseAsciiStl,
  parseObj,
  parsePly,
  write3mf,
  writeAsciiStl,
  writeMesh,
  writeObj,
  write3mfObjects,
  writeObjects,
  writePly,
  xmlEscape,
  type MeshFormat,
} from './writers';

// ---- test meshes -------------------------------------------------------------------------------

/** Regular octahedron, off-origin and with non-round coordinates, wound outward. */
function octahedron(): Mesh {
  const c = [1.25, -3.5, 10.1], r = 7.3;
  const positions = new Float32Array([
    c[0] + r, c[1], c[2], c[0] - r, c[1], c[2], // 0 +x, 1 -x
    c[0], c[1] + r, c[2], c[0], c[1] - r, c[2], // 2 +y, 3 -y
    c[0], c[1], c[2] + r, c[0], c[1], c[2] - r, // 4 +z, 5 -z
  ]);
  // (+x,+y,+z) is outward-CCW; flip each face whose octant has an odd number of minus signs
  const indices = new Uint32Array([0, 2, 4, 2, 1, 4, 1, 3, 4, 3, 0, 4, 2, 0, 5, 1, 2, 5, 3, 1, 5, 0, 3, 5]);
  return { positions, indices };
}

/** Closed UV sphere with 2·nLon·(nLat−1) triangles, wound outward. */
function uvSphere(nLon: number, nLat: number, radius = 37.3, centre = [-12.7, 101.9, -415.3]): Mesh {
  const pos: number[] = [centre[0], centre[1], centre[2] + radius]; // north pole 0
  for (let i = 1; i < nLat; i++) {
    const th = (Math.PI * i) / nLat;
    for (let j = 0; j < nLon; j++) {
      const ph = (2 * Math.PI * j) / nLon;
      pos.push(centre[0] + radius * Math.sin(th) * Math.cos(ph), centre[1] + radius * Math.sin(th) * Math.sin(ph), centre[2] + radius * Math.cos(th));
    }
  }
  const south = pos.length / 3;
  pos.push(centre[0], centre[1], centre[2] - radius);
  const ring = (i: number, j: number) => 1 + (i - 1) * nLon + (j % nLon); // ring i in 1..nLat-1
  const idx: number[] = [];
  for (let j = 0; j < nLon; j++) idx.push(0, ring(1, j), ring(1, j + 1));
  for (let i = 1; i < nLat - 1; i++)
    for (let j = 0; j < nLon; j++) {
      const a = ring(i, j), b = ring(i, j + 1), c = ring(i + 1, j), d = ring(i + 1, j + 1);
      idx.push(a, c, d, a, d, b);
    }
  for (let j = 0; j < nLon; j++) idx.push(south, ring(nLat - 1, j + 1), ring(nLat - 1, j));
  return { positions: new Float32Array(pos), indices: new Uint32Array(idx) };
}

const small = octahedron();
const big = uvSphere(256, 196); // 99 840 triangles

// ---- helpers ----------------------------------------------------------------------------------

const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};
const text = (chunks: Uint8Array[]) => new TextDecoder().decode(concat(chunks));

/** Triangle soup, 9 floats per triangle. */
function soup(m: Mesh): Float32Array {
  const out = new Float32Array(3 * m.indices.length);
  for (let k = 0; k < m.indices.length; k++) out.set(m.positions.subarray(3 * m.indices[k], 3 * m.indices[k] + 3), 3 * k);
  return out;
}

/** Signed volume of a triangle soup (positive when wound outward). */
function signedVolume(tris: Float32Array): number {
  let v = 0;
  for (let t = 0; t < tris.length; t += 9) {
    const [ax, ay, az, bx, by, bz, cx, cy, cz] = tris.subarray(t, t + 9);
    v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return v / 6;
}

/** Same vertices, same triangles, same winding: exact float32 equality of the triangle soup. */
function assertSameMesh(actual: Mesh, expected: Mesh) {
  assert.equal(actual.indices.length, expected.indices.length, 'triangle count');
  assert.equal(actual.positions.length, expected.positions.length, 'vertex count');
  assertSameSoup(soup(actual), soup(expected));
}

function assertSameSoup(actual: Float32Array, expected: Float32Array) {
  assert.equal(actual.length, expected.length, 'triangle count');
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`coordinate ${i} (triangle ${Math.floor(i / 9)}): ${actual[i]} !== ${expected[i]}`);
  }
  const va = signedVolume(actual), ve = signedVolume(expected);
  assert.ok(ve > 0, 'test mesh is wound outward');
  assert.ok(Math.abs(va - ve) <= 1e-6 * Math.abs(ve), `signed volume ${va} vs ${ve}`);
}

// ---- round trips ------------------------------------------------------------------------------

test('test meshes are closed and wound outward (sanity check of the fixtures)', () => {
  assert.equal(big.indices.length / 3, 99840);
  const r = 7.3;
  assert.ok(Math.abs(signedVolume(soup(small)) - (4 / 3) * r ** 3) < 1e-3); // octahedron volume (4/3)r³
  const R = 37.3;
  const v = signedVolume(soup(big));
  assert.ok(v > 0.99 * (4 / 3) * Math.PI * R ** 3 && v < (4 / 3) * Math.PI * R ** 3, `sphere volume ${v}`);
});

for (const [label, mesh] of [['octahedron', small], ['100k-triangle sphere', big]] as const) {
  test(`ASCII STL round-trips the ${label} exactly (float32), with winding`, () => {
    const chunks = writeAsciiStl(mesh, 'skull');
    const s = text(chunks);
    assert.match(s, /^solid skull\n/);
    assert.match(s, /endsolid skull\n$/);
    assertSameSoup(parseAsciiStl(s), soup(mesh));
  });

  test(`OBJ round-trips the ${label} exactly (float32), with winding`, () => {
    const s = text(writeObj(mesh, 'hello\nworld'));
    assert.match(s, /^# hello\n# world\nv /);
    assertSameMesh(parseObj(s), mesh);
  });

  test(`PLY round-trips the ${label} exactly, with winding`, () => {
    const bytes = concat(writePly(mesh));
    const back = parsePly(bytes);
    assertSameMesh(back, mesh);
    assert.deepEqual(back.indices, mesh.indices);
    assert.deepEqual(back.positions, mesh.positions);
  });

  test(`3MF round-trips the ${label} exactly (float32), with winding and unit millimetre`, () => {
    const { mesh: back, unit } = parse3mf(write3mf(mesh, 'Skull'));
    assert.equal(unit, 'millimeter');
    assertSameMesh(back, mesh);
    assert.deepEqual(back.indices, mesh.indices);
  });
}

test('ASCII STL facets carry unit normals that agree with the winding; degenerate facets get 0 0 0', () => {
  const degenerate: Mesh = { positions: new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]), indices: new Uint32Array([0, 1, 2]) };
  const s = text(writeAsciiStl({ positions: small.positions, indices: small.indices.subarray(0, 3) }));
  const n = /facet normal (\S+) (\S+) (\S+)/.exec(s)!.slice(1).map(Number);
  const k = 1 / Math.sqrt(3); // face (+x, +y, +z)
  assert.ok(Math.hypot(n[0] - k, n[1] - k, n[2] - k) < 1e-6, `normal ${n}`);
  assert.match(text(writeAsciiStl(degenerate)), /facet normal 0\.000000e\+0 0\.000000e\+0 0\.000000e\+0\n/);
  // every coordinate is in sign-mantissa-e-sign-exponent form
  for (const m of s.matchAll(/vertex (.*)\n/g)) for (const x of m[1].split(' ')) assert.match(x, /^-?\d\.\d{6,8}e[+-]\d+$/);
});

test('the ASCII STL solid name is one printable line', () => {
  const s = text(writeAsciiStl(small, 'a\nb\u00e9c'));
  assert.match(s, /^solid a_b_c\n/);
  assert.match(s, /\nendsolid a_b_c\n$/);
});

test('OBJ numbers are compact but exact', () => {
  const m: Mesh = { positions: new Float32Array([0, -0, 10, 0.5, 0.1, -1e-8, 123.456, 2 ** 24 + 2, 1 / 3]), indices: new Uint32Array([0, 1, 2]) };
  const s = text(writeObj(m));
  assert.match(s, /^v 0 0 10\nv 0\.5 0\.1 -1e-8\nv 123\.456 16777218 0\.33333334\nf 1 2 3\n$/);
  assert.deepEqual(Array.from(parseObj(s).positions), Array.from(m.positions, (x) => x + 0)); // -0 is written as 0
});

// ---- PLY specifics ----------------------------------------------------------------------------

test('PLY header declares binary little-endian, units, and the vertex and face counts', () => {
  const bytes = concat(writePly(big));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1000));
  const header = head.slice(0, head.indexOf('end_header\n') + 'end_header\n'.length);
  const nv = big.positions.length / 3, nf = big.indices.length / 3;
  assert.equal(
    header,
    'ply\nformat binary_little_endian 1.0\ncomment units mm\ncomment written by scan2print\n' +
      `element vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
      `element face ${nf}\nproperty list uchar uint vertex_indices\nend_header\n`,
  );
  assert.equal(bytes.length, header.length + 12 * nv + 13 * nf);
  // a truncated file is rejected
  assert.throws(() => parsePly(bytes.subarray(0, bytes.length - 1)), /header says/);
});

// ---- 3MF specifics ----------------------------------------------------------------------------

test('3MF package has the three required parts, the 3MF content type and the relationship to the model', () => {
  const files = unzipSync(write3mf(small));
  assert.deepEqual(Object.keys(files).sort(), ['3D/3dmodel.model', '[Content_Types].xml', '_rels/.rels']);
  const ct = new TextDecoder().decode(files['[Content_Types].xml']);
  assert.match(ct, /<Default Extension="model" ContentType="application\/vnd\.ms-package\.3dmanufacturing-3dmodel\+xml"\/>/);
  assert.match(ct, /<Default Extension="rels" ContentType="application\/vnd\.openxmlformats-package\.relationships\+xml"\/>/);
  const rels = new TextDecoder().decode(files['_rels/.rels']);
  assert.match(rels, /Target="\/3D\/3dmodel\.model"/);
  assert.match(rels, /Type="http:\/\/schemas\.microsoft\.com\/3dmanufacturing\/2013\/01\/3dmodel"/);
  const model = new TextDecoder().decode(files['3D/3dmodel.model']);
  assert.match(model, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<model unit="millimeter" xml:lang="en-US" xmlns="http:\/\/schemas\.microsoft\.com\/3dmanufacturing\/core\/2015\/02">/);
  assert.match(model, /<build>\s*<item objectid="1"\/>\s*<\/build>\s*<\/model>\s*$/);
  assert.doesNotMatch(model, /<metadata/); // no title given → no metadata
});

test('3MF title is XML-escaped; invalid XML characters are dropped', () => {
  const title = `Tom & Jerry's <"skull"> \u0001`;
  const model = new TextDecoder().decode(unzipSync(write3mf(small, title))['3D/3dmodel.model']);
  const m = /<metadata name="Title">([^<]*)<\/metadata>/.exec(model);
  assert.ok(m, 'title metadata present');
  assert.equal(m[1], 'Tom &amp; Jerry&apos;s &lt;&quot;skull&quot;&gt; ');
  assert.equal(xmlEscape('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&apos;');
});

test('3MF leaves out triangles with repeated vertex indices (forbidden by the 3MF spec)', () => {
  const m: Mesh = { positions: small.positions, indices: new Uint32Array([...small.indices, 0, 0, 1]) };
  assertSameMesh(parse3mf(write3mf(m)).mesh, small);
});

test('3MF is compressed (DEFLATE), much smaller than its model XML', () => {
  const bytes = write3mf(big);
  const model = unzipSync(bytes)['3D/3dmodel.model'];
  assert.ok(bytes.length < model.length / 2, `${bytes.length} vs ${model.length}`);
});

// ---- chunking and dispatch --------------------------------------------------------------------

test('text formats of a 100k-triangle mesh come in several chunks, none bigger than a few MB', () => {
  for (const format of ['stl-ascii', 'obj', 'ply'] as const) {
    const chunks = writeMesh(big, format, { name: 'big' });
    assert.ok(chunks.length > 1, `${format}: ${chunks.length} chunk(s)`);
    for (const c of chunks) assert.ok(c.length <= 4 << 20, `${format}: chunk of ${c.length} bytes`);
  }
});

test('writeMesh dispatches every format in MESH_FORMATS, and each output reads back', () => {
  assert.deepEqual(
    MESH_FORMATS.map((f) => [f.format, f.label, f.extension]),
    [['stl', 'STL', 'stl'], ['stl-ascii', 'STL (ASCII)', 'stl'], ['obj', 'OBJ', 'obj'], ['ply', 'PLY', 'ply'], ['3mf', '3MF', '3mf']],
  );
  const readBack: Record<MeshFormat, (b: Uint8Array) => Float32Array> = {
    stl: (b) => parseBinaryStl(b.slice().buffer).triangles,
    'stl-ascii': (b) => parseAsciiStl(new TextDecoder().decode(b)),
    obj: (b) => soup(parseObj(new TextDecoder().decode(b))),
    ply: (b) => soup(parsePly(b)),
    '3mf': (b) => soup(parse3mf(b).mesh),
  };
  for (const { format, mime } of MESH_FORMATS) {
    assert.ok(mime.length > 0);
    assertSameSoup(readBack[format](concat(writeMesh(small, format, { name: 'octa', space: 'LPS' }))), soup(small));
  }
  const stl = parseBinaryStl(writeMesh(small, 'stl', { name: 'solid octa' })[0].slice().buffer);
  assert.doesNotMatch(stl.header, /^solid/); // would make readers take it for ASCII
});

// ---- what goes inside a file: nothing from the scan; the coordinate system as 3D Slicer writes it ----

test('without a name, files hold only fixed text: the STL header is "binary STL from scan2print, units: mm" (+ SPACE=LPS as scanned)', () => {
  assert.equal(parseBinaryStl(writeMesh(small, 'stl')[0].slice().buffer).header, 'binary STL from scan2print, units: mm');
  assert.equal(parseBinaryStl(writeMesh(small, 'stl', { space: 'LPS' })[0].slice().buffer).header, 'binary STL from scan2print, units: mm, SPACE=LPS');
  const named = parseBinaryStl(writeMesh(small, 'stl', { space: 'LPS', name: 'My skull\nmodel ' + 'x'.repeat(60) })[0].slice().buffer).header;
  assert.match(named, /^binary STL from scan2print, units: mm, SPACE=LPS, My skull_model x+$/);
  assert.equal(named.length, 80);
  assert.match(text(writeMesh(small, 'stl-ascii', { space: 'LPS' })), /^solid scan2print SPACE=LPS\n[\s\S]*\nendsolid scan2print SPACE=LPS\n$/);
  assert.match(text(writeMesh(small, 'stl-ascii', { name: 'jaw' })), /^solid jaw\n/);
  assert.match(text(writeMesh(small, 'obj', { space: 'LPS', name: 'jaw' })), /^# scan2print, units: mm, SPACE=LPS\n# jaw\nv /);
  assert.match(text(writeMesh(small, 'obj')), /^# scan2print, units: mm\nv /);
  const ply = new TextDecoder('latin1').decode(concat(writeMesh(small, 'ply', { space: 'LPS' })).subarray(0, 300));
  assert.match(ply, /^ply\nformat binary_little_endian 1\.0\ncomment units mm\ncomment written by scan2print\ncomment SPACE=LPS\nelement vertex 6\n/);
  assert.doesNotMatch(new TextDecoder('latin1').decode(concat(writeMesh(small, 'ply')).subarray(0, 300)), /SPACE/);
  const model = new TextDecoder().decode(unzipSync(writeMesh(small, '3mf')[0])['3D/3dmodel.model']);
  assert.doesNotMatch(model, /metadata|name=/);
});

const coloured = () => [
  { mesh: small, name: 'vertebra L1', color: [241, 214, 145] as [number, number, number] },
  { mesh: big, name: 'aorta & "branches"', color: [216, 101, 79] as [number, number, number] },
  { mesh: { positions: small.positions.map((x, i) => (i % 3 === 0 ? x + 40 : x)), indices: small.indices }, name: 'no colour' },
];

test('3MF with several objects: one named object each, colours in a base-materials group, every one built', () => {
  const bytes = write3mfObjects(coloured(), 'Spine & aorta');
  const { objects, unit } = parse3mfObjects(bytes);
  assert.equal(unit, 'millimeter');
  assert.deepEqual(objects.map((o) => [o.name, o.color]), [['vertebra L1', [241, 214, 145]], ['aorta & "branches"', [216, 101, 79]], ['no colour', undefined]]);
  coloured().forEach((o, q) => assertSameMesh(objects[q].mesh, o.mesh));
  const model = new TextDecoder().decode(unzipSync(bytes)['3D/3dmodel.model']);
  assert.match(model, /<basematerials id="4">\s*<base name="vertebra L1" displaycolor="#F1D691"\/>\s*<base name="aorta &amp; &quot;branches&quot;" displaycolor="#D8654F"\/>\s*<\/basematerials>/);
  assert.match(model, /<object id="1" type="model" name="vertebra L1" pid="4" pindex="0">/);
  assert.match(model, /<object id="3" type="model" name="no colour">/);
  assert.match(model, /<build>\s*<item objectid="1"\/>\s*<item objectid="2"\/>\s*<item objectid="3"\/>\s*<\/build>/);
  assert.deepEqual(parse3mf(bytes).mesh, objects[0].mesh);
});

const checker = resolve(process.cwd(), '..', 'shared', 'tools', 'check_3mf.py');
test('a multi-object 3MF passes ../shared/tools/check_3mf.py: names, colours, closed, volumes', { skip: existsSync(checker) ? false : 'check_3mf.py is missing' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'seg3mf-'));
  const file = join(dir, 'segments.3mf');
  writeFileSync(file, write3mfObjects(coloured()));
  const run = spawnSync('python3', [checker, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.ok, true);
  assert.deepEqual(out.objects.map((o: { name: string; color: string | null; closed: boolean; built: boolean }) => [o.name, o.color, o.closed, o.built]), [
    ['vertebra L1', '#F1D691', true, true],
    ['aorta & "branches"', '#D8654F', true, true],
    ['no colour', null, true, true],
  ]);
  const r = 7.3;
  assert.ok(Math.abs(out.objects[0].volume_ml - ((4 / 3) * r ** 3) / 1000) < 1e-3);
});

test('several objects as a zip of one file per object, or merged into one mesh', () => {
  for (const format of ['stl', 'obj', 'ply'] as const) {
    const files = unzipSync(concat(writeObjects(coloured(), format, 'zip', { space: 'LPS' })));
    const ext = format;
    assert.deepEqual(Object.keys(files), [`1_vertebra_L1.${ext}`, `2_aorta_branches.${ext}`, `3_no_colour.${ext}`]);
    const back = format === 'stl' ? parseBinaryStl(files[`1_vertebra_L1.stl`].slice().buffer).triangles : format === 'obj' ? soup(parseObj(new TextDecoder().decode(files['1_vertebra_L1.obj']))) : soup(parsePly(files['1_vertebra_L1.ply']));
    assertSameSoup(back, soup(small));
    if (format === 'stl') assert.equal(parseBinaryStl(files['1_vertebra_L1.stl'].slice().buffer).header, 'binary STL from scan2print, units: mm, SPACE=LPS, vertebra L1');
  }
  const merged = parsePly(concat(writeObjects(coloured(), 'ply', 'merged')));
  assert.deepEqual(merged, mergeMeshes(coloured().map((o) => o.mesh)));
  assert.equal(merged.indices.length, small.indices.length * 2 + big.indices.length);
  // 3MF is one package whatever the packaging
  assert.equal(parse3mfObjects(concat(writeObjects(coloured(), '3mf', 'merged'))).objects.length, 3);
});
