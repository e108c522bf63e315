// One Jacobi umbrella step of Taubin smoothing over vertices [v0, v1), the same arithmetic in the same
// order as umbrellaStep in smooth.ts (so the same bits): dst = (1 − f)·src + f·mean(neighbours in
// src), vertex v's neighbours at neighbours[offsets[v − v0] .. offsets[v − v0 + 1]), each as 3 × its
// index (the place of its x in src). A vertex without neighbours stays where it is.
//
// Arguments are byte addresses in the module's memory (the build's shared memory: see kernels.ts).
// Plain scalar code: in V8 it runs this loop in about half the time of the same loop over typed
// arrays (no bounds check per element); 128-bit SIMD gained nothing more here (the loop waits on
// loads of neighbours spread over the mesh).

#include <stdint.h>

__attribute__((export_name("umbrella")))
void umbrella(const double *src, double *dst, const uint32_t *offsets, const uint32_t *neighbours, int32_t v0, int32_t v1, double f) {
  const double keep = 1 - f;
  uint32_t s = offsets[0];
  for (int32_t v = v0; v < v1; v++) {
    const uint32_t e = offsets[v - v0 + 1];
    const double *p = src + 3 * v;
    double *q = dst + 3 * v;
    if (e == s) {
      q[0] = p[0];
      q[1] = p[1];
      q[2] = p[2];
      continue;
    }
    double sx = 0, sy = 0, sz = 0;
    for (uint32_t i = s; i < e; i++) {
      const double *n = src + neighbours[i];
      sx += n[0];
      sy += n[1];
      sz += n[2];
    }
    const double g = f / (double)(e - s);
    q[0] = keep * p[0] + g * sx;
    q[1] = keep * p[1] + g * sy;
    q[2] = keep * p[2] + g * sz;
    s = e;
  }
}
