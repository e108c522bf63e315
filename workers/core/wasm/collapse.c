// The decimation's collapse passes (decimate.ts collapser): the same costs, checks and collapses in
// the same order with the same floating-point operations, so the same meshes bit for bit. See
// decimate.ts for what each step means and why; the comments here only say where C differs.
//
// A thread's state is a Collapser in the module's memory (decimate.ts makes one per thread in the
// job's kernel memory), its arrays byte addresses in that memory. Doubles round to float32 with a cast,
// as Math.fround does (round to nearest even); the rounded values are then used as doubles, as in JS.

#include <stdint.h>

#define BUCKETS (1 << 14)
#define H (BUCKETS + 1)
#define ALLOWED 0
#define REFUSED 1
#define OUTSIDE 2

typedef struct {
  double *P, *Q, *N;
  int32_t *I, *opp, *vOut;
  uint8_t *locked, *deadTri;
  int32_t *moved;
  uint16_t *bucket, *cheapest;
  int32_t *hist;
  uint8_t *binOf;
  uint16_t *refused, *touched;
  int32_t *mark;
  int32_t markId, recheck;
  int32_t v0, v1, passNow, limitNow, refuseNow;
  double maxCostNow;
  double best[4], vol[4], to[3];
  /** COLLAPSED, WORST, SKIPPED (decimate.ts), read by the caller after collapse_edges */
  double found[3];
} Collapser;

__attribute__((export_name("collapser_bytes"))) int32_t collapser_bytes(void) { return sizeof(Collapser); }
__attribute__((export_name("collapser_found"))) int32_t collapser_found(void) { return (int32_t)__builtin_offsetof(Collapser, found); }

__attribute__((export_name("collapser_init")))
void collapser_init(Collapser *c, double *P, double *Q, double *N, int32_t *I, int32_t *opp, int32_t *vOut, uint8_t *locked, uint8_t *deadTri,
                    int32_t *moved, uint16_t *bucket, uint16_t *cheapest, int32_t *hist, uint8_t *binOf, uint16_t *refused, uint16_t *touched,
                    int32_t *mark, int32_t recheck) {
  c->P = P; c->Q = Q; c->N = N; c->I = I; c->opp = opp; c->vOut = vOut; c->locked = locked; c->deadTri = deadTri;
  c->moved = moved; c->bucket = bucket; c->cheapest = cheapest; c->hist = hist; c->binOf = binOf; c->refused = refused;
  c->touched = touched; c->mark = mark; c->recheck = recheck;
  c->markId = 0;
}

static inline int32_t next(int32_t h) { return h % 3 == 2 ? h - 2 : h + 1; }
static inline int32_t prev(int32_t h) { return h % 3 == 0 ? h + 2 : h - 1; }
static inline int32_t bucket_of(double c) {
  return (int32_t)(uint32_t)(__builtin_bit_cast(uint64_t, c) >> 49);
}
static inline double fr(double x) { return (double)(float)x; }

static void place(Collapser *c, int32_t a, int32_t b, int constrained) {
  const double *Q = c->Q, *P = c->P;
  const int32_t qa = 10 * a, qb = 10 * b;
  const double a11 = Q[qa] + Q[qb], a12 = Q[qa + 1] + Q[qb + 1], a13 = Q[qa + 2] + Q[qb + 2];
  const double a22 = Q[qa + 3] + Q[qb + 3], a23 = Q[qa + 4] + Q[qb + 4], a33 = Q[qa + 5] + Q[qb + 5];
  const double b1 = Q[qa + 6] + Q[qb + 6], b2 = Q[qa + 7] + Q[qb + 7], b3 = Q[qa + 8] + Q[qb + 8];
  const double cc = Q[qa + 9] + Q[qb + 9];
  const double mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
  const double eps = 1e-3 * (a11 + a22 + a33) + 1e-12;
  const double m11 = a11 + eps, m22 = a22 + eps, m33 = a33 + eps;
  const double r1 = -b1 + eps * mx, r2 = -b2 + eps * my, r3 = -b3 + eps * mz;
  const double c11 = m22 * m33 - a23 * a23, c12 = a13 * a23 - a12 * m33, c13 = a12 * a23 - a13 * m22;
  const double c22 = m11 * m33 - a13 * a13, c23 = a12 * a13 - m11 * a23, c33 = m11 * m22 - a12 * a12;
  const double inv = 1 / (m11 * c11 + a12 * c12 + a13 * c13);
  double x = (c11 * r1 + c12 * r2 + c13 * r3) * inv;
  double y = (c12 * r1 + c22 * r2 + c23 * r3) * inv;
  double z = (c13 * r1 + c23 * r2 + c33 * r3) * inv;
  const double gx = constrained ? c->vol[0] : 0, gy = constrained ? c->vol[1] : 0, gz = constrained ? c->vol[2] : 0;
  const double gg = gx * gx + gy * gy + gz * gz;
  if (gg > 0) {
    const double wx = (c11 * gx + c12 * gy + c13 * gz) * inv;
    const double wy = (c12 * gx + c22 * gy + c23 * gz) * inv;
    const double wz = (c13 * gx + c23 * gy + c33 * gz) * inv;
    const double gw = gx * wx + gy * wy + gz * wz;
    if (gw > 1e-12 * gg) {
      const double lambda = (c->vol[3] - (gx * x + gy * y + gz * z)) / gw;
      x += lambda * wx;
      y += lambda * wy;
      z += lambda * wz;
    }
  }
  c->best[0] = x;
  c->best[1] = y;
  c->best[2] = z;
  const double e = a11 * x * x + 2 * a12 * x * y + 2 * a13 * x * z + a22 * y * y + 2 * a23 * y * z + a33 * z * z + 2 * (b1 * x + b2 * y + b3 * z) + cc;
  c->best[3] = e > 0 ? e : 0;
}

static void volume_plane(Collapser *c, int32_t a, int32_t b, int32_t t0, int32_t t1) {
  const double *P = c->P;
  const int32_t *I = c->I, *opp = c->opp;
  const double mx = (P[3 * a] + P[3 * b]) / 2, my = (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = (P[3 * a + 2] + P[3 * b + 2]) / 2;
  double gx = 0, gy = 0, gz = 0, old6 = 0;
  for (int k = 0; k < 2; k++) {
    const int32_t v = k == 0 ? a : b;
    const double px = P[3 * v] - mx, py = P[3 * v + 1] - my, pz = P[3 * v + 2] - mz;
    const int32_t e0 = c->vOut[v];
    int32_t e = e0;
    do {
      const int32_t t = e / 3;
      const int32_t x = 3 * I[next(e)], y = 3 * I[prev(e)];
      const double xx = P[x] - mx, xy = P[x + 1] - my, xz = P[x + 2] - mz;
      const double yx = P[y] - mx, yy = P[y + 1] - my, yz = P[y + 2] - mz;
      const double cx = xy * yz - xz * yy, cy = xz * yx - xx * yz, cz = xx * yy - xy * yx;
      if (t != t0 && t != t1) {
        gx += cx;
        gy += cy;
        gz += cz;
        old6 += px * cx + py * cy + pz * cz;
      } else if (v == a) old6 += px * cx + py * cy + pz * cz;
      e = opp[prev(e)];
    } while (e != e0);
  }
  c->vol[0] = gx;
  c->vol[1] = gy;
  c->vol[2] = gz;
  c->vol[3] = old6 + gx * mx + gy * my + gz * mz;
}

static int flips(Collapser *c, int32_t v, int32_t t0, int32_t t1) {
  const double *P = c->P, *N = c->N;
  const int32_t *I = c->I, *opp = c->opp;
  const double px = c->to[0], py = c->to[1], pz = c->to[2];
  const int32_t e0 = c->vOut[v];
  int32_t e = e0;
  do {
    const int32_t t = e / 3;
    if (t != t0 && t != t1) {
      const int32_t b = 3 * I[next(e)], cc = 3 * I[prev(e)], a = 3 * v;
      const double bx = P[b], by = P[b + 1], bz = P[b + 2];
      const double ux = P[cc] - bx, uy = P[cc + 1] - by, uz = P[cc + 2] - bz;
      const double oax = P[a] - bx, oay = P[a + 1] - by, oaz = P[a + 2] - bz;
      const double nax = px - bx, nay = py - by, naz = pz - bz;
      const double ox = uy * oaz - uz * oay, oy = uz * oax - ux * oaz, oz = ux * oay - uy * oax;
      const double nx = uy * naz - uz * nay, ny = uz * nax - ux * naz, nz = ux * nay - uy * nax;
      const double dot = ox * nx + oy * ny + oz * nz;
      const double nn = nx * nx + ny * ny + nz * nz;
      const double oo = ox * ox + oy * oy + oz * oz;
      const double uu = ux * ux + uy * uy + uz * uz;
      if (dot <= 0 || dot * dot <= 0.04 * nn * oo || nn <= 1e-12 * (uu * uu)) return 1;
      const int32_t vb = I[next(e)], vc = I[prev(e)];
      const double rx = N[3 * v] + N[3 * vb] + N[3 * vc], ry = N[3 * v + 1] + N[3 * vb + 1] + N[3 * vc + 1], rz = N[3 * v + 2] + N[3 * vb + 2] + N[3 * vc + 2];
      const double facing = nx * rx + ny * ry + nz * rz;
      if (facing <= 0 || facing * facing <= 0.09 * nn * (rx * rx + ry * ry + rz * rz)) return 1;
      const double fbx = fr(bx), fby = fr(by), fbz = fr(bz);
      const double gx = fr(P[cc]) - fbx, gy = fr(P[cc + 1]) - fby, gz = fr(P[cc + 2]) - fbz;
      const double hx = fr(px) - fbx, hy = fr(py) - fby, hz = fr(pz) - fbz;
      const double kx = gy * hz - gz * hy, ky = gz * hx - gx * hz, kz = gx * hy - gy * hx;
      if (kx * kx + ky * ky + kz * kz == 0) return 1;
    }
    e = opp[prev(e)];
  } while (e != e0);
  return 0;
}

static int more_than_three(Collapser *c, int32_t v) {
  const int32_t e0 = c->vOut[v];
  int32_t e = e0;
  for (int n = 0; n < 3; n++) {
    e = c->opp[prev(e)];
    if (e == e0) return 0;
  }
  return 1;
}

static int topology(Collapser *c, int32_t h) {
  const int32_t *I = c->I, *opp = c->opp;
  const int32_t g = opp[h];
  const int32_t a = I[h], b = I[next(h)], cv = I[prev(h)], d = I[prev(g)];
  if (cv == d || c->locked[cv] || c->locked[d]) return REFUSED;
  const int32_t id = ++c->markId;
  const int32_t v0 = c->v0, v1 = c->v1;
  int32_t e = c->vOut[a];
  const int32_t ea = e;
  do {
    const int32_t w = I[next(e)];
    if (w < v0 || w >= v1) return OUTSIDE;
    c->mark[w] = id;
    e = opp[prev(e)];
  } while (e != ea);
  e = c->vOut[b];
  const int32_t eb = e;
  do {
    const int32_t w = I[next(e)];
    if (w < v0 || w >= v1) return OUTSIDE;
    if (c->mark[w] == id && w != a && w != cv && w != d) return REFUSED;
    e = opp[prev(e)];
  } while (e != eb);
  return more_than_three(c, cv) && more_than_three(c, d) ? ALLOWED : REFUSED;
}

static int changed_since(Collapser *c, int32_t v, int32_t p) {
  if (c->touched[v] >= p) return 1;
  const int32_t e0 = c->vOut[v];
  int32_t e = e0;
  do {
    if (c->touched[c->I[next(e)]] >= p) return 1;
    e = c->opp[prev(e)];
  } while (e != e0);
  return 0;
}

static void collapse(Collapser *c, int32_t h) {
  int32_t *I = c->I, *opp = c->opp;
  const int32_t g = opp[h];
  const int32_t a = I[h], b = I[next(h)], cv = I[prev(h)], d = I[prev(g)];
  const int32_t eb = c->vOut[b];
  int32_t e = eb;
  do {
    I[e] = a;
    e = opp[prev(e)];
  } while (e != eb);
  const int32_t h1 = next(h), h2 = prev(h), g1 = next(g), g2 = prev(g);
  const int32_t o1 = opp[h1], o2 = opp[h2], p1 = opp[g1], p2 = opp[g2];
  opp[o1] = o2;
  opp[o2] = o1;
  opp[p1] = p2;
  opp[p2] = p1;
  c->deadTri[h / 3] = c->deadTri[g / 3] = 1;
  c->vOut[a] = o2;
  c->vOut[cv] = o1;
  c->vOut[d] = p1;
  c->vOut[b] = -1;
  c->P[3 * a] = c->to[0];
  c->P[3 * a + 1] = c->to[1];
  c->P[3 * a + 2] = c->to[2];
  for (int k = 0; k < 10; k++) c->Q[10 * a + k] += c->Q[10 * b + k];
  for (int k = 0; k < 3; k++) c->N[3 * a + k] += c->N[3 * b + k];
}

static void unlist(Collapser *c, int32_t v, int32_t skip) {
  const int32_t *I = c->I, *opp = c->opp;
  const int32_t e0 = c->vOut[v];
  int32_t e = e0;
  do {
    const int32_t w = I[next(e)];
    if (w != skip && !c->locked[w]) {
      const int32_t g = opp[e];
      const int32_t o = e < g ? e : g;
      c->hist[H * c->binOf[I[o]] + c->bucket[o]]--;
    }
    e = opp[prev(e)];
  } while (e != e0);
}

static void relist(Collapser *c, int32_t a, int32_t pass) {
  const int32_t *I = c->I, *opp = c->opp;
  const uint16_t stamp = pass < 0xffff ? pass : 0xffff;
  c->touched[a] = stamp;
  const int32_t e0 = c->vOut[a];
  int32_t e = e0, low = 0xffff;
  do {
    const int32_t w = I[next(e)];
    c->touched[w] = stamp;
    if (!c->locked[w]) {
      const int32_t g = opp[e];
      const int32_t o = e < g ? e : g;
      place(c, a, w, 0);
      const int32_t k = c->bucket[o] = (uint16_t)bucket_of(fr(c->best[3]));
      c->hist[H * c->binOf[I[o]] + k]++;
      if (o == e) {
        if (k < low) low = k;
      } else if (k < c->cheapest[w]) c->cheapest[w] = k;
    }
    e = opp[prev(e)];
  } while (e != e0);
  c->cheapest[a] = low;
}

static int coincide(const double *P, int32_t a, int32_t b) {
  return (float)P[3 * a] == (float)P[3 * b] && (float)P[3 * a + 1] == (float)P[3 * b + 1] && (float)P[3 * a + 2] == (float)P[3 * b + 2];
}

static int merge_around(Collapser *c, int32_t a) {
  const int32_t *I = c->I, *opp = c->opp;
  const int32_t e0 = c->vOut[a];
  int32_t after = e0;
  do {
    const int32_t h = after;
    after = opp[prev(h)];
    if (opp[h] < h || c->deadTri[h / 3]) continue;
    const int32_t b = I[next(h)];
    if (b < c->v0 || b >= c->v1 || c->locked[b] || !coincide(c->P, a, b) || topology(c, h) != ALLOWED) continue;
    c->to[0] = c->P[3 * a];
    c->to[1] = c->P[3 * a + 1];
    c->to[2] = c->P[3 * a + 2];
    collapse(c, h);
    return 1;
  } while (after != e0);
  return 0;
}

static int collapse_around(Collapser *c, int32_t a) {
  const int32_t *I = c->I, *opp = c->opp;
  const double *P = c->P;
  const int32_t pass = c->passNow, limit = c->limitNow;
  const int32_t e0 = c->vOut[a];
  int32_t low = 0xffff, lasting = 1, after = e0;
  do {
    const int32_t h = after;
    after = opp[prev(h)];
    const int32_t g = opp[h];
    if (g < h) continue;
    const int32_t b = I[next(h)];
    if (c->locked[b]) continue;
    const int32_t kh = c->bucket[h];
    if (kh < low) low = kh;
    if (kh > limit || b < c->v0 || b >= c->v1 || c->moved[b] == pass) {
      lasting = 0;
      continue;
    }
    const int32_t t0 = h / 3, t1 = g / 3;
    const int allowed = topology(c, h);
    if (allowed == OUTSIDE) lasting = 0;
    if (allowed != ALLOWED) continue;
    volume_plane(c, a, b, t0, t1);
    place(c, a, b, 1);
    const double cc = c->best[3];
    if (cc > c->maxCostNow || bucket_of(cc) > limit) {
      lasting = 0;
      continue;
    }
    const double px = (c->to[0] = c->best[0]), py = (c->to[1] = c->best[1]), pz = (c->to[2] = c->best[2]);
    const double ex = P[3 * a] - P[3 * b], ey = P[3 * a + 1] - P[3 * b + 1], ez = P[3 * a + 2] - P[3 * b + 2];
    const double mx = px - (P[3 * a] + P[3 * b]) / 2, my = py - (P[3 * a + 1] + P[3 * b + 1]) / 2, mz = pz - (P[3 * a + 2] + P[3 * b + 2]) / 2;
    if (mx * mx + my * my + mz * mz > ex * ex + ey * ey + ez * ez) continue;
    if (flips(c, a, t0, t1) || flips(c, b, t0, t1)) continue;
    unlist(c, a, -1);
    unlist(c, b, a);
    collapse(c, h);
    relist(c, a, pass);
    c->moved[a] = pass;
    if (cc > c->found[1]) c->found[1] = cc;
    return 1;
  } while (after != e0);
  c->cheapest[a] = low;
  c->refused[a] = lasting ? c->refuseNow : 0;
  return 0;
}

__attribute__((export_name("merge_coincident")))
int32_t merge_coincident(Collapser *c, int32_t from, int32_t to) {
  c->v0 = from;
  c->v1 = to;
  int32_t merged = 0;
  for (int32_t found = 1; found > 0; merged += found) {
    found = 0;
    for (int32_t a = from; a < to; a++)
      if (c->cheapest[a] == 1 && c->vOut[a] >= 0 && !c->locked[a] && merge_around(c, a)) found++;
  }
  return merged;
}

__attribute__((export_name("cost_edges")))
void cost_edges(Collapser *c, int32_t from, int32_t to) {
  const int32_t *I = c->I, *opp = c->opp;
  for (int32_t a = from; a < to; a++) {
    const int32_t e0 = c->vOut[a];
    if (e0 < 0 || c->locked[a]) {
      c->cheapest[a] = 0xffff;
      continue;
    }
    int32_t h = e0, low = 0xffff;
    do {
      if (opp[h] > h) {
        const int32_t b = I[next(h)];
        if (!c->locked[b]) {
          place(c, a, b, 0);
          const int32_t k = c->bucket[h] = (uint16_t)bucket_of(fr(c->best[3]));
          c->hist[H * c->binOf[a] + k]++;
          if (k < low) low = k;
        }
      }
      h = opp[prev(h)];
    } while (h != e0);
    c->cheapest[a] = low;
  }
}

__attribute__((export_name("collapse_edges")))
void collapse_edges(Collapser *c, int32_t from, int32_t to, int32_t pass, int32_t limit, double budget, double maxCost) {
  c->v0 = from;
  c->v1 = to;
  c->passNow = pass;
  c->limitNow = limit;
  c->maxCostNow = maxCost;
  c->refuseNow = !c->recheck && pass < 0xffff ? pass : 0;
  c->found[0] = c->found[1] = c->found[2] = 0;
  double collapsed = 0, skipped = 0;
  for (int32_t a = from; a < to && collapsed < budget; a++) {
    if (c->cheapest[a] > limit || c->vOut[a] < 0 || c->locked[a] || c->moved[a] == pass) continue;
    if (c->refused[a] > 0 && !changed_since(c, a, c->refused[a])) {
      skipped++;
      continue;
    }
    if (collapse_around(c, a)) collapsed++;
  }
  c->found[0] = collapsed;
  c->found[2] = skipped;
}
