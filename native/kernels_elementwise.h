// A part of kernels_impl.h: elementwise math: exp, sigmoid and log in lanes, the unary and binary kernels. Included inside that file's anonymous
// namespace, once per instruction set; not a header of its own.


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
