// Elementwise and layout ops on shaped operands (shaped.h): broadcasting binary ops with the last two
// axes as plain loops, broadcast, transpose, slice, concat, and the dispatch of executeShaped.
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "shaped.h"

namespace hb {

std::vector<int64_t> stridesOf(const Shape& s) {
  std::vector<int64_t> r(s.size());
  int64_t acc = 1;
  for (size_t i = s.size(); i-- > 0;) {
    r[i] = acc;
    acc *= s[i];
  }
  return r;
}

std::vector<int64_t> broadcastStrides(const Shape& from, const Shape& to) {
  std::vector<int64_t> s = stridesOf(from), r(to.size(), 0);
  size_t off = to.size() - from.size();
  for (size_t i = off; i < to.size(); i++) r[i] = from[i - off] == 1 ? 0 : s[i - off];
  return r;
}

namespace {

// One operand's row of N0 elements repeated down a block of `inner` elements against the other operand's
// contiguous block ([B,1,k] − [1,m,k]); `rowFirst`: the row is f's first operand. The row goes as vectors
// (its pattern repeats every lcm(k, lanes) elements) against plain vector loads of the other operand,
// lane by lane the same operation on the same operands; else one flat loop, the row indexed modulo k.
template <int64_t N0, class T, class F>
void repeatedRow(const T* row, const T* full, T* ry, int64_t inner, bool rowFirst, F f) {
  typedef T V __attribute__((vector_size(16)));
  typedef T U __attribute__((vector_size(16), aligned(sizeof(T))));
  constexpr int64_t L = int64_t(16 / sizeof(T));
  constexpr int64_t P = N0 % L == 0 ? N0 / L : 1;  // pattern vectors
  if ((N0 % L == 0 || L % N0 == 0) && inner % (P * L) == 0) {
    V pattern[P];
    for (int64_t v = 0; v < P; v++)
      for (int64_t l = 0; l < L; l++) pattern[v][l] = row[(v * L + l) % N0];
    for (int64_t i = 0; i < inner; i += P * L)
      for (int64_t v = 0; v < P; v++) {
        const V w = *reinterpret_cast<const U*>(full + i + v * L);
        *reinterpret_cast<U*>(ry + i + v * L) = rowFirst ? f(pattern[v], w) : f(w, pattern[v]);
      }
    return;
  }
  if (rowFirst)
    for (int64_t i = 0; i < inner; i++) ry[i] = f(row[i % N0], full[i]);
  else
    for (int64_t i = 0; i < inner; i++) ry[i] = f(full[i], row[i % N0]);
}

// y = f(a, b) over the broadcast shape ys, with the last two axes as plain strided loops inside one walk
// over the others: a row-local [B,1,k] against a [1,m,k] constant walks B runs of m×k elements with
// the arithmetic inline, not B·m runs of k through the kernel table. Each element is the same single
// operation on the same operands as in any other walk, so the bits never depend on the path.
template <class T, class F>
void broadcastLoop(const T* a, const std::vector<int64_t>& sa, const T* b, const std::vector<int64_t>& sb, T* y, const Shape& ys, F f) {
  const size_t rank = ys.size();
  if (rank < 2) {
    const int64_t n = rank ? ys[0] : 1, a0 = rank ? sa[0] : 0, b0 = rank ? sb[0] : 0;
    for (int64_t i = 0; i < n; i++) y[i] = f(a[i * a0], b[i * b0]);
    return;
  }
  const int64_t n1 = ys[rank - 2], n0 = ys[rank - 1], inner = n1 * n0;
  const int64_t a1 = sa[rank - 2], a0 = sa[rank - 1], b1 = sb[rank - 2], b0 = sb[rank - 1];
  if (inner == 0) return;
  thread_local Shape outer;
  thread_local std::vector<int64_t> oa, ob;
  outer.assign(ys.begin(), ys.end() - 1);
  outer.back() = 1;
  oa.assign(sa.begin(), sa.end() - 1);
  oa.back() = 0;
  ob.assign(sb.begin(), sb.end() - 1);
  ob.back() = 0;
  // The last axis's extent, and each operand's stride along it where it is 0 or 1, as constants: the loop
  // over a row then unrolls into straight code with plain (or broadcast) loads.
  auto walk = [&](auto extent, auto strideA, auto strideB) {
    constexpr int64_t N0 = decltype(extent)::value, SA = decltype(strideA)::value, SB = decltype(strideB)::value;
    const int64_t m0 = N0 > 0 ? N0 : n0, s0 = SA >= 0 ? SA : a0, t0 = SB >= 0 ? SB : b0;
    // One operand's row repeated down the block against the other's contiguous block (repeatedRow).
    const bool rowA = N0 > 0 && SA == 1 && SB == 1 && a1 == 0 && b1 == N0;
    const bool rowB = N0 > 0 && SA == 1 && SB == 1 && b1 == 0 && a1 == N0;
    walkRuns(outer, oa, ob, [&](int64_t pa, int64_t pb, int64_t po, int64_t) {
      const T* ra = a + pa;
      const T* rb = b + pb;
      T* ry = y + po * inner;
      if constexpr (N0 > 0)
        if (rowA || rowB) return repeatedRow<N0>(rowA ? ra : rb, rowA ? rb : ra, ry, inner, rowA, f);
      for (int64_t i1 = 0; i1 < n1; i1++) {
        const T* ua = ra + i1 * a1;
        const T* ub = rb + i1 * b1;
        T* uy = ry + i1 * m0;
        for (int64_t i0 = 0; i0 < m0; i0++) uy[i0] = f(ua[i0 * s0], ub[i0 * t0]);
      }
    });
  };
  using Any = std::integral_constant<int64_t, -1>;
  using Zero = std::integral_constant<int64_t, 0>;
  using One = std::integral_constant<int64_t, 1>;
  auto strides = [&](auto extent) {
    if (a0 == 1 && b0 == 1) return walk(extent, One(), One());
    if (a0 == 1 && b0 == 0) return walk(extent, One(), Zero());
    if (a0 == 0 && b0 == 1) return walk(extent, Zero(), One());
    if (a0 == 0 && b0 == 0) return walk(extent, Zero(), Zero());
    return walk(extent, Any(), Any());
  };
  switch (n0) {
    case 1: return walk(std::integral_constant<int64_t, 1>(), Any(), Any());
    case 2: return strides(std::integral_constant<int64_t, 2>());
    case 3: return strides(std::integral_constant<int64_t, 3>());
    case 4: return strides(std::integral_constant<int64_t, 4>());
    case 8: return strides(std::integral_constant<int64_t, 8>());
    default: return strides(Zero());
  }
}

template <class T>
void binaryShaped(const KernelTable<T>& K, int op, const T* a, const Shape& as, const T* b, const Shape& bs, T* y, const Shape& ys) {
  int64_t n = sizeOf(ys);
  if (as == bs) return K.binary(op, a, b, y, n, 0);
  if (sizeOf(bs) == 1 && as == ys) return K.binary(op, a, b, y, n, 1);
  if (sizeOf(as) == 1 && bs == ys) return K.binary(op, a, b, y, n, 2);
  thread_local std::vector<int64_t> sa, sb;
  sa = broadcastStrides(as, ys);
  sb = broadcastStrides(bs, ys);
  // withBinary's callables are generic: broadcastLoop applies them to scalars and to vectors of T.
  withBinary(op, [&](auto f) { broadcastLoop(a, sa, b, sb, y, ys, f); });
}

template <class T>
void broadcastShaped(const T* x, const Shape& xs, T* y, const Shape& ys) {
  thread_local std::vector<int64_t> s;
  s = broadcastStrides(xs, ys);
  broadcastLoop(x, s, x, s, y, ys, [](auto u, auto) { return u; });
}

template <class T>
void transposeShaped(const std::vector<int>& perm, const T* x, const Shape& xs, T* y, const Shape& ys) {
  if (ys.size() == 2 && perm[0] == 1) {
    // Matrices (Wᵀ in every derivative) in 16×16 tiles, so that reads and writes both stay in cache lines.
    const int64_t rows = ys[0], cols = ys[1];
    for (int64_t i0 = 0; i0 < rows; i0 += 16)
      for (int64_t j0 = 0; j0 < cols; j0 += 16)
        for (int64_t i = i0; i < std::min(rows, i0 + 16); i++)
          for (int64_t j = j0; j < std::min(cols, j0 + 16); j++) y[i * cols + j] = x[j * rows + i];
    return;
  }
  std::vector<int64_t> strides = stridesOf(xs), s(ys.size()), none(ys.size(), 0);
  for (size_t i = 0; i < ys.size(); i++) s[i] = strides[perm[i]];
  int64_t inner = ys.empty() ? 0 : s.back();
  walkRuns(ys, s, none, [&](int64_t o, int64_t, int64_t k, int64_t len) {
    for (int64_t j = 0; j < len; j++) y[k + j] = x[o + j * inner];
  });
}

// Extents before and after `axis`, as the outer and inner counts of a [outer, extent, inner] view.
void aroundAxis(const Shape& s, int axis, int64_t& outer, int64_t& inner) {
  outer = inner = 1;
  for (size_t i = axis + 1; i < s.size(); i++) inner *= s[i];
  for (int i = 0; i < axis; i++) outer *= s[i];
}

template <class T>
void sliceShaped(const Instruction& ins, const T* x, const Shape& xs, T* y) {
  int64_t outer, inner;
  aroundAxis(xs, ins.axis, outer, inner);
  int64_t len = int64_t(ins.end - ins.start) * inner;
  for (int64_t o = 0; o < outer && len; o++) std::memcpy(y + o * len, x + o * xs[ins.axis] * inner + ins.start * inner, sizeof(T) * len);
}

template <class T>
void concatShaped(const Instruction& ins, const T* const* args, const Shape* argShapes, T* y, const Shape& ys) {
  int64_t outer, inner;
  aroundAxis(ys, ins.axis, outer, inner);
  int64_t row = ys[ins.axis] * inner, at = 0;
  for (size_t j = 0; j < ins.args.size(); j++) {
    int64_t len = argShapes[j][ins.axis] * inner;
    for (int64_t o = 0; o < outer && len; o++) std::memcpy(y + o * row + at, args[j] + o * len, sizeof(T) * len);
    at += len;
  }
}

}  // namespace

template <class T>
void executeShaped(const KernelTable<T>& K, const Instruction& ins, const T* const* args, const Shape* argShapes, T* y, const Shape& ys) {
  int op = ins.op;
  int64_t n = sizeOf(ys);
  if (isUnary(op)) return K.unary(op, ins.exponent, args[0], y, n);
  if (isBinary(op)) return binaryShaped(K, op, args[0], argShapes[0], args[1], argShapes[1], y, ys);
  switch (op) {
    case SUM:
    case LOGSUMEXP: return reduceShaped(K, ins, args[0], argShapes[0], y, n);
    case RESHAPE:
      if (n) std::memcpy(y, args[0], sizeof(T) * n);
      return;
    case BROADCAST: return broadcastShaped(args[0], argShapes[0], y, ys);
    case TRANSPOSE: return transposeShaped(ins.perm, args[0], argShapes[0], y, ys);
    case SLICE: return sliceShaped(ins, args[0], argShapes[0], y);
    case CONCAT: return concatShaped(ins, args, argShapes, y, ys);
  }
}

template void executeShaped<float>(const KernelTable<float>&, const Instruction&, const float* const*, const Shape*, float*, const Shape&);
template void executeShaped<double>(const KernelTable<double>&, const Instruction&, const double* const*, const Shape*, double*, const Shape&);

}  // namespace hb
