// A part of kernels_impl.h: chains of elementwise steps run in registers, as threaded code. Included inside that file's anonymous
// namespace, once per instruction set; not a header of its own.

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
