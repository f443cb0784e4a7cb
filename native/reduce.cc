// Reductions on shaped operands (shaped.h): sum and logsumexp, over one contiguous range of axes with
// short extents as constants, or along any axes by the reference's row-major walk. Every output adds
// its inputs in the same order on every path, so the bits never depend on the path.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "shaped.h"

namespace hb {

namespace {

// Reduced axes that form one contiguous range view x as [outer, R, inner] (y as [outer, inner]); each
// output still sums its R inputs in increasing order from 0, as the row-major walk of the reference does.
bool reductionRange(const Instruction& ins, const Shape& xs, int64_t& outer, int64_t& R, int64_t& inner) {
  if (ins.axes.empty() || ins.axes.back() - ins.axes.front() + 1 != int(ins.axes.size())) return false;
  outer = R = inner = 1;
  for (int i = 0; i < int(xs.size()); i++) {
    if (i < ins.axes.front()) outer *= xs[i];
    else if (i > ins.axes.back()) inner *= xs[i];
    else R *= xs[i];
  }
  return true;
}

// logsumexp over [outer, R, inner] walks chunks of outputs; RC is the reduced extent as a constant (0: not
// known), LAST that the reduced axes are the last (inner 1). Constants let the loops over a row unroll and
// the loops over outputs vectorise; every output still takes its maximum, then adds its exponentials in
// order from 0.
template <int64_t RC, bool LAST>
struct LogsumexpShape {
  int64_t R, inner;
  int64_t row() const { return RC > 0 ? RC : R; }
  int64_t in() const { return LAST ? 1 : inner; }
};

// A chunk's working arrays, per thread (reused from call to call). Plain pointers: through the
// thread_local vectors every access would look the thread's block up again.
template <class T>
struct LogsumexpScratch {
  T* m;  // the maxima
  T* s;  // the sums
  T* d;  // x − m, then the logarithms of the sums
  T* e;  // the exponentials (the kernels' operands never alias their outputs)
  char* nan;  // whether an output's inputs hold a NaN
  static LogsumexpScratch take(int64_t chunk, int64_t per, int64_t inner) {
    thread_local std::vector<T> m, s, d, e;
    thread_local std::vector<char> nan;
    m.resize(chunk * inner), s.resize(chunk * inner), nan.resize(chunk * inner);
    d.resize(chunk * per), e.resize(chunk * per);
    return {m.data(), s.data(), d.data(), e.data(), nan.data()};
  }
};

// Each output's maximum over its row, and whether the row holds a NaN.
template <int64_t RC, bool LAST, class T>
void chunkMaxima(LogsumexpShape<RC, LAST> z, const T* xc, int64_t co, T* m, char* nan) {
  const int64_t r1 = z.row(), in = z.in();
  if constexpr (LAST) {
    // The running maximum stays in a register.
    for (int64_t o = 0; o < co; o++) {
      T mo = -std::numeric_limits<T>::infinity();
      char no = 0;
      for (int64_t r = 0; r < r1; r++) {
        T v = xc[o * r1 + r];
        no |= char(v != v);
        mo = v > mo ? v : mo;
      }
      m[o] = mo;
      nan[o] = no;
    }
  } else {
    for (int64_t t = 0; t < co * in; t++) {
      m[t] = -std::numeric_limits<T>::infinity();
      nan[t] = 0;
    }
    for (int64_t o = 0; o < co; o++)
      for (int64_t r = 0; r < r1; r++)
        for (int64_t i = 0; i < in; i++) {
          T v = xc[(o * r1 + r) * in + i];
          int64_t t = o * in + i;
          nan[t] |= char(v != v);
          m[t] = v > m[t] ? v : m[t];
        }
  }
}

// Σ e^(x − m) of each output, its terms added in order from 0. float32 takes e^x from the kernels'
// vectorised exp over the whole chunk (within 2.6 ulp); float64 keeps libm's exp, so its bits are
// unchanged. The sum is only used where the maximum is finite (else the result is m or NaN), so it is
// taken for every output without a branch.
template <int64_t RC, bool LAST, class T>
void chunkSums(LogsumexpShape<RC, LAST> z, const KernelTable<T>& K, const T* xc, int64_t co, const LogsumexpScratch<T>& w) {
  const int64_t r1 = z.row(), in = z.in(), per = r1 * in;
  for (int64_t o = 0; o < co; o++)
    for (int64_t r = 0; r < r1; r++)
      for (int64_t i = 0; i < in; i++) w.d[(o * r1 + r) * in + i] = xc[(o * r1 + r) * in + i] - w.m[o * in + i];
  if constexpr (std::is_same<T, float>::value) K.unary(EXP, 0, w.d, w.e, co * per);
  else
    for (int64_t j = 0; j < co * per; j++) w.e[j] = std::exp(w.d[j]);
  for (int64_t o = 0; o < co; o++)
    for (int64_t i = 0; i < in; i++) {
      T acc = T(0);
      for (int64_t r = 0; r < r1; r++) acc += w.e[(o * r1 + r) * in + i];
      w.s[o * in + i] = acc;
    }
}

// m + log Σ per output, the chunk's logarithms in one kernel call (vectorised in float32, within 0.8 ulp;
// libm in float64); NaN where an input was, m where the maximum is infinite.
template <class T>
void chunkResults(const KernelTable<T>& K, int64_t n, const LogsumexpScratch<T>& w, T* yc) {
  K.unary(LOG, 0, w.s, w.d, n);
  for (int64_t t = 0; t < n; t++) yc[t] = w.nan[t] ? std::numeric_limits<T>::quiet_NaN() : std::isfinite(w.m[t]) ? w.m[t] + w.d[t] : w.m[t];
}

template <int64_t RC, bool LAST, class T>
void logsumexpChunks(LogsumexpShape<RC, LAST> z, const KernelTable<T>& K, const T* x, T* y, int64_t outer) {
  const int64_t per = z.row() * z.in();
  const int64_t chunk = std::max<int64_t>(1, 512 / per);
  const LogsumexpScratch<T> w = LogsumexpScratch<T>::take(chunk, per, z.in());
  for (int64_t o0 = 0; o0 < outer; o0 += chunk) {
    const int64_t co = std::min(chunk, outer - o0);
    const T* xc = x + o0 * per;
    chunkMaxima(z, xc, co, w.m, w.nan);
    chunkSums(z, K, xc, co, w);
    chunkResults(K, co * z.in(), w, y + o0 * z.in());
  }
}

// logsumexp over [outer, R, inner]: per output the maximum (NaN noted), Σ e^(x − m) in order, m + log Σ.
template <class T>
void logsumexpRange(const KernelTable<T>& K, const T* x, T* y, int64_t outer, int64_t R, int64_t inner) {
  if (R * inner == 0) {
    for (int64_t t = 0; t < outer * inner; t++) y[t] = -std::numeric_limits<T>::infinity();
    return;
  }
  if (inner != 1) return logsumexpChunks(LogsumexpShape<0, false>{R, inner}, K, x, y, outer);
  switch (R) {
    case 2: return logsumexpChunks(LogsumexpShape<2, true>{R, 1}, K, x, y, outer);
    case 4: return logsumexpChunks(LogsumexpShape<4, true>{R, 1}, K, x, y, outer);
    case 8: return logsumexpChunks(LogsumexpShape<8, true>{R, 1}, K, x, y, outer);
    default: return logsumexpChunks(LogsumexpShape<0, true>{R, 1}, K, x, y, outer);
  }
}

// sum over [outer, R, inner]: each output adds its inputs in order from 0. A small inner extent (a
// constant, so the loops unroll) keeps an output's partial sums in registers; a large one walks chunks
// of outputs that fit in L1 with r outermost, vectorised across the outputs.
template <class T>
void sumRange(const T* x, T* y, int64_t outer, int64_t R, int64_t inner) {
  auto run = [&](auto extent) {
    constexpr int64_t N = decltype(extent)::value;
    if constexpr (N == 1) {
      // The last axis: with a short reduced extent as a constant too, the loop over outputs vectorises
      // (interleaved loads), each lane adding its output's inputs in order from 0.
      auto last = [&](auto extent) {
        constexpr int64_t M = decltype(extent)::value;
        const int64_t r1 = M > 0 ? M : R;
        for (int64_t o = 0; o < outer; o++) {
          T acc = T(0);
          for (int64_t r = 0; r < r1; r++) acc += x[o * r1 + r];
          y[o] = acc;
        }
      };
      switch (R) {
        case 2: return last(std::integral_constant<int64_t, 2>());
        case 4: return last(std::integral_constant<int64_t, 4>());
        case 8: return last(std::integral_constant<int64_t, 8>());
        default: return last(std::integral_constant<int64_t, 0>());
      }
    } else if constexpr (N > 0) {
      for (int64_t o = 0; o < outer; o++) {
        const T* xo = x + o * R * N;
        T acc[N];
        for (int64_t i = 0; i < N; i++) acc[i] = T(0);
        for (int64_t r = 0; r < R; r++)
          for (int64_t i = 0; i < N; i++) acc[i] += xo[r * N + i];
        for (int64_t i = 0; i < N; i++) y[o * N + i] = acc[i];
      }
    } else {
      const int64_t chunk = std::max<int64_t>(1, 256 / std::max<int64_t>(inner, 1));
      for (int64_t o0 = 0; o0 < outer; o0 += chunk) {
        const int64_t co = std::min(chunk, outer - o0);
        const T* xc = x + o0 * R * inner;
        T* yc = y + o0 * inner;
        for (int64_t t = 0; t < co * inner; t++) yc[t] = T(0);
        for (int64_t r = 0; r < R; r++)
          for (int64_t o = 0; o < co; o++)
            for (int64_t i = 0; i < inner; i++) yc[o * inner + i] += xc[(o * R + r) * inner + i];
      }
    }
  };
  switch (inner) {
    case 1: return run(std::integral_constant<int64_t, 1>());
    case 2: return run(std::integral_constant<int64_t, 2>());
    case 3: return run(std::integral_constant<int64_t, 3>());
    case 4: return run(std::integral_constant<int64_t, 4>());
    case 8: return run(std::integral_constant<int64_t, 8>());
    default: return run(std::integral_constant<int64_t, 0>());
  }
}

// The walk of the reference kernel over x for reductions along any axes: output strides over the
// input's axes, 0 along reduced ones, so every output element takes its inputs in row-major order.
struct ReductionWalk {
  const Shape& xs;
  std::vector<int64_t> os, none;
  int64_t step;  // the output stride along the last axis (0 when it is reduced)

  ReductionWalk(const Instruction& ins, const Shape& shape) : xs(shape), none(shape.size(), 0) {
    const size_t rank = xs.size();
    std::vector<char> reduced(rank, 0);
    for (int a : ins.axes) reduced[a] = 1;
    Shape kept(rank);
    for (size_t i = 0; i < rank; i++) kept[i] = reduced[i] ? 1 : xs[i];
    os = stridesOf(kept);
    for (size_t i = 0; i < rank; i++)
      if (reduced[i]) os[i] = 0;
    step = rank ? os[rank - 1] : 0;
  }
  // f(o, k, len): the run of inputs k … k + len − 1, whose outputs are o, o + step, …
  template <class F>
  void operator()(F f) const {
    int64_t k = 0;
    walkRuns(xs, os, none, [&](int64_t o, int64_t, int64_t, int64_t len) {
      f(o, k, len);
      k += len;
    });
  }
};

template <class T>
void sumWalk(const ReductionWalk& walk, const T* x, T* y, int64_t ySize) {
  std::fill(y, y + ySize, T(0));
  walk([&](int64_t o, int64_t k, int64_t len) {
    if (walk.step == 0) {
      T acc = y[o];
      for (int64_t j = 0; j < len; j++) acc += x[k + j];
      y[o] = acc;
    } else {
      for (int64_t j = 0; j < len; j++) y[o + j] += x[k + j];
    }
  });
}

// logsumexp: the maximum (NaN noted), then Σ e^(x − m), as the reference does.
template <class T>
void logsumexpWalk(const ReductionWalk& walk, const T* x, T* y, int64_t ySize) {
  std::vector<T> m(ySize, -std::numeric_limits<T>::infinity());
  std::vector<char> nan(ySize, 0);
  const int64_t step = walk.step;
  walk([&](int64_t o, int64_t k, int64_t len) {
    for (int64_t j = 0; j < len; j++) {
      T v = x[k + j];
      int64_t t = o + j * step;
      if (v != v) nan[t] = 1;
      else if (v > m[t]) m[t] = v;
    }
  });
  std::fill(y, y + ySize, T(0));
  walk([&](int64_t o, int64_t k, int64_t len) {
    for (int64_t j = 0; j < len; j++) {
      int64_t t = o + j * step;
      if (std::isfinite(m[t])) y[t] += std::exp(x[k + j] - m[t]);
    }
  });
  for (int64_t t = 0; t < ySize; t++) y[t] = nan[t] ? std::numeric_limits<T>::quiet_NaN() : std::isfinite(m[t]) ? m[t] + std::log(y[t]) : m[t];
}

}  // namespace

template <class T>
void reduceShaped(const KernelTable<T>& K, const Instruction& ins, const T* x, const Shape& xs, T* y, int64_t ySize) {
  int64_t outer, R, inner;
  if (reductionRange(ins, xs, outer, R, inner)) {
    if (ins.op == SUM) return sumRange(x, y, outer, R, inner);
    if (inner == 1 && K.logsumexpRows(x, y, outer, R)) return;
    return logsumexpRange(K, x, y, outer, R, inner);
  }
  const ReductionWalk walk(ins, xs);
  if (ins.op == SUM) return sumWalk(walk, x, y, ySize);
  logsumexpWalk(walk, x, y, ySize);
}

template void reduceShaped<float>(const KernelTable<float>&, const Instruction&, const float*, const Shape&, float*, int64_t);
template void reduceShaped<double>(const KernelTable<double>&, const Instruction&, const double*, const Shape&, double*, int64_t);

}  // namespace hb
