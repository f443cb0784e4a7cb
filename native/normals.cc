// Draws across streams in SIMD lanes (normals.h). normals_impl.h is compiled once per instruction set
// under its target pragma, against a small wrapper of the intrinsics it needs; the generic version runs
// philox.h one stream at a time.
#include "normals.h"

#include <algorithm>
#include <cstring>

#include "kernels.h"
#include "philox.h"

#ifndef HB_NO_X86
#include <immintrin.h>
#endif

namespace hb {
namespace normals {

namespace generic {
void acrossStreams(Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride) {
  for (int64_t i = 0; i < streams; i++) {
    double* row = out + i * stride;
    philox::draws(kind == Kind::Normal, seed, firstStream + uint64_t(i), start, uint64_t(count), row);
    if (kind == Kind::LogUniform)
      for (int64_t j = 0; j < count; j++) row[j] = philox::log(row[j]);
  }
}
}  // namespace generic

#ifndef HB_NO_X86

#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
struct Vec {
  using I = __m256i;
  using D = __m256d;
  static constexpr int W = 4;
  static I set1(uint64_t v) { return _mm256_set1_epi64x(int64_t(v)); }
  static I lanes(uint64_t first) { return _mm256_add_epi64(set1(first), _mm256_setr_epi64x(0, 1, 2, 3)); }
  static I mul32(I a, I b) { return _mm256_mul_epu32(a, b); }
  static I andBits(I a, I b) { return _mm256_and_si256(a, b); }
  static I orBits(I a, I b) { return _mm256_or_si256(a, b); }
  static I xorBits(I a, I b) { return _mm256_xor_si256(a, b); }
  static I shiftRight(I a, int n) { return _mm256_srli_epi64(a, n); }
  static I shiftLeft(I a, int n) { return _mm256_slli_epi64(a, n); }
  static D asDouble(I a) { return _mm256_castsi256_pd(a); }
  static I asInt(D a) { return _mm256_castpd_si256(a); }
  static D set1d(double v) { return _mm256_set1_pd(v); }
  static D add(D a, D b) { return _mm256_add_pd(a, b); }
  static D sub(D a, D b) { return _mm256_sub_pd(a, b); }
  static D mul(D a, D b) { return _mm256_mul_pd(a, b); }
  static D div(D a, D b) { return _mm256_div_pd(a, b); }
  static D sqrt(D a) { return _mm256_sqrt_pd(a); }
  static D floor(D a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  // x > limit ? ifGreater : otherwise, per lane (false for NaN, as the scalar comparison).
  static D selectGreater(D x, D limit, D ifGreater, D otherwise) { return _mm256_blendv_pd(otherwise, ifGreater, _mm256_cmp_pd(x, limit, _CMP_GT_OQ)); }
  static D selectOdd(I q, D even, D odd) { return _mm256_blendv_pd(even, odd, asDouble(_mm256_slli_epi64(q, 63))); }
  static D flipSign(D x, I signBit) { return _mm256_xor_pd(x, asDouble(signBit)); }
  static void store(double* p, D a) { _mm256_store_pd(p, a); }
  // Lane l of v[0 … W−1] to p + l·stride: a 4 × 4 transpose in registers, then a row per lane.
  static void storeLanes(double* p, int64_t stride, const D v[W]) {
    const D t0 = _mm256_unpacklo_pd(v[0], v[1]), t1 = _mm256_unpackhi_pd(v[0], v[1]);
    const D t2 = _mm256_unpacklo_pd(v[2], v[3]), t3 = _mm256_unpackhi_pd(v[2], v[3]);
    _mm256_storeu_pd(p, _mm256_permute2f128_pd(t0, t2, 0x20));
    _mm256_storeu_pd(p + stride, _mm256_permute2f128_pd(t1, t3, 0x20));
    _mm256_storeu_pd(p + 2 * stride, _mm256_permute2f128_pd(t0, t2, 0x31));
    _mm256_storeu_pd(p + 3 * stride, _mm256_permute2f128_pd(t1, t3, 0x31));
  }
};
#include "normals_impl.h"
}  // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f")
// GCC 12's avx512fintrin.h seeds results with _mm512_undefined_*, which -Wmaybe-uninitialized misreads
// (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
namespace avx512 {
struct Vec {
  using I = __m512i;
  using D = __m512d;
  static constexpr int W = 8;
  static I set1(uint64_t v) { return _mm512_set1_epi64(int64_t(v)); }
  static I lanes(uint64_t first) { return _mm512_add_epi64(set1(first), _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7)); }
  static I mul32(I a, I b) { return _mm512_mul_epu32(a, b); }
  static I andBits(I a, I b) { return _mm512_and_si512(a, b); }
  static I orBits(I a, I b) { return _mm512_or_si512(a, b); }
  static I xorBits(I a, I b) { return _mm512_xor_si512(a, b); }
  static I shiftRight(I a, int n) { return _mm512_srli_epi64(a, unsigned(n)); }
  static I shiftLeft(I a, int n) { return _mm512_slli_epi64(a, unsigned(n)); }
  static D asDouble(I a) { return _mm512_castsi512_pd(a); }
  static I asInt(D a) { return _mm512_castpd_si512(a); }
  static D set1d(double v) { return _mm512_set1_pd(v); }
  static D add(D a, D b) { return _mm512_add_pd(a, b); }
  static D sub(D a, D b) { return _mm512_sub_pd(a, b); }
  static D mul(D a, D b) { return _mm512_mul_pd(a, b); }
  static D div(D a, D b) { return _mm512_div_pd(a, b); }
  static D sqrt(D a) { return _mm512_sqrt_pd(a); }
  static D floor(D a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
  static D selectGreater(D x, D limit, D ifGreater, D otherwise) { return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, limit, _CMP_GT_OQ), otherwise, ifGreater); }
  static D selectOdd(I q, D even, D odd) { return _mm512_mask_blend_pd(_mm512_test_epi64_mask(q, set1(1)), even, odd); }
  static D flipSign(D x, I signBit) { return asDouble(_mm512_xor_si512(asInt(x), signBit)); }
  static void store(double* p, D a) { _mm512_store_pd(p, a); }
  // Lane l of v[0 … W−1] to p + l·stride: an 8 × 8 transpose in registers (pairs, then 128-bit quarters
  // twice), then a row per lane.
  static void storeLanes(double* p, int64_t stride, const D v[W]) {
    D t[8], u[8];
    for (int i = 0; i < 4; i++) t[2 * i] = _mm512_unpacklo_pd(v[2 * i], v[2 * i + 1]), t[2 * i + 1] = _mm512_unpackhi_pd(v[2 * i], v[2 * i + 1]);
    // u[4h + l]: lanes l and l + 4 of rows 4h … 4h + 3 (t's even quarters, 0x88, give lanes 0 and 1; its
    // odd ones, 0xdd, lanes 2 and 3)
    for (int h = 0; h < 2; h++)
      for (int i = 0; i < 2; i++) {
        u[4 * h + i] = _mm512_shuffle_f64x2(t[4 * h + i], t[4 * h + 2 + i], 0x88);
        u[4 * h + 2 + i] = _mm512_shuffle_f64x2(t[4 * h + i], t[4 * h + 2 + i], 0xdd);
      }
    for (int i = 0; i < 4; i++) {
      _mm512_storeu_pd(p + i * stride, _mm512_shuffle_f64x2(u[i], u[4 + i], 0x88));
      _mm512_storeu_pd(p + (i + 4) * stride, _mm512_shuffle_f64x2(u[i], u[4 + i], 0xdd));
    }
  }
};
#include "normals_impl.h"
}  // namespace avx512
#pragma GCC diagnostic pop
#pragma GCC pop_options

#endif

namespace {
using Implementation = void (*)(Kind, uint64_t, uint64_t, int64_t, uint64_t, int64_t, double*, int64_t);

// The implementation for an instruction set name, or null when the CPU or the build lacks it.
Implementation byName(const char* name) {
  if (std::strcmp(name, "generic") == 0) return generic::acrossStreams;
#ifndef HB_NO_X86
  __builtin_cpu_init();
  if (std::strcmp(name, "avx2") == 0 && __builtin_cpu_supports("avx2")) return avx2::acrossStreams;
  if (std::strcmp(name, "avx512") == 0 && __builtin_cpu_supports("avx512f")) return avx512::acrossStreams;
#endif
  return nullptr;
}

// Follows the kernels' choice (kernels.h), so HEATBATH_ISA lowers both together.
const char* chosenName() {
  static const char* const name = byName(isaName()) != nullptr ? isaName() : "generic";
  return name;
}
}  // namespace

const char* isa() { return chosenName(); }

void acrossStreams(Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride) {
  static const Implementation chosen = byName(chosenName());
  chosen(kind, seed, firstStream, streams, start, count, out, stride);
}

bool acrossStreamsWith(const char* name, Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride) {
  const Implementation f = byName(name);
  if (f == nullptr) return false;
  f(kind, seed, firstStream, streams, start, count, out, stride);
  return true;
}

}  // namespace normals
}  // namespace hb
