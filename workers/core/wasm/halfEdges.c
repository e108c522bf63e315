// The decimation's stage 2 and 3 loops (decimate.ts countStarts, listStarts, fillLists, pairOpposites,
// closeFans, quadricsOf): the same steps on the same arrays, to the same values. See decimate.ts for
// what each does and why. Arguments are byte addresses in the module's memory.

#include <stdint.h>

static inline int32_t next(int32_t h) { return h % 3 == 2 ? h - 2 : h + 1; }
static inline int32_t prev(int32_t h) { return h % 3 == 0 ? h + 2 : h - 1; }

__attribute__((export_name("count_starts")))
void count_starts(const int32_t *I, int32_t h0, int32_t h1, int32_t *counts) {
  for (int32_t h = h0; h < h1; h++) counts[I[h]]++;
}

__attribute__((export_name("list_starts")))
void list_starts(int32_t *counts, int32_t groups, int32_t *outStart, int32_t nv) {
  for (int32_t v = 0, total = 0; v <= nv; v++) {
    outStart[v] = total;
    if (v < nv)
      for (int32_t g = 0; g < groups; g++) {
        const int32_t k = counts[g * nv + v];
        counts[g * nv + v] = total;
        total += k;
      }
  }
}

__attribute__((export_name("fill_lists")))
void fill_lists(const int32_t *I, int32_t h0, int32_t h1, int32_t *at, int32_t *outList) {
  for (int32_t h = h0; h < h1; h++) outList[at[I[h]]++] = h;
}

__attribute__((export_name("pair_opposites")))
void pair_opposites(const int32_t *I, const int32_t *outStart, const int32_t *outList, int32_t *opp, uint8_t *locked, int32_t v0, int32_t v1, int32_t *tally) {
  for (int32_t u = v0; u < v1; u++) {
    const int32_t s = outStart[u], e = outStart[u + 1];
    for (int32_t i = s; i < e; i++) {
      const int32_t h = outList[i];
      const int32_t to = 2 * I[next(h)], from = 2 * I[prev(h)];
      const int32_t t = tally[to];
      if ((t & 3) < 2) tally[to] = t + 1;
      const int32_t f = tally[from];
      if ((f & 12) < 8) tally[from] = f + 4;
      tally[from + 1] = i;
    }
    for (int32_t i = s; i < e; i++) {
      const int32_t h = outList[i];
      const int32_t v = I[next(h)];
      if (tally[2 * v] == 5 && u != v) opp[h] = prev(outList[tally[2 * v + 1]]);
      else {
        opp[h] = -1;
        locked[u] = locked[v] = 1;
      }
    }
    for (int32_t i = s; i < e; i++) {
      const int32_t h = outList[i];
      tally[2 * I[next(h)]] = 0;
      tally[2 * I[prev(h)]] = 0;
    }
  }
}

__attribute__((export_name("close_fans")))
void close_fans(const int32_t *outStart, const int32_t *outList, const int32_t *opp, int32_t *vOut, uint8_t *locked, int32_t v0, int32_t v1) {
  for (int32_t v = v0; v < v1; v++) {
    const int32_t deg = outStart[v + 1] - outStart[v];
    if (deg == 0) {
      vOut[v] = -1;
      continue;
    }
    vOut[v] = outList[outStart[v]];
    if (locked[v]) continue;
    int32_t e = vOut[v], steps = 0;
    do {
      const int32_t o = opp[prev(e)];
      if (o < 0) {
        steps = -1;
        break;
      }
      e = o;
      steps++;
    } while (e != vOut[v] && steps <= deg);
    if (steps != deg) locked[v] = 1;
  }
}

__attribute__((export_name("quadrics_of")))
void quadrics_of(const double *P, double *Q, double *N, const int32_t *I, const int32_t *outStart, const int32_t *outList, uint16_t *cheapest, int32_t v0, int32_t v1, double W) {
  for (int32_t v = v0; v < v1; v++) {
    double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0, q8 = 0, q9 = 0;
    double n0 = 0, n1 = 0, n2 = 0;
    for (int32_t k = outStart[v]; k < outStart[v + 1]; k++) {
      const int32_t t = outList[k] / 3;
      const int32_t a = 3 * I[3 * t], b = 3 * I[3 * t + 1], c = 3 * I[3 * t + 2];
      const double ax = P[a], ay = P[a + 1], az = P[a + 2];
      const double ux = P[b] - ax, uy = P[b + 1] - ay, uz = P[b + 2] - az;
      const double wx = P[c] - ax, wy = P[c + 1] - ay, wz = P[c + 2] - az;
      double nx = uy * wz - uz * wy, ny = uz * wx - ux * wz, nz = ux * wy - uy * wx;
      const double l = __builtin_sqrt(nx * nx + ny * ny + nz * nz);
      if (l == 0) {
        cheapest[v] = 1;
        continue;
      }
      nx /= l;
      ny /= l;
      nz /= l;
      const double d = -(nx * ax + ny * ay + nz * az);
      q0 += nx * nx;
      q1 += nx * ny;
      q2 += nx * nz;
      q3 += ny * ny;
      q4 += ny * nz;
      q5 += nz * nz;
      q6 += nx * d;
      q7 += ny * d;
      q8 += nz * d;
      q9 += d * d;
      n0 += nx * l;
      n1 += ny * l;
      n2 += nz * l;
    }
    const double x = P[3 * v], y = P[3 * v + 1], z = P[3 * v + 2];
    const int32_t q = 10 * v;
    Q[q] = q0 + W;
    Q[q + 1] = q1;
    Q[q + 2] = q2;
    Q[q + 3] = q3 + W;
    Q[q + 4] = q4;
    Q[q + 5] = q5 + W;
    Q[q + 6] = q6 - W * x;
    Q[q + 7] = q7 - W * y;
    Q[q + 8] = q8 - W * z;
    Q[q + 9] = q9 + W * (x * x + y * y + z * z);
    N[3 * v] = n0;
    N[3 * v + 1] = n1;
    N[3 * v + 2] = n2;
  }
}
