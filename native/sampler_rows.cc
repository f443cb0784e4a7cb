// The row loops of sampler_rows.h. On x86-64 Linux each is cloned for AVX-512 (x86-64-v4), AVX2
// (x86-64-v3) and the baseline, and the loader picks the clone the CPU runs (GCC's target_clones, an ifunc):
// elementwise float64 arithmetic and conversions round the same in every width, so the clones agree to
// the bit, and HEATBATH_ISA (which lowers the kernels' choice to test their other paths) has nothing to
// test here. Elsewhere the baseline alone is built.
#include "sampler_rows.h"

#include <cstring>
#include <type_traits>

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && !defined(HB_NO_X86)
#define HB_ROW_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define HB_ROW_CLONES
#endif

namespace hb {
namespace rows {

template <class T, class V>
HB_ROW_CLONES void addScaled(T* __restrict x, const V* __restrict v, int64_t n, double a) {
  for (int64_t j = 0; j < n; j++) x[j] = T(double(x[j]) + a * double(v[j]));
}

// One loop per form (clipped or not, noise or not), each inlined into every clone, so that each
// vectorises: x − h·clip(g) rounded to T, then + σ·z rounded, the reference's two roundings.
template <bool CLIP, bool NOISE, class T>
__attribute__((always_inline)) inline void driftLoop(T* __restrict x, const T* __restrict g, const double* __restrict z, int64_t n, double h, double clip, double sigma) {
  for (int64_t j = 0; j < n; j++) {
    const double gj = double(g[j]);
    const T moved = T(double(x[j]) - h * (CLIP ? clipped(gj, clip) : gj));
    x[j] = NOISE ? T(double(moved) + sigma * z[j]) : moved;
  }
}

template <class T>
HB_ROW_CLONES void drift(T* x, const T* g, const double* z, int64_t n, double h, double clip, double sigma) {
  if (clip > 0)
    z != nullptr ? driftLoop<true, true>(x, g, z, n, h, clip, sigma) : driftLoop<true, false>(x, g, z, n, h, clip, sigma);
  else
    z != nullptr ? driftLoop<false, true>(x, g, z, n, h, clip, sigma) : driftLoop<false, false>(x, g, z, n, h, clip, sigma);
}

// An integer test of the exponent bits without an early exit, which vectorises (comparisons of floats,
// or a bool and-reduction, stayed scalar).
template <class T>
HB_ROW_CLONES bool allFinite(const T* v, int64_t n) {
  using Bits = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  constexpr Bits exponent = sizeof(T) == 4 ? Bits(0x7f800000u) : Bits(0x7ff0000000000000ull);
  Bits bad = 0;
  for (int64_t j = 0; j < n; j++) {
    Bits b;
    std::memcpy(&b, v + j, sizeof b);
    bad |= Bits((b & exponent) == exponent);
  }
  return bad == 0;
}

template void addScaled<float, float>(float*, const float*, int64_t, double);
template void addScaled<float, double>(float*, const double*, int64_t, double);
template void addScaled<double, double>(double*, const double*, int64_t, double);
template void drift<float>(float*, const float*, const double*, int64_t, double, double, double);
template void drift<double>(double*, const double*, const double*, int64_t, double, double, double);
template bool allFinite<float>(const float*, int64_t);
template bool allFinite<double>(const double*, int64_t);

}  // namespace rows
}  // namespace hb
