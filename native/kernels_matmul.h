// A part of kernels_impl.h: the register-tiled matmul: packing, the micro-kernel, narrow products. Included inside that file's anonymous
// namespace, once per instruction set; not a header of its own.

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
// A vector type for the kernels: its lanes, and the intrinsics (prefix##op##_##suffix) it needs.
#define HB_VECTOR(Name, Type, Vector, Width, prefix, suffix)                                                           \
  struct Name {                                                                                                      \
    using T = Type;                                                                                                  \
    using V = Vector;                                                                                                \
    static constexpr int W = Width;                                                                                  \
    static V zero() { return prefix##setzero_##suffix(); }                                                           \
    static V load(const T* p) { return prefix##loadu_##suffix(p); }                                                  \
    static void store(T* p, V v) { prefix##storeu_##suffix(p, v); }                                                  \
    static V set1(T x) { return prefix##set1_##suffix(x); }                                                          \
    static V fma(V a, V b, V c) { return prefix##fmadd_##suffix(a, b, c); }                                          \
    static V add(V a, V b) { return prefix##add_##suffix(a, b); }                                                    \
    static V mul(V a, V b) { return prefix##mul_##suffix(a, b); }                                                    \
  };
// 256-bit vectors: AVX2's micro-kernel tiles (6 rows of 2 vectors in its 16 registers), and the narrow
// products on AVX2 and AVX-512 alike.
HB_VECTOR(VF, float, __m256, 8, _mm256_, ps)
HB_VECTOR(VD, double, __m256d, 4, _mm256_, pd)
#if defined(HB_AVX512)
// The micro-kernel's vectors: 512 bits where the CPU has AVX-512 (Zen 5 and Intel cores run 512-bit FMAs
// at full width, twice the flops of 256-bit ones; Zen 4 splits them and loses nothing); 12 rows of 2
// vectors in its 32 registers. Each lane sums its own column in the same order at any width, so the bits
// are those of the 256-bit tiles.
HB_VECTOR(MF, float, __m512, 16, _mm512_, ps)
HB_VECTOR(MD, double, __m512d, 8, _mm512_, pd)
constexpr int MR = 12;
#else
using MF = VF;
using MD = VD;
constexpr int MR = 6;
#endif
#undef HB_VECTOR
constexpr int NV = 2;  // vectors per micro-tile row
#else
// One-lane "vectors": the compiler unrolls the tile and vectorises what it can for the baseline target.
template <class Type>
struct OneLane {
  using T = Type;
  using V = Type;
  static constexpr int W = 1;
  static V zero() { return 0; }
  static V load(const T* p) { return *p; }
  static void store(T* p, V v) { *p = v; }
  static V set1(T x) { return x; }
  static V fma(V a, V b, V c) { return c + a * b; }
  static V add(V a, V b) { return a + b; }
  static V mul(V a, V b) { return a * b; }
};
using VF = OneLane<float>;
using VD = OneLane<double>;
using MF = VF;
using MD = VD;
constexpr int MR = 4;
constexpr int NV = 4;
#endif

template <class X>
constexpr int nrOf() { return X::W * NV; }

// The vectors of narrow products (VF, VD: 256 bits with AVX, whatever the micro-kernel's width, so that
// their lane sums, and so their bits, are the same on AVX2 and AVX-512).
template <class T>
using NarrowVector = typename std::conditional<std::is_same<T, float>::value, VF, VD>::type;

// Narrow products (n under half a 256-bit panel: E = h·w with w of one column, a gradient of a 2-D input)
// would waste most of a zero-padded panel; they take dot products instead, over Bᵀ packed row by row.
template <class T>
constexpr bool narrow(int64_t n) { return n < nrOf<NarrowVector<T>>() / 2; }

template <class X>
void packBKernel(int64_t k, int64_t n, const typename X::T* B, int64_t ldb, int64_t ldc, typename X::T* packed) {
  using T = typename X::T;
  constexpr int NR = nrOf<X>();
  if (narrow<T>(n)) {
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
      if constexpr (std::is_same<T, float>::value && NR % 8 == 0) {
        if (ldb == 1 && nr == NR && kc % 8 == 0) {
          // Wᵀ packed from W in 8×8 blocks: eight contiguous runs of W (rows j of the panel, k along them)
          // transposed in registers into eight runs of the panel (k rows, j along them).
          for (int64_t p0 = 0; p0 < kc; p0 += 8)
            for (int64_t half = 0; half < NR / 8; half++) {
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

// One R×NR tile over kc (R ≤ MR rows: the edge of m gets a tile of its own height, not zero rows): rows of
// A through row pointers, the B panel packed. Each column's lane runs its sum in the same order whatever R.
template <class X, int R>
inline void microKernel(int64_t kc, const typename X::T* const* a, const typename X::T* b, typename X::T* c, int64_t ldc, bool accumulate, const typename X::T* bias) {
  using V = typename X::V;
  V acc[R][NV];
  for (int i = 0; i < R; i++)
    for (int v = 0; v < NV; v++) acc[i][v] = X::zero();
  for (int64_t p = 0; p < kc; p++) {
    V bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = X::load(b + v * X::W);
#if defined(HB_AVX512) || defined(HB_AVX2)
    // The panel 48 rows ahead: where B comes from memory (weights beyond L3, the first tile of a block)
    // this hides the latency the hardware prefetcher leaves (1.3× at 64×3072×4096; nothing lost when B is
    // cached). A prefetch never faults, so running past the panel's end is harmless.
    _mm_prefetch(reinterpret_cast<const char*>(b + 48 * NV * X::W), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(b + 48 * NV * X::W + 64 / sizeof(typename X::T)), _MM_HINT_T0);
#endif
    b += NV * X::W;
    for (int i = 0; i < R; i++) {
      V av = X::set1(a[i][p]);
      for (int v = 0; v < NV; v++) acc[i][v] = X::fma(av, bv[v], acc[i][v]);
    }
  }
  for (int i = 0; i < R; i++)
    for (int v = 0; v < NV; v++) {
      typename X::T* dst = c + i * ldc + v * X::W;
      V sum = accumulate ? X::add(X::load(dst), acc[i][v]) : acc[i][v];
      X::store(dst, bias != nullptr ? X::add(sum, X::load(bias + v * X::W)) : sum);
    }
}

template <class X>
using MicroKernel = void (*)(int64_t, const typename X::T* const*, const typename X::T*, typename X::T*, int64_t, bool, const typename X::T*);
// The micro-kernel of each height 1 … MR (index R − 1).
template <class X, int... R>
constexpr std::array<MicroKernel<X>, sizeof...(R)> microKernelsOf(std::integer_sequence<int, R...>) { return {microKernel<X, R + 1>...}; }
template <class X>
constexpr std::array<MicroKernel<X>, MR> microKernels = microKernelsOf<X>(std::make_integer_sequence<int, MR>());

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
                const typename X::T* A2, int64_t j0, int64_t j1) {
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
    for (int64_t j = j0; j < j1; j++) {
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

// Columns of B per block: a kc × NC block of packed panels (512 KiB of float32) stays in L2 while every
// tile of rows passes over it; the rows' kc-long runs of A stay in L1 across its panels.
template <class X>
constexpr int64_t ncOf() { return (int64_t(1) << 17) / hb::KC / int64_t(sizeof(typename X::T)) * 4 / nrOf<X>() * nrOf<X>(); }

// Tile (i0, panel jp) of a k block: the full tile straight into C, a tile cut by n's edge through a buffer.
template <class X>
struct GemmBlock {
  using T = typename X::T;
  static constexpr int NR = nrOf<X>();
  int64_t m, n, kc;
  const T* panels;  // the k block's panels
  T* C;
  int64_t ldc;
  const T* bias;    // the bias, on the last block of k only
  bool accumulate;  // every block after the first adds to C
  alignas(64) T edge[MR * NR];

  void tile(int64_t i0, int64_t jp, const T* const* rows) {
    const int64_t mr = std::min<int64_t>(MR, m - i0), j0 = jp * NR, nr = std::min<int64_t>(NR, n - j0);
    const T* b = panels + jp * kc * NR;
    const T* tileBias = bias != nullptr ? bias + j0 : nullptr;
    if (nr == NR) return microKernels<X>[size_t(mr - 1)](kc, rows, b, C + i0 * ldc + j0, ldc, accumulate, tileBias);
    microKernels<X>[size_t(mr - 1)](kc, rows, b, edge, NR, false, nullptr);
    for (int64_t i = 0; i < mr; i++)
      for (int64_t j = 0; j < nr; j++) {
        T& dst = C[(i0 + i) * ldc + j0 + j];
        const T sum = accumulate ? dst + edge[i * NR + j] : edge[i * NR + j];
        dst = tileBias != nullptr ? sum + tileBias[j] : sum;
      }
  }
};

// C's columns j0 … j1 − 1 (j0 a multiple of NR unless the product is narrow) = A·B (+ bias). Blocks of k
// outermost (their order is the sum's), then blocks of NC columns, then tiles of MR rows, then panels.
template <class X>
void gemmKernel(int64_t m, int64_t n, int64_t k, const typename X::T* A, int64_t lda, const typename X::T* packed, typename X::T* C, int64_t ldc, const typename X::T* bias,
                int64_t j0, int64_t j1) {
  using T = typename X::T;
  constexpr int NR = nrOf<X>();
  if (narrow<T>(n)) return gemmNarrow<NarrowVector<T>>(m, n, k, A, lda, packed, C, ldc, bias, nullptr, j0, j1);
  if (k == 0) {
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = j0; j < j1; j++) C[i * ldc + j] = bias != nullptr ? T(0) + bias[j] : T(0);
    return;
  }
  const int64_t panels = (n + NR - 1) / NR, firstPanel = j0 / NR, endPanel = (j1 + NR - 1) / NR;
  GemmBlock<X> block{m, n, 0, packed, C, ldc, nullptr, false, {}};
  const T* rows[MR];
  for (int64_t pc = 0; pc < k; pc += hb::KC) {
    block.kc = std::min(hb::KC, k - pc);
    block.panels = packed + pc * panels * NR;
    block.accumulate = pc > 0;
    // The bias goes in with the last block of k, after the sum is complete.
    block.bias = bias != nullptr && pc + block.kc >= k ? bias : nullptr;
    for (int64_t jc = firstPanel; jc < endPanel; jc += ncOf<X>() / NR)
      for (int64_t i0 = 0; i0 < m; i0 += MR) {
        for (int i = 0; i < MR; i++) rows[i] = A + std::min<int64_t>(i0 + i, m - 1) * lda + pc;
        for (int64_t jp = jc; jp < std::min(endPanel, jc + ncOf<X>() / NR); jp++) block.tile(i0, jp, rows);
      }
  }
}

// C = (A ⊙ A2)·B: narrow products multiply as they load their rows (no pass writing A ⊙ A2); wider ones
// multiply into a per-thread buffer first. Either way the bits of multiplying first.
template <class X>
void gemmProductKernel(int64_t m, int64_t n, int64_t k, const typename X::T* A, const typename X::T* A2, int64_t lda, const typename X::T* packed, typename X::T* C, int64_t ldc,
                       const typename X::T* bias, int64_t j0, int64_t j1) {
  using T = typename X::T;
  if (narrow<T>(n)) return gemmNarrow<NarrowVector<T>>(m, n, k, A, lda, packed, C, ldc, bias, A2, j0, j1);
  thread_local std::vector<T> product;
  product.resize(size_t(m * k));
  for (int64_t i = 0; i < m; i++)
    for (int64_t p = 0; p < k; p++) product[size_t(i * k + p)] = A[i * lda + p] * A2[i * lda + p];
  gemmKernel<X>(m, n, k, product.data(), k, packed, C, ldc, bias, j0, j1);
}
