// Marching-cubes case table, derived (not pasted) from one rule: on a face whose two inside corners
// are diagonal, the inside corners are SEPARATED. Inside is therefore face-connected (6-connected),
// exactly as the connected-component step counts pieces, and two cells sharing a face always agree
// on that face's contour: the surface has no cracks and every vertex has a single disk around it.
//
// Corner c of a cell sits at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1).
// Edges 0–3 run along x, 4–7 along y, 8–11 along z (see EDGE_CORNERS).

export const EDGE_CORNERS: readonly (readonly [number, number])[] = [
  [0, 1], [2, 3], [4, 5], [6, 7], // x edges at (y,z) = (0,0), (1,0), (0,1), (1,1)
  [0, 2], [1, 3], [4, 6], [5, 7], // y edges at (x,z) = (0,0), (1,0), (0,1), (1,1)
  [0, 4], [1, 5], [2, 6], [3, 7], // z edges at (x,y) = (0,0), (1,0), (0,1), (1,1)
];

const corner = (c: number): [number, number, number] => [c & 1, (c >> 1) & 1, (c >> 2) & 1];

function edgeBetween(a: number, b: number): number {
  const e = EDGE_CORNERS.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));
  if (e < 0) throw new Error(`corners ${a} and ${b} share no edge`);
  return e;
}

/** The six faces: corners in cyclic order, and the outward normal. */
const FACES: { corners: [number, number, number, number]; normal: [number, number, number] }[] = [
  { corners: [0, 2, 6, 4], normal: [-1, 0, 0] },
  { corners: [1, 3, 7, 5], normal: [1, 0, 0] },
  { corners: [0, 1, 5, 4], normal: [0, -1, 0] },
  { corners: [2, 3, 7, 6], normal: [0, 1, 0] },
  { corners: [0, 1, 3, 2], normal: [0, 0, -1] },
  { corners: [4, 5, 7, 6], normal: [0, 0, 1] },
];

const mid = (e: number): [number, number, number] => {
  const [a, b] = EDGE_CORNERS[e].map(corner);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
};

/**
 * Direction of the contour segment between edges e1 and e2 on a face, so that seen from outside
 * the cube the inside corner is on the segment's right. Chained around the cube, such segments give
 * loops whose triangles face from inside to outside.
 */
function orient(e1: number, e2: number, insideCorner: number, n: readonly number[]): [number, number] {
  const a = mid(e1), b = mid(e2), p = corner(insideCorner);
  const s = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const r = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const cross = [s[1] * r[2] - s[2] * r[1], s[2] * r[0] - s[0] * r[2], s[0] * r[1] - s[1] * r[0]];
  const side = cross[0] * n[0] + cross[1] * n[1] + cross[2] * n[2];
  return side < 0 ? [e1, e2] : [e2, e1];
}

/** Contour loops (edge indices, in order) of one corner configuration. */
export function caseLoops(config: number): number[][] {
  const inside = (c: number) => (config >> c) & 1;
  const next = new Array<number>(12).fill(-1);
  const link = ([from, to]: [number, number]) => {
    if (next[from] !== -1) throw new Error(`case ${config}: edge ${from} leaves twice`);
    next[from] = to;
  };
  for (const { corners, normal } of FACES) {
    const edges = [0, 1, 2, 3].map((i) => edgeBetween(corners[i], corners[(i + 1) % 4]));
    const crossing = [0, 1, 2, 3].filter((i) => inside(corners[i]) !== inside(corners[(i + 1) % 4]));
    if (crossing.length === 2) {
      const ins = corners.find((c) => inside(c))!;
      link(orient(edges[crossing[0]], edges[crossing[1]], ins, normal));
    } else if (crossing.length === 4) {
      // Ambiguous face: cut each inside corner off on its own (inside stays face-connected).
      for (let i = 0; i < 4; i++) {
        if (!inside(corners[i])) continue;
        const before = edges[(i + 3) % 4]; // edge from the previous corner to corner i
        const after = edges[i]; // edge from corner i to the next corner
        link(orient(before, after, corners[i], normal));
      }
    }
  }
  const loops: number[][] = [];
  const used = new Array<boolean>(12).fill(false);
  for (let start = 0; start < 12; start++) {
    if (next[start] === -1 || used[start]) continue;
    const loop: number[] = [];
    for (let e = start; !used[e]; e = next[e]) {
      if (next[e] === -1) throw new Error(`case ${config}: contour open at edge ${e}`);
      used[e] = true;
      loop.push(e);
    }
    if (loop[0] !== next[loop[loop.length - 1]]) throw new Error(`case ${config}: loop does not close`);
    loops.push(loop);
  }
  return loops;
}

/** Whether two cube edges lie on a common face (then a mesh edge between their vertices would lie
 * in that face, where the neighbouring cell could draw the same edge: a non-manifold edge). */
function shareFace(e1: number, e2: number): boolean {
  const cs = new Set([...EDGE_CORNERS[e1], ...EDGE_CORNERS[e2]]);
  return FACES.some(({ corners }) => [...cs].every((c) => corners.includes(c)));
}

/**
 * Triangulates a contour loop using only diagonals between vertices on no common face, so a
 * triangle edge inside a cell is never shared with another cell. Interval DP over the polygon.
 */
function triangulate(loop: number[]): [number, number, number][] {
  const n = loop.length;
  const ok = (i: number, j: number) => j - i === 1 || (i === 0 && j === n - 1) || !shareFace(loop[i], loop[j]);
  const memo = new Map<number, [number, number, number][] | null>();
  const solve = (i: number, j: number): [number, number, number][] | null => {
    if (j - i < 2) return [];
    const key = i * 16 + j;
    if (memo.has(key)) return memo.get(key)!;
    let best: [number, number, number][] | null = null;
    for (let k = i + 1; k < j && !best; k++) {
      if (!ok(i, k) || !ok(k, j)) continue;
      const left = solve(i, k);
      const right = left && solve(k, j);
      if (left && right) best = [...left, [loop[i], loop[k], loop[j]], ...right];
    }
    memo.set(key, best);
    return best;
  };
  const tris = solve(0, n - 1);
  if (!tris) throw new Error(`no face-safe triangulation of loop ${loop.join(',')}`);
  return tris;
}

/** Triangles of each configuration as edge indices: TRI_EDGES[TRI_OFFSETS[c] .. TRI_OFFSETS[c+1]). */
export const TRI_OFFSETS = new Uint16Array(257);
export const TRI_EDGES: Uint8Array = (() => {
  const all: number[] = [];
  for (let config = 0; config < 256; config++) {
    TRI_OFFSETS[config] = all.length;
    for (const loop of caseLoops(config)) for (const t of triangulate(loop)) all.push(...t);
  }
  TRI_OFFSETS[256] = all.length;
  return Uint8Array.from(all);
})();
