// Included by kernels_<isa>.cc after a `#pragma GCC target(...)`, inside namespace hb::<isa>: the same
// source compiled for each instruction set. See kernels.h for the contract of each kernel.
//
// Elementwise loops are written branch-free so that the compiler vectorises them for the target; float32
// exp (and through it sigmoid and silu) uses the polynomial below instead of libm, which does not
// vectorise. Everything else calls libm (correctly rounded or within an ulp or two), keeping NaN and ±∞
// semantics. Matmul uses a register-tiled micro-kernel with explicit FMA intrinsics (the build sets
// -ffp-contract=off, so no other arithmetic is ever contracted).

// (The including file has already included <algorithm>, <cmath>, <cstring>, kernels.h and ops.h.)

namespace {

template <class T>
inline T absOf(T x) { return std::fabs(x); }

// Fused multiply-add where the target has it (rounded once: the AVX kernels), else a product and a sum.
#if defined(HB_AVX512) || defined(HB_AVX2)
inline float fmaOf(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
#else
inline float fmaOf(float a, float b, float c) { return a * b + c; }
#endif

// e^x in float32 to about 2 ulp: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite, two-part ln2), a degree-6
// Taylor polynomial for e^r, and 2^n applied as two exact powers of two so that results in the subnormal
// range and overflow to +∞ come out right. NaN passes through; −∞ gives 0 and +∞ gives +∞. Written
// without branches so that it vectorises.
inline float expFloat(float x) {
  float xc = x < -104.0f ? -104.0f : x;
  xc = xc > 89.0f ? 89.0f : xc;
  // Round to nearest by the 1.5·2^23 trick (exact without fast-math).
  float n = (xc * 1.44269504f + 12582912.0f) - 12582912.0f;
  float r = fmaOf(n, -0.693145752f, xc);
  r = fmaOf(n, -1.42860677e-6f, r);
  float p = fmaOf(r, 0.00138888892f, 0.00833333377f);
  p = fmaOf(p, r, 0.0416666679f);
  p = fmaOf(p, r, 0.166666672f);
  p = fmaOf(p, r, 0.5f);
  p = fmaOf(p, r, 1.0f);
  p = fmaOf(p, r, 1.0f);
  int ni = int(n);
  int n1 = ni >> 1;
  int n2 = ni - n1;
  int b1 = (n1 + 127) << 23;
  int b2 = (n2 + 127) << 23;
  float s1, s2;
  std::memcpy(&s1, &b1, 4);
  std::memcpy(&s2, &b2, 4);
  float y = p * s1 * s2;
  return x != x ? x : y;
}

#if defined(HB_AVX512) || defined(HB_AVX2)
inline double fmaOf(double a, double b, double c) { return __builtin_fma(a, b, c); }
#else
inline double fmaOf(double a, double b, double c) { return a * b + c; }
#endif

// e^x in float64 to about 1 ulp, in the same branch-free form (libm's exp does not vectorise): Cody–Waite
// with fdlibm's split of ln2 (n·ln2High is exact for |n| < 2^11), a degree-13 Taylor polynomial (the first
// omitted term is under 4e-18 relative for |r| ≤ ln2/2), and 2^n as two exact powers of two.
inline double expDouble(double x) {
  double xc = x < -746.0 ? -746.0 : x;
  xc = xc > 710.0 ? 710.0 : xc;
  double n = (xc * 1.4426950408889634 + 6755399441055744.0) - 6755399441055744.0;
  double r = fmaOf(n, -6.93147180369123816490e-01, xc);
  r = fmaOf(n, -1.90821492927058770002e-10, r);
  double p = fmaOf(r, 1.0 / 6227020800.0, 1.0 / 479001600.0);
  p = fmaOf(p, r, 1.0 / 39916800.0);
  p = fmaOf(p, r, 1.0 / 3628800.0);
  p = fmaOf(p, r, 1.0 / 362880.0);
  p = fmaOf(p, r, 1.0 / 40320.0);
  p = fmaOf(p, r, 1.0 / 5040.0);
  p = fmaOf(p, r, 1.0 / 720.0);
  p = fmaOf(p, r, 1.0 / 120.0);
  p = fmaOf(p, r, 1.0 / 24.0);
  p = fmaOf(p, r, 1.0 / 6.0);
  p = fmaOf(p, r, 0.5);
  p = fmaOf(p, r, 1.0);
  p = fmaOf(p, r, 1.0);
  int ni = int(n);
  int n1 = ni >> 1;
  int n2 = ni - n1;
  int64_t b1 = int64_t(n1 + 1023) << 52;
  int64_t b2 = int64_t(n2 + 1023) << 52;
  double s1, s2;
  std::memcpy(&s1, &b1, 8);
  std::memcpy(&s2, &b2, 8);
  double y = p * s1 * s2;
  return x != x ? x : y;
}

template <class T>
inline T expOf(T x) { return expDouble(x); }
template <>
inline float expOf<float>(float x) { return expFloat(x); }

// Stable logistic: e^−|x| never overflows; for x < 0, σ(x) = e^x/(1 + e^x).
template <class T>
inline T sigmoidOf(T x) {
  T e = expOf<T>(-absOf(x));
  T r = T(1) / (T(1) + e);
  return x >= T(0) ? r : e * r;
}

// The elementwise ops with a vector form for this instruction set (float32 with AVX, below) run it; false
// for the rest, which take the loops of unaryKernel.
template <class T>
inline bool unaryVector(int, const T*, T*, int64_t) { return false; }

#if defined(HB_AVX512) || defined(HB_AVX2)
// float32 e^x, sigmoid and silu eight lanes at a time, written out in intrinsics because the branch-free
// scalar form above vectorises into about three times the instructions (its clamps and NaN test become
// masked blends). Same reduction and polynomial; the clamps take the constant as first operand so that
// min/max return a NaN input unchanged, and a NaN then flows through the arithmetic: no final select.
// 2^n is one vscalefps on AVX-512 (exact scaling with a single rounding into the subnormal range) and two
// exact powers of two on AVX2, as above. Tails run through the same vector code on a padded copy, so an
// element's bits do not depend on where in an array it falls.
// The lane width is a trait: Lanes8 (__m256) everywhere with AVX, Lanes16 (__m512) on AVX-512, whose
// sixteen lanes halve the instructions for the front end and the FP scheduler (which bound the eight-lane
// loops on Zen 4 more than the FMA pipes do: σ over a tile in L1 drops from about 1.0 to 0.7 TSC cycles
// per element). Both run the same operations lane for lane, so the same bits.
struct Lanes8 {
  using V = __m256;
  static V set1(float v) { return _mm256_set1_ps(v); }
  static V min(V a, V b) { return _mm256_min_ps(a, b); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V div(V a, V b) { return _mm256_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V round(V a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static V negativeAbs(V a) { return _mm256_or_ps(a, _mm256_set1_ps(-0.0f)); }
  // Where x ≥ 0 (−0 included) a, else b.
  static V whereNonnegative(V x, V a, V b) { return _mm256_blendv_ps(b, a, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GE_OQ)); }
  // p·2^n for integral n.
  static V scale(V p, V n) {
#if defined(HB_AVX512)
    return _mm256_scalef_ps(p, n);
#else
    __m256i ni = _mm256_cvtps_epi32(n);
    __m256i n1 = _mm256_srai_epi32(ni, 1);
    __m256i n2 = _mm256_sub_epi32(ni, n1);
    const __m256i bias = _mm256_set1_epi32(127);
    __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
    __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
#endif
  }
};
#if defined(HB_AVX512)
struct Lanes16 {
  using V = __m512;
  static V set1(float v) { return _mm512_set1_ps(v); }
  static V min(V a, V b) { return _mm512_min_ps(a, b); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V round(V a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static V negativeAbs(V a) { return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a), _mm512_set1_epi32(int(0x80000000u)))); }
  static V whereNonnegative(V x, V a, V b) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GE_OQ), b, a); }
  static V scale(V p, V n) { return _mm512_scalef_ps(p, n); }
};
#endif

template <class X>
inline typename X::V expLanes(typename X::V x) {
  using V = typename X::V;
  V xc = X::max(X::set1(-104.0f), X::min(X::set1(89.0f), x));
  V n = X::round(X::mul(xc, X::set1(1.44269504f)));
  V r = X::fma(n, X::set1(-0.693145752f), xc);
  r = X::fma(n, X::set1(-1.42860677e-6f), r);
  V p = X::fma(r, X::set1(0.00138888892f), X::set1(0.00833333377f));
  p = X::fma(p, r, X::set1(0.0416666679f));
  p = X::fma(p, r, X::set1(0.166666672f));
  p = X::fma(p, r, X::set1(0.5f));
  p = X::fma(p, r, X::set1(1.0f));
  p = X::fma(p, r, X::set1(1.0f));
  return X::scale(p, n);
}

// σ(x) = 1/(1 + e^−|x|) for x ≥ 0 (−0 included), e^−|x|/(1 + e^−|x|) otherwise; NaN stays NaN.
template <class X>
inline typename X::V sigmoidLanes(typename X::V x) {
  typename X::V e = expLanes<X>(X::negativeAbs(x));
  // A division, not the reciprocal estimate and a Newton step: those two FMAs would queue behind the
  // exponential's on the FMA pipes, which already bound this loop (measured slower on Zen 4).
  typename X::V r = X::div(X::set1(1.0f), X::add(X::set1(1.0f), e));
  return X::whereNonnegative(x, r, X::mul(e, r));
}

inline __m256 expFloat8(__m256 x) { return expLanes<Lanes8>(x); }
inline __m256 sigmoidFloat8(__m256 x) { return sigmoidLanes<Lanes8>(x); }

// ln x in float32, eight lanes: x = 2^e·m with m in [√½, √2) (subnormals scaled by 2^23 first), f = m − 1
// exact, and ln(1 + f) = f − f²/2 + f³·P(f) with Cephes' degree-8 P (about 1 ulp), e·ln2 added in two
// parts. 0 gives −∞, +∞ gives +∞, negatives and NaN give NaN, as libm does.
inline __m256 logFloat8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 tiny = _mm256_cmp_ps(x, _mm256_set1_ps(1.17549435e-38f), _CMP_LT_OQ);
  __m256 xs = _mm256_blendv_ps(x, _mm256_mul_ps(x, _mm256_set1_ps(8388608.0f)), tiny);
  __m256i bits = _mm256_castps_si256(xs);
  __m256i exponent = _mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127));
  __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_castps_si256(one)));
  __m256 e = _mm256_sub_ps(_mm256_cvtepi32_ps(exponent), _mm256_and_ps(tiny, _mm256_set1_ps(23.0f)));
  __m256 big = _mm256_cmp_ps(m, _mm256_set1_ps(1.41421356f), _CMP_GT_OQ);
  m = _mm256_blendv_ps(m, _mm256_mul_ps(m, _mm256_set1_ps(0.5f)), big);
  e = _mm256_add_ps(e, _mm256_and_ps(big, one));
  __m256 f = _mm256_sub_ps(m, one);
  __m256 z = _mm256_mul_ps(f, f);
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(7.0376836292e-2f), f, _mm256_set1_ps(-1.1514610310e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.1676998740e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(-1.2420140846e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(1.4249322787e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(-1.6668057665e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(2.0000714765e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(-2.4999993993e-1f));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(3.3333331174e-1f));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, f), z);
  y = _mm256_fmadd_ps(e, _mm256_set1_ps(-2.12194440e-4f), y);
  y = _mm256_fnmadd_ps(_mm256_set1_ps(0.5f), z, y);
  __m256 r = _mm256_add_ps(f, y);
  r = _mm256_fmadd_ps(e, _mm256_set1_ps(0.693359375f), r);
  // Special values, last: 0 → −∞, +∞ → +∞, x < 0 or NaN → NaN.
  r = _mm256_blendv_ps(r, _mm256_set1_ps(-INFINITY), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_EQ_OQ));
  r = _mm256_blendv_ps(r, x, _mm256_cmp_ps(x, _mm256_set1_ps(INFINITY), _CMP_EQ_OQ));
  return _mm256_blendv_ps(r, _mm256_set1_ps(NAN), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_NGE_UQ));
}

// The float32 kernels with vector forms, by op (a template argument, so that each loop inlines its body).
template <int OP>
inline __m256 applyFloat8(__m256 v) {
  if constexpr (OP == hb::EXP) return expFloat8(v);
  else if constexpr (OP == hb::LOG) return logFloat8(v);
  else if constexpr (OP == hb::SIGMOID) return sigmoidFloat8(v);
  else return _mm256_mul_ps(v, sigmoidFloat8(v));  // SILU
}

#if defined(HB_AVX512)
template <int OP>
inline __m512 applyFloat16(__m512 v) {
  if constexpr (OP == hb::EXP) return expLanes<Lanes16>(v);
  else if constexpr (OP == hb::SIGMOID) return sigmoidLanes<Lanes16>(v);
  else return _mm512_mul_ps(v, sigmoidLanes<Lanes16>(v));  // SILU
}

// Sixteen lanes at a time for the ops with a sixteen-lane form (same bits as the eight-lane loop below,
// which takes the rest of the array and the ops without one).
template <int OP>
inline int64_t mapFloat16(const float* __restrict x, float* __restrict y, int64_t n) {
  if constexpr (OP == hb::LOG) {
    return 0;
  } else {
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
      __m512 a = applyFloat16<OP>(_mm512_loadu_ps(x + i)), b = applyFloat16<OP>(_mm512_loadu_ps(x + i + 16));
      _mm512_storeu_ps(y + i, a);
      _mm512_storeu_ps(y + i + 16, b);
    }
    return i;
  }
}
#else
template <int OP>
inline int64_t mapFloat16(const float*, float*, int64_t) { return 0; }
#endif

template <int OP>
inline void mapFloat8(const float* __restrict x, float* __restrict y, int64_t n) {
  int64_t i = mapFloat16<OP>(x, y, n);
  // Four vectors per iteration: each is a long chain of dependent operations, and interleaving
  // independent chains keeps the pipes busy where the scheduler alone would not look far enough ahead.
  for (; i + 32 <= n; i += 32) {
    __m256 a = applyFloat8<OP>(_mm256_loadu_ps(x + i)), b = applyFloat8<OP>(_mm256_loadu_ps(x + i + 8));
    __m256 c = applyFloat8<OP>(_mm256_loadu_ps(x + i + 16)), d = applyFloat8<OP>(_mm256_loadu_ps(x + i + 24));
    _mm256_storeu_ps(y + i, a);
    _mm256_storeu_ps(y + i + 8, b);
    _mm256_storeu_ps(y + i + 16, c);
    _mm256_storeu_ps(y + i + 24, d);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, applyFloat8<OP>(_mm256_loadu_ps(x + i)));
  if (i < n) {
    alignas(32) float tail[8] = {};
    std::memcpy(tail, x + i, sizeof(float) * size_t(n - i));
    _mm256_store_ps(tail, applyFloat8<OP>(_mm256_load_ps(tail)));
    std::memcpy(y + i, tail, sizeof(float) * size_t(n - i));
  }
}

template <>
inline bool unaryVector<float>(int op, const float* x, float* y, int64_t n) {
  switch (op) {
    case hb::EXP: mapFloat8<hb::EXP>(x, y, n); return true;
    case hb::LOG: mapFloat8<hb::LOG>(x, y, n); return true;
    case hb::SIGMOID: mapFloat8<hb::SIGMOID>(x, y, n); return true;
    case hb::SILU: mapFloat8<hb::SILU>(x, y, n); return true;
    default: return false;
  }
}
#endif

// Outputs never alias operands (a tape never writes a slot it reads; the executor's buffers and scratch
// tiles are distinct), so the loops are declared free of aliasing and skip the compiler's overlap checks.
template <class T>
void unaryKernel(int op, double p, const T* __restrict x, T* __restrict y, int64_t n) {
  using hb::Op;
  if (unaryVector<T>(op, x, y, n)) return;
  switch (op) {
    case hb::NEG: for (int64_t i = 0; i < n; i++) y[i] = -x[i]; break;
    case hb::EXP: for (int64_t i = 0; i < n; i++) y[i] = expOf<T>(x[i]); break;
    case hb::LOG: for (int64_t i = 0; i < n; i++) y[i] = std::log(x[i]); break;
    case hb::SQRT: for (int64_t i = 0; i < n; i++) y[i] = std::sqrt(x[i]); break;
    case hb::SQUARE: for (int64_t i = 0; i < n; i++) y[i] = x[i] * x[i]; break;
    case hb::SIN: for (int64_t i = 0; i < n; i++) y[i] = std::sin(x[i]); break;
    case hb::COS: for (int64_t i = 0; i < n; i++) y[i] = std::cos(x[i]); break;
    case hb::TANH: for (int64_t i = 0; i < n; i++) y[i] = std::tanh(x[i]); break;
    case hb::SIGMOID: for (int64_t i = 0; i < n; i++) y[i] = sigmoidOf<T>(x[i]); break;
    case hb::SOFTPLUS:
      for (int64_t i = 0; i < n; i++) {
        T v = x[i];
        y[i] = v > T(0) ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
      }
      break;
    case hb::SILU: for (int64_t i = 0; i < n; i++) y[i] = x[i] * sigmoidOf<T>(x[i]); break;
    case hb::RELU: for (int64_t i = 0; i < n; i++) y[i] = x[i] > T(0) ? x[i] : x[i] == x[i] ? T(0) : x[i]; break;
    case hb::ABS: for (int64_t i = 0; i < n; i++) y[i] = absOf(x[i]); break;
    // Math.sign: ±0 and NaN map to themselves.
    case hb::SIGN: for (int64_t i = 0; i < n; i++) y[i] = x[i] > T(0) ? T(1) : x[i] < T(0) ? T(-1) : x[i]; break;
    case hb::POW: {
      T e = T(p);
      for (int64_t i = 0; i < n; i++) y[i] = std::pow(x[i], e);
      break;
    }
  }
}

template <class T, class F>
inline void binaryLoop(const T* __restrict a, const T* __restrict b, T* __restrict y, int64_t n, int mode, F f) {
  if (mode == 0) for (int64_t i = 0; i < n; i++) y[i] = f(a[i], b[i]);
  else if (mode == 1) { T s = b[0]; for (int64_t i = 0; i < n; i++) y[i] = f(a[i], s); }
  else { T s = a[0]; for (int64_t i = 0; i < n; i++) y[i] = f(s, b[i]); }
}

template <class T>
void binaryKernel(int op, const T* a, const T* b, T* y, int64_t n, int mode) {
  hb::withBinary(op, [&](auto f) { binaryLoop(a, b, y, n, mode, f); });
}

// ---- matmul ----

#if defined(HB_AVX512) || defined(HB_AVX2)
// An 8×8 block of floats transposed in registers: afterwards vector r holds element r of every former
// vector (used to pack Wᵀ, to add narrow products' lanes and to reduce rows of 8 lane by lane).
inline void transpose8(__m256* v) {
  __m256 a0 = _mm256_unpacklo_ps(v[0], v[1]), a1 = _mm256_unpackhi_ps(v[0], v[1]);
  __m256 a2 = _mm256_unpacklo_ps(v[2], v[3]), a3 = _mm256_unpackhi_ps(v[2], v[3]);
  __m256 a4 = _mm256_unpacklo_ps(v[4], v[5]), a5 = _mm256_unpackhi_ps(v[4], v[5]);
  __m256 a6 = _mm256_unpacklo_ps(v[6], v[7]), a7 = _mm256_unpackhi_ps(v[6], v[7]);
  __m256 b0 = _mm256_shuffle_ps(a0, a2, 0x44), b1 = _mm256_shuffle_ps(a0, a2, 0xEE);
  __m256 b2 = _mm256_shuffle_ps(a1, a3, 0x44), b3 = _mm256_shuffle_ps(a1, a3, 0xEE);
  __m256 b4 = _mm256_shuffle_ps(a4, a6, 0x44), b5 = _mm256_shuffle_ps(a4, a6, 0xEE);
  __m256 b6 = _mm256_shuffle_ps(a5, a7, 0x44), b7 = _mm256_shuffle_ps(a5, a7, 0xEE);
  v[0] = _mm256_permute2f128_ps(b0, b4, 0x20);
  v[1] = _mm256_permute2f128_ps(b1, b5, 0x20);
  v[2] = _mm256_permute2f128_ps(b2, b6, 0x20);
  v[3] = _mm256_permute2f128_ps(b3, b7, 0x20);
  v[4] = _mm256_permute2f128_ps(b0, b4, 0x31);
  v[5] = _mm256_permute2f128_ps(b1, b5, 0x31);
  v[6] = _mm256_permute2f128_ps(b2, b6, 0x31);
  v[7] = _mm256_permute2f128_ps(b3, b7, 0x31);
}

#endif

#if defined(HB_AVX512) || defined(HB_AVX2)
// 256-bit vectors on both: AMD's Zen 4 runs 512-bit FMAs as two halves, so 256-bit tiles reach the same
// peak; AVX-512VL's 32 registers hold a 12×2 tile of accumulators where AVX2's 16 hold 6×2.
struct VF { using T = float; using V = __m256; static constexpr int W = 8;
  static V zero() { return _mm256_setzero_ps(); } static V load(const T* p) { return _mm256_loadu_ps(p); }
  static void store(T* p, V v) { _mm256_storeu_ps(p, v); } static V set1(T x) { return _mm256_set1_ps(x); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); } static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); } };
struct VD { using T = double; using V = __m256d; static constexpr int W = 4;
  static V zero() { return _mm256_setzero_pd(); } static V load(const T* p) { return _mm256_loadu_pd(p); }
  static void store(T* p, V v) { _mm256_storeu_pd(p, v); } static V set1(T x) { return _mm256_set1_pd(x); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); } static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); } };
#if defined(HB_AVX512)
constexpr int MR = 12;
#else
constexpr int MR = 6;
#endif
#else
// One-lane "vectors": the compiler unrolls the tile and vectorises what it can for the baseline target.
struct VF { using T = float; static constexpr int W = 1; using V = float;
  static V zero() { return 0; } static V load(const T* p) { return *p; } static void store(T* p, V v) { *p = v; }
  static V set1(T x) { return x; } static V fma(V a, V b, V c) { return c + a * b; } static V add(V a, V b) { return a + b; }
  static V mul(V a, V b) { return a * b; } };
struct VD { using T = double; static constexpr int W = 1; using V = double;
  static V zero() { return 0; } static V load(const T* p) { return *p; } static void store(T* p, V v) { *p = v; }
  static V set1(T x) { return x; } static V fma(V a, V b, V c) { return c + a * b; } static V add(V a, V b) { return a + b; }
  static V mul(V a, V b) { return a * b; } };
constexpr int MR = 4;
#endif

#if defined(HB_AVX512) || defined(HB_AVX2)
constexpr int NV = 2;  // vectors per micro-tile row
#else
constexpr int NV = 4;
#endif

template <class X>
constexpr int nrOf() { return X::W * NV; }

// Narrow products (n under half a panel: E = h·w with w of one column, a gradient of a 2-D input) would
// waste most of a zero-padded panel; they take dot products instead, over Bᵀ packed row by row.
template <class X>
constexpr bool narrow(int64_t n) { return n < nrOf<X>() / 2; }

template <class X>
void packBKernel(int64_t k, int64_t n, const typename X::T* B, int64_t ldb, int64_t ldc, typename X::T* packed) {
  using T = typename X::T;
  constexpr int NR = nrOf<X>();
  if (narrow<X>(n)) {
    for (int64_t j = 0; j < n; j++)
      for (int64_t p = 0; p < k; p++) packed[j * k + p] = B[p * ldb + j * ldc];
    return;
  }
  int64_t panels = (n + NR - 1) / NR;
  for (int64_t pc = 0; pc < k; pc += hb::KC) {
    int64_t kc = std::min(hb::KC, k - pc);
    for (int64_t jp = 0; jp < panels; jp++) {
      int64_t j0 = jp * NR;
      int64_t nr = std::min<int64_t>(NR, n - j0);
#if defined(HB_AVX512) || defined(HB_AVX2)
      if constexpr (std::is_same<T, float>::value && NR == 16) {
        if (ldb == 1 && nr == NR && kc % 8 == 0) {
          // Wᵀ packed from W in 8×8 blocks: eight contiguous runs of W (rows j of the panel, k along them)
          // transposed in registers into eight runs of the panel (k rows, j along them).
          for (int64_t p0 = 0; p0 < kc; p0 += 8)
            for (int64_t half = 0; half < 2; half++) {
              __m256 v[8];
              for (int j = 0; j < 8; j++) v[j] = _mm256_loadu_ps(B + pc + p0 + (j0 + half * 8 + j) * ldc);
              transpose8(v);
              for (int p = 0; p < 8; p++) _mm256_storeu_ps(packed + (p0 + p) * NR + half * 8, v[p]);
            }
          packed += kc * NR;
          continue;
        }
      }
#endif
      if (ldb == 1 && nr == NR) {
        // Wᵀ packed from W: walk each column of the panel down k, so that reads are contiguous (the
        // writes land in the panel, which is in L1).
        for (int64_t j = 0; j < NR; j++) {
          const T* src = B + pc + (j0 + j) * ldc;
          for (int64_t p = 0; p < kc; p++) packed[p * NR + j] = src[p];
        }
        packed += kc * NR;
        continue;
      }
      for (int64_t p = 0; p < kc; p++) {
        const T* src = B + (pc + p) * ldb + j0 * ldc;
        int64_t j = 0;
        if (ldc == 1)
          for (; j < nr; j++) packed[j] = src[j];
        else
          for (; j < nr; j++) packed[j] = src[j * ldc];
        for (; j < NR; j++) packed[j] = T(0);
        packed += NR;
      }
    }
  }
}

// One MR×NR tile over kc: rows of A through row pointers (missing rows point at zeros), B panel packed.
template <class X>
inline void microKernel(int64_t kc, const typename X::T* const* a, const typename X::T* b, typename X::T* c, int64_t ldc, bool accumulate, const typename X::T* bias) {
  using V = typename X::V;
  V acc[MR][NV];
  for (int i = 0; i < MR; i++)
    for (int v = 0; v < NV; v++) acc[i][v] = X::zero();
  for (int64_t p = 0; p < kc; p++) {
    V bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = X::load(b + v * X::W);
    b += NV * X::W;
    for (int i = 0; i < MR; i++) {
      V av = X::set1(a[i][p]);
      for (int v = 0; v < NV; v++) acc[i][v] = X::fma(av, bv[v], acc[i][v]);
    }
  }
  for (int i = 0; i < MR; i++)
    for (int v = 0; v < NV; v++) {
      typename X::T* dst = c + i * ldc + v * X::W;
      V sum = accumulate ? X::add(X::load(dst), acc[i][v]) : acc[i][v];
      X::store(dst, bias != nullptr ? X::add(sum, X::load(bias + v * X::W)) : sum);
    }
}

#if defined(HB_AVX512) || defined(HB_AVX2)
// The lane sums of W accumulators, one per row, as one vector: lane r holds ((l0 + l1) + l2) + … of row r,
// the order of the scalar loop in gemmNarrow, computed by a transpose and W − 1 vector additions.
inline __m256 laneSums(const __m256* v) {
  __m256 t[8] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
  transpose8(t);  // t[l]: lane l of every row
  __m256 sum = _mm256_add_ps(t[0], t[1]);
  for (int l = 2; l < 8; l++) sum = _mm256_add_ps(sum, t[l]);
  return sum;
}
inline __m256d laneSums(const __m256d* v) {
  __m256d a0 = _mm256_unpacklo_pd(v[0], v[1]), a1 = _mm256_unpackhi_pd(v[0], v[1]);
  __m256d a2 = _mm256_unpacklo_pd(v[2], v[3]), a3 = _mm256_unpackhi_pd(v[2], v[3]);
  __m256d t0 = _mm256_permute2f128_pd(a0, a2, 0x20), t1 = _mm256_permute2f128_pd(a1, a3, 0x20);
  __m256d t2 = _mm256_permute2f128_pd(a0, a2, 0x31), t3 = _mm256_permute2f128_pd(a1, a3, 0x31);
  return _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(t0, t1), t2), t3);
}
#endif

// C = A·B for narrow B (packed as Bᵀ): R rows at a time share each load of Bᵀ. Each dot product sums
// lane-wise over k in steps of W, then the lanes in order, then the remainder: a fixed order. With AVX,
// full groups of W rows add their lanes as vectors (laneSums), in that same order.
// With A2, the rows of A are A ⊙ A2, each product rounded before it is used: the bits of multiplying first.
template <class X>
void gemmNarrow(int64_t m, int64_t n, int64_t k, const typename X::T* A, int64_t lda, const typename X::T* Bt, typename X::T* C, int64_t ldc, const typename X::T* bias,
                const typename X::T* A2 = nullptr) {
  using T = typename X::T;
  using V = typename X::V;
  constexpr int W = X::W;
#if defined(HB_AVX512) || defined(HB_AVX2)
  constexpr int R = W;
#else
  constexpr int R = 4;
#endif
  const int64_t kv = k / W * W;
  alignas(64) T lanes[W];
  // Element p of row i of A (A ⊙ A2 when A2 is given), as a vector and as a scalar.
  auto rowVector = [&](int64_t i, int64_t p) { return A2 == nullptr ? X::load(A + i * lda + p) : X::mul(X::load(A + i * lda + p), X::load(A2 + i * lda + p)); };
  auto element = [&](int64_t i, int64_t p) { return A2 == nullptr ? A[i * lda + p] : T(A[i * lda + p] * A2[i * lda + p]); };
  for (int64_t i0 = 0; i0 < m; i0 += R) {
    const int64_t rows = std::min<int64_t>(R, m - i0);
    for (int64_t j = 0; j < n; j++) {
      const T* b = Bt + j * k;
      V acc[R];
      for (int r = 0; r < R; r++) acc[r] = X::zero();
      if (rows == R) {
        for (int64_t p = 0; p < kv; p += W) {
          V bv = X::load(b + p);
          for (int r = 0; r < R; r++) acc[r] = X::fma(rowVector(i0 + r, p), bv, acc[r]);
        }
      } else {
        for (int64_t p = 0; p < kv; p += W) {
          V bv = X::load(b + p);
          for (int r = 0; r < rows; r++) acc[r] = X::fma(rowVector(i0 + r, p), bv, acc[r]);
        }
      }
#if defined(HB_AVX512) || defined(HB_AVX2)
      if (rows == R) {
        X::store(lanes, laneSums(acc));
        for (int r = 0; r < R; r++) {
          T sum = lanes[r];
          for (int64_t p = kv; p < k; p++) sum += element(i0 + r, p) * b[p];
          C[(i0 + r) * ldc + j] = bias != nullptr ? sum + bias[j] : sum;
        }
        continue;
      }
#endif
      for (int r = 0; r < rows; r++) {
        X::store(lanes, acc[r]);
        T sum = lanes[0];
        for (int l = 1; l < W; l++) sum += lanes[l];
        for (int64_t p = kv; p < k; p++) sum += element(i0 + r, p) * b[p];
        C[(i0 + r) * ldc + j] = bias != nullptr ? sum + bias[j] : sum;
      }
    }
  }
}

template <class X>
void gemmKernel(int64_t m, int64_t n, int64_t k, const typename X::T* A, int64_t lda, const typename X::T* packed, typename X::T* C, int64_t ldc, const typename X::T* bias) {
  using T = typename X::T;
  constexpr int NR = nrOf<X>();
  if (narrow<X>(n)) return gemmNarrow<X>(m, n, k, A, lda, packed, C, ldc, bias);
  int64_t panels = (n + NR - 1) / NR;
  if (k == 0) {
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) C[i * ldc + j] = bias != nullptr ? T(0) + bias[j] : T(0);
    return;
  }
  alignas(64) T zeros[hb::KC] = {};
  alignas(64) T edge[MR * NR];
  const T* rows[MR];
  for (int64_t pc = 0; pc < k; pc += hb::KC) {
    int64_t kc = std::min(hb::KC, k - pc);
    const T* panelBase = packed + pc * panels * NR;
    bool accumulate = pc > 0;
    for (int64_t i0 = 0; i0 < m; i0 += MR) {
      int64_t mr = std::min<int64_t>(MR, m - i0);
      for (int i = 0; i < MR; i++) rows[i] = i < mr ? A + (i0 + i) * lda + pc : zeros;
      for (int64_t jp = 0; jp < panels; jp++) {
        int64_t j0 = jp * NR;
        int64_t nr = std::min<int64_t>(NR, n - j0);
        const T* b = panelBase + jp * kc * NR;
        // The bias goes in with the last block of k, after the sum is complete.
        const T* tileBias = bias != nullptr && pc + kc >= k ? bias + j0 : nullptr;
        if (mr == MR && nr == NR) {
          microKernel<X>(kc, rows, b, C + i0 * ldc + j0, ldc, accumulate, tileBias);
        } else {
          microKernel<X>(kc, rows, b, edge, NR, false, nullptr);
          for (int64_t i = 0; i < mr; i++)
            for (int64_t j = 0; j < nr; j++) {
              T& dst = C[(i0 + i) * ldc + j0 + j];
              const T sum = accumulate ? dst + edge[i * NR + j] : edge[i * NR + j];
              dst = tileBias != nullptr ? sum + tileBias[j] : sum;
            }
        }
      }
    }
  }
}

// C = (A ⊙ A2)·B: narrow products multiply as they load their rows (no pass writing A ⊙ A2); wider ones
// multiply into a per-thread buffer first. Either way the bits of multiplying first.
template <class X>
void gemmProductKernel(int64_t m, int64_t n, int64_t k, const typename X::T* A, const typename X::T* A2, int64_t lda, const typename X::T* packed, typename X::T* C, int64_t ldc,
                       const typename X::T* bias) {
  using T = typename X::T;
  if (narrow<X>(n)) return gemmNarrow<X>(m, n, k, A, lda, packed, C, ldc, bias, A2);
  thread_local std::vector<T> product;
  product.resize(size_t(m * k));
  for (int64_t i = 0; i < m; i++)
    for (int64_t p = 0; p < k; p++) product[size_t(i * k + p)] = A[i * lda + p] * A2[i * lda + p];
  gemmKernel<X>(m, n, k, product.data(), k, packed, C, ldc, bias);
}

// ---- elementwise chains ----

// A block of CHAIN_BLOCK elements as eight vectors in named registers (an array would be kept in memory
// across the dispatch). Inside a class template: a vector attribute on a template argument is dropped.
template <class T>
struct ChainVectors {
  // Vectors no wider than the target's (GCC 12 fails to compile the block loop with vectors it must
  // split: float64 on AVX2, anything on the generic target), at most CHAIN_BLOCK / 8 lanes: a block of
  // CB elements then divides any row length that is a multiple of CHAIN_BLOCK.
#if defined(HB_AVX512)
  static constexpr int BYTES = 64;
#elif defined(HB_AVX2)
  static constexpr int BYTES = 32;
#else
  static constexpr int BYTES = 16;
#endif
  static constexpr int L = int(std::min<size_t>(hb::CHAIN_BLOCK / 8, BYTES / sizeof(T)));
  static constexpr int64_t CB = 8 * L;  // elements per block
  typedef T V __attribute__((vector_size(L * sizeof(T))));
  typedef T U __attribute__((vector_size(L * sizeof(T)), aligned(sizeof(T))));  // for unaligned access
  struct Block {
    V v0, v1, v2, v3, v4, v5, v6, v7;
  };
  static Block load(const hb::ChainStep<T>& s, int64_t e0, int64_t col) {
    if (s.kind == hb::ChainStep<T>::SCALAR) {
      V b;
      for (int l = 0; l < L; l++) b[l] = s.side[0];
      return {b, b, b, b, b, b, b, b};
    }
    const U* q = reinterpret_cast<const U*>(s.kind == hb::ChainStep<T>::ROW ? s.side + col : s.side + e0);
    return {q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]};
  }
  static Block at(const T* p) {
    const U* q = reinterpret_cast<const U*>(p);
    return {q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]};
  }
  static void store(const Block& a, T* y) {
    U* out = reinterpret_cast<U*>(y);
    out[0] = a.v0, out[1] = a.v1, out[2] = a.v2, out[3] = a.v3, out[4] = a.v4, out[5] = a.v5, out[6] = a.v6, out[7] = a.v7;
  }
};

// Unary steps with a vector form applied to the block in registers: float32 e^x, σ and silu with AVX
// (sixteen lanes on AVX-512, the unary kernel's forms, so its bits). Through memory, a block stored as
// eight vectors and read back as sixteen-lane ones would stall on store forwarding. False otherwise.
template <class Block>
inline bool chainUnaryVector(int, Block&) { return false; }
#if defined(HB_AVX512) || defined(HB_AVX2)
template <int OP>
inline void chainApplyFloat(ChainVectors<float>::Block& a) {
  using V = ChainVectors<float>::V;
#if defined(HB_AVX512)
  auto pair = [](V& lo, V& hi) {
    __m512 v = applyFloat16<OP>(_mm512_insertf32x8(_mm512_castps256_ps512(__m256(lo)), __m256(hi), 1));
    lo = V(_mm512_castps512_ps256(v));
    hi = V(_mm512_extractf32x8_ps(v, 1));
  };
  pair(a.v0, a.v1), pair(a.v2, a.v3), pair(a.v4, a.v5), pair(a.v6, a.v7);
#else
  a.v0 = V(applyFloat8<OP>(__m256(a.v0))), a.v1 = V(applyFloat8<OP>(__m256(a.v1)));
  a.v2 = V(applyFloat8<OP>(__m256(a.v2))), a.v3 = V(applyFloat8<OP>(__m256(a.v3)));
  a.v4 = V(applyFloat8<OP>(__m256(a.v4))), a.v5 = V(applyFloat8<OP>(__m256(a.v5)));
  a.v6 = V(applyFloat8<OP>(__m256(a.v6))), a.v7 = V(applyFloat8<OP>(__m256(a.v7)));
#endif
}
inline bool chainUnaryVector(int op, ChainVectors<float>::Block& a) {
  switch (op) {
    case hb::EXP: chainApplyFloat<hb::EXP>(a); return true;
    case hb::SIGMOID: chainApplyFloat<hb::SIGMOID>(a); return true;
    case hb::SILU: chainApplyFloat<hb::SILU>(a); return true;
    default: return false;
  }
}
#endif

// A unary step on the block: in registers where there is a vector form, else through the unary kernel on
// the block in L1, with its bits (an element's bits do not depend on where it falls in an array).
template <class T>
inline void chainUnary(const hb::ChainStep<T>& s, typename ChainVectors<T>::Block& a) {
  if (chainUnaryVector(s.op, a)) return;
  alignas(64) T in[ChainVectors<T>::CB], out[ChainVectors<T>::CB];
  ChainVectors<T>::store(a, in);
  unaryKernel<T>(s.op, s.p, in, out, ChainVectors<T>::CB);
  a = ChainVectors<T>::at(out);
}

// The full blocks of a chain over [0, n): elements e0 … e0 + CB − 1 at column col of their row.
// The steps become a list of handlers, one per step and one per tee, decided once per call: with AVX,
// threaded code (GCC's labels as values), each handler ending in a jump to the next, so that a step costs
// one indirect jump and no tests of its kind or op (a switch on the step's fields measured 3–5% of an MLP
// gradient); on the generic target a switch on the handler's index. The block stays in registers.
#if defined(HB_AVX512) || defined(HB_AVX2)
#define HB_THREADED 1
#endif
template <class T>
void chainBlocks(const hb::ChainStep<T>* steps, int count, T* __restrict y, int64_t n, int64_t rowLen) {
  using C = ChainVectors<T>;
  using V = typename C::V;
  constexpr int64_t CB = C::CB;
  // Binary handlers by form (x op w, then w op x, for add, sub, mul, div: the operand order is kept, as
  // it decides which NaN's payload a result carries) and by side kind (elements, row, scalar).
  enum Code { BINARY_ = 0, NEG_ = 24, SQUARE_, UNARY_, TEE_, END_ };
#if defined(HB_THREADED)
  using Handler = const void*;
  static const void* const labels[] = {&&add_e, &&add_r, &&add_s, &&radd_e, &&radd_r, &&radd_s, &&sub_e, &&sub_r, &&sub_s, &&rsub_e, &&rsub_r, &&rsub_s,
                                       &&mul_e, &&mul_r, &&mul_s, &&rmul_e, &&rmul_r, &&rmul_s, &&div_e, &&div_r, &&div_s, &&rdiv_e, &&rdiv_r, &&rdiv_s,
                                       &&neg_, &&square_, &&unary_, &&tee_, &&end_};
  auto handler = [](int c) { return labels[c]; };
#define HB_NEXT goto* code[k++];
#define HB_LABEL(name, index) name:
#else
  using Handler = int;
  auto handler = [](int c) { return c; };
#define HB_NEXT continue;
#define HB_LABEL(name, index) case index:
#endif
  // The program: handler, and what it reads or writes (side operand, tee, unary step).
  Handler code[2 * (hb::CHAIN_MAX_STEPS + 1) + 1];
  const T* side[2 * (hb::CHAIN_MAX_STEPS + 1) + 1];
  const hb::ChainStep<T>* step[2 * (hb::CHAIN_MAX_STEPS + 1) + 1];
  V scalar[2 * (hb::CHAIN_MAX_STEPS + 1) + 1];  // a scalar side operand in every lane, made once per call
  int length = 0;
  for (int k = 1; k < count; k++) {
    const hb::ChainStep<T>& st = steps[k];
    int c;
    if (st.kind == hb::ChainStep<T>::NONE) {
      c = st.op == hb::NEG ? NEG_ : st.op == hb::SQUARE ? SQUARE_ : UNARY_;
    } else {
      const int kind = st.kind == hb::ChainStep<T>::ELEMENTS ? 0 : st.kind == hb::ChainStep<T>::ROW ? 1 : 2;
      // the binary ops hb::chainHandles admits (kernels.h): a new one needs handlers here first
      const int op = st.op == hb::ADD ? 0 : st.op == hb::SUB ? 1 : st.op == hb::MUL ? 2 : 3;
      c = BINARY_ + (op * 2 + (st.accFirst ? 0 : 1)) * 3 + kind;
    }
    if (st.kind == hb::ChainStep<T>::SCALAR) scalar[length] = C::load(st, 0, 0).v0;
    code[length] = handler(c), side[length] = st.side, step[length] = &st, length++;
    if (st.tee != nullptr) code[length] = handler(TEE_), side[length] = st.tee, step[length] = nullptr, length++;
  }
  code[length] = handler(END_);
  // The block's column within its row, kept without a division per block (rowLen is a multiple of the
  // block when a step reads a ROW operand; otherwise col is not read).
  int64_t col = 0;
  for (int64_t e0 = 0; e0 + CB <= n; e0 += CB, col = col + CB >= rowLen ? 0 : col + CB) {
    typename C::Block a = C::load(steps[0], e0, col);
    int k = 0;
#define HB_EACH(expr) \
  { V x; x = a.v0; a.v0 = (expr); x = a.v1; a.v1 = (expr); x = a.v2; a.v2 = (expr); x = a.v3; a.v3 = (expr); \
    x = a.v4; a.v4 = (expr); x = a.v5; a.v5 = (expr); x = a.v6; a.v6 = (expr); x = a.v7; a.v7 = (expr); }
#define HB_PAIR(expr) \
  { V x, w; x = a.v0; w = b.v0; a.v0 = (expr); x = a.v1; w = b.v1; a.v1 = (expr); x = a.v2; w = b.v2; a.v2 = (expr); \
    x = a.v3; w = b.v3; a.v3 = (expr); x = a.v4; w = b.v4; a.v4 = (expr); x = a.v5; w = b.v5; a.v5 = (expr); \
    x = a.v6; w = b.v6; a.v6 = (expr); x = a.v7; w = b.v7; a.v7 = (expr); }
    // The side operand: a block of elements, the block's part of a row, or one value for every lane.
#define HB_HANDLERS(name, index, expr) \
  HB_LABEL(name##_e, index) { const typename C::Block b = C::at(side[k - 1] + e0); HB_PAIR(expr) } HB_NEXT \
  HB_LABEL(name##_r, index + 1) { const typename C::Block b = C::at(side[k - 1] + col); HB_PAIR(expr) } HB_NEXT \
  HB_LABEL(name##_s, index + 2) { const V u = scalar[k - 1]; const typename C::Block b = {u, u, u, u, u, u, u, u}; HB_PAIR(expr) } HB_NEXT
#if defined(HB_THREADED)
    HB_NEXT
#else
    for (;;) switch (code[k++]) {
#endif
    HB_HANDLERS(add, 0, x + w)
    HB_HANDLERS(radd, 3, w + x)
    HB_HANDLERS(sub, 6, x - w)
    HB_HANDLERS(rsub, 9, w - x)
    HB_HANDLERS(mul, 12, x * w)
    HB_HANDLERS(rmul, 15, w * x)
    HB_HANDLERS(div, 18, x / w)
    HB_HANDLERS(rdiv, 21, w / x)
    HB_LABEL(neg_, NEG_)
      HB_EACH(-x)
      HB_NEXT
    HB_LABEL(square_, SQUARE_)
      HB_EACH(x * x)
      HB_NEXT
    HB_LABEL(unary_, UNARY_)
      chainUnary(*step[k - 1], a);
      HB_NEXT
    HB_LABEL(tee_, TEE_)
      C::store(a, const_cast<T*>(side[k - 1]) + e0);
      HB_NEXT
    HB_LABEL(end_, END_)
      C::store(a, y + e0);
      goto done;
#if !defined(HB_THREADED)
    }
#endif
  done:;
#undef HB_EACH
#undef HB_PAIR
#undef HB_HANDLERS
  }
#undef HB_NEXT
#undef HB_LABEL
}
#undef HB_THREADED

// The chain over n elements: whole blocks through chainBlocks, the remainder through the same block code
// on padded copies of its operands.
template <class T>
void chainKernel(const hb::ChainStep<T>* steps, int count, T* __restrict y, int64_t n, int64_t rowLen) {
  constexpr int64_t CB = ChainVectors<T>::CB;
  const int64_t e0 = n / CB * CB;
  chainBlocks(steps, count, y, e0, rowLen);
  if (e0 == n) return;
  const int64_t rest = n - e0;
  // Each ELEMENTS or ROW operand copied into a block of its own (a side that an earlier step tees reads
  // that step's padded block), each tee into one, then the real elements copied out.
  alignas(64) T side[hb::CHAIN_MAX_STEPS + 1][CB], tee[hb::CHAIN_MAX_STEPS + 1][CB], out[CB];
  hb::ChainStep<T> local[hb::CHAIN_MAX_STEPS + 1];
  for (int k = 0; k < count; k++) {
    local[k] = steps[k];
    if (steps[k].tee != nullptr) local[k].tee = tee[k];
    if (steps[k].kind != hb::ChainStep<T>::ELEMENTS && steps[k].kind != hb::ChainStep<T>::ROW) continue;
    int from = -1;
    for (int j = 1; j < k; j++)
      if (steps[j].tee != nullptr && steps[j].tee == steps[k].side) from = j;
    if (from >= 0) {
      local[k].side = tee[from];
    } else {
      for (int64_t i = 0; i < CB; i++)
        side[k][i] = i >= rest ? T(0) : steps[k].kind == hb::ChainStep<T>::ROW ? steps[k].side[(e0 + i) % rowLen] : steps[k].side[e0 + i];
      local[k].side = side[k];
    }
    local[k].kind = hb::ChainStep<T>::ELEMENTS;
  }
  chainBlocks(local, count, out, CB, CB);
  std::memcpy(y + e0, out, sizeof(T) * size_t(rest));
  for (int k = 1; k < count; k++)
    if (steps[k].tee != nullptr) std::memcpy(steps[k].tee + e0, tee[k], sizeof(T) * size_t(rest));
}

// ---- logsumexp over rows of 8 ----

// The vector form where there is one (float32 with AVX, rows of 8); false otherwise (KernelTable).
template <class T>
bool logsumexpRowsKernel(const T*, T*, int64_t, int64_t) { return false; }

#if defined(HB_AVX512) || defined(HB_AVX2)
// G groups of eight rows, their steps interleaved (each group's reduction is a chain of dependent
// operations; side by side they keep the pipes busy).
template <int G>
inline void logsumexp8x8(const float* x, float* y) {
  __m256 t[G][8], m[G], nan[G], sum[G];
  for (int g = 0; g < G; g++) {
    for (int r = 0; r < 8; r++) t[g][r] = _mm256_loadu_ps(x + 64 * g + 8 * r);
    transpose8(t[g]);
    m[g] = _mm256_set1_ps(-INFINITY);
    nan[g] = _mm256_setzero_ps();
    sum[g] = _mm256_setzero_ps();
  }
  // m = max in order (v > m ? v : m, so NaNs are passed over; they are flagged apart).
  for (int r = 0; r < 8; r++)
    for (int g = 0; g < G; g++) {
      nan[g] = _mm256_or_ps(nan[g], _mm256_cmp_ps(t[g][r], t[g][r], _CMP_UNORD_Q));
      m[g] = _mm256_blendv_ps(m[g], t[g][r], _mm256_cmp_ps(t[g][r], m[g], _CMP_GT_OQ));
    }
  for (int r = 0; r < 8; r++)
    for (int g = 0; g < G; g++) sum[g] = _mm256_add_ps(sum[g], expFloat8(_mm256_sub_ps(t[g][r], m[g])));
  for (int g = 0; g < G; g++) {
    __m256 v = _mm256_add_ps(m[g], logFloat8(sum[g]));
    // An infinite (or all-NaN) maximum is the result itself; any NaN makes the result NaN.
    __m256 finite = _mm256_cmp_ps(_mm256_and_ps(m[g], _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff))), _mm256_set1_ps(INFINITY), _CMP_LT_OQ);
    v = _mm256_blendv_ps(m[g], v, finite);
    _mm256_storeu_ps(y + 8 * g, _mm256_blendv_ps(v, _mm256_set1_ps(NAN), nan[g]));
  }
}

template <>
bool logsumexpRowsKernel<float>(const float* x, float* y, int64_t outer, int64_t R) {
  if (R != 8) return false;
  int64_t o = 0;
  for (; o + 16 <= outer; o += 16) logsumexp8x8<2>(x + o * 8, y + o);
  for (; o + 8 <= outer; o += 8) logsumexp8x8<1>(x + o * 8, y + o);
  if (o < outer) {
    // The last rows through the same code, padded with zeros (their results are dropped).
    alignas(32) float rows[64] = {}, out[8];
    std::memcpy(rows, x + o * 8, sizeof(float) * size_t((outer - o) * 8));
    logsumexp8x8<1>(rows, out);
    std::memcpy(y + o, out, sizeof(float) * size_t(outer - o));
  }
  return true;
}
#endif

}  // namespace

const hb::KernelTable<float> f32 = {HB_ISA_NAME, MR, nrOf<VF>(), unaryKernel<float>, binaryKernel<float>, packBKernel<VF>, gemmKernel<VF>, gemmProductKernel<VF>, chainKernel<float>, logsumexpRowsKernel<float>};
const hb::KernelTable<double> f64 = {HB_ISA_NAME, MR, nrOf<VD>(), unaryKernel<double>, binaryKernel<double>, packBKernel<VD>, gemmKernel<VD>, gemmProductKernel<VD>, chainKernel<double>, logsumexpRowsKernel<double>};

#if defined(HB_AVX512)
// The probe uses the widest vectors: a core with two 512-bit FMA pipes would be under-measured with 256.
struct Probe { using V = __m512; static constexpr int W = 16;
  static V set1(float x) { return _mm512_set1_ps(x); } static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); } static void store(float* p, V v) { _mm512_storeu_ps(p, v); } };
#else
using Probe = VF;
#endif

double fmaProbe(int64_t iterations) {
  // Twelve independent accumulator chains cover the FMA latency on two pipes.
  constexpr int C = 12;
  typename Probe::V acc[C];
  for (int i = 0; i < C; i++) acc[i] = Probe::set1(float(i) * 1e-3f);
  typename Probe::V m = Probe::set1(0.999999f), c = Probe::set1(1e-7f);
  for (int64_t it = 0; it < iterations; it++)
    for (int i = 0; i < C; i++) acc[i] = Probe::fma(acc[i], m, c);
  for (int i = 1; i < C; i++) acc[0] = Probe::add(acc[0], acc[i]);
  alignas(64) float out[Probe::W];
  Probe::store(out, acc[0]);
  volatile float sink = out[0];
  (void)sink;
  return double(iterations) * C * Probe::W * 2;
}
