// Fused Bernoulli RBM training, the twin of src/rbm/fit.ts's reference epoch: every minibatch's positive
// phase, k block-Gibbs steps of the chains and sklearn's SGD update, epoch after epoch in one call. The
// arithmetic is the reference's, operation for operation (sums in the same order, philox::exp for the
// sigmoid, -ffp-contract=off), so the two agree bit for bit. Draws follow the gibbs block's layout: Gibbs
// step t of chain c takes uniforms t·(V+H) … of stream c, the first class drawn first.
#include "rbm.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "napi_args.h"
#include "normals.h"
#include "philox.h"

namespace hb {
namespace {

struct Config {
  int64_t N = 0, V = 0, H = 0, B = 0, C = 0, k = 0, epochs = 0;
  bool persistent = true;
  double lr = 0;
  uint64_t seed = 0;
};

struct Model {
  double *W, *a, *b;
  std::vector<double> WT;  // Wᵀ (H × V), so that v | h sums run along contiguous rows
};

// f[j] ← σ(f[j] + bias[j]) = 1 / (1 + exp(−(f[j] + bias[j]))) with philox::exp's operations, in lanes
// (philox::expInside) when every argument is in [−708, 708]; philox::exp itself otherwise.
[[gnu::always_inline]] inline void sigmoids(double* f, const double* bias, int64_t n) {
  bool inside = true;
  for (int64_t j = 0; j < n; j++) inside = inside & (-(f[j] + bias[j]) >= -708) & (-(f[j] + bias[j]) <= 708);
  if (!inside) {
    for (int64_t j = 0; j < n; j++) f[j] = 1 / (1 + philox::exp(-(f[j] + bias[j])));
    return;
  }
  for (int64_t j = 0; j < n; j++) f[j] = 1 / (1 + philox::expInside(-(f[j] + bias[j])));
}

// Four lanes: on AVX2 and AVX-512 alike the fastest width here (eight 64-byte lanes cost AVX2 a stack
// round trip per operation). The vectors never cross a call (everything taking one is inlined), so the
// ABI note about passing them does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"
using d4 = double __attribute__((vector_size(32)));
using i4 = long long __attribute__((vector_size(32)));
[[gnu::always_inline]] inline d4 load4(const double* p) {
  d4 v;
  std::memcpy(&v, p, 32);
  return v;
}
[[gnu::always_inline]] inline void store4(double* p, d4 v) { std::memcpy(p, &v, 32); }

// The terms of a sum of scaled rows: row k is rows[k], its factor coef[k].
struct Terms {
  std::vector<const double*> rows;
  std::vector<double> coef;
};

// acc[j0 + j] += Σ_k coef[k]·rows[k][j0 + j] for j < 4·K, k in order: the 4·K sums stay in registers over
// all k (a row of acc read and written once), each sum still taken in the reference's order.
template <int K>
[[gnu::always_inline]] inline void accumulateBlock(double* acc, const double* const* rows, const double* coef, int64_t count, int64_t j0) {
  d4 s[K];
  for (int l = 0; l < K; l++) s[l] = load4(acc + j0 + 4 * l);
  for (int64_t k = 0; k < count; k++) {
    const double* row = rows[k] + j0;
    const double c = coef[k];
    for (int l = 0; l < K; l++) s[l] += load4(row + 4 * l) * c;
  }
  for (int l = 0; l < K; l++) store4(acc + j0 + 4 * l, s[l]);
}
[[gnu::always_inline]] inline void accumulate(double* acc, int64_t m, const Terms& t, int64_t count) {
  const double* const* rows = t.rows.data();
  const double* coef = t.coef.data();
  int64_t j = 0;
  for (; j + 32 <= m; j += 32) accumulateBlock<8>(acc, rows, coef, count, j);
  for (; j + 4 <= m; j += 4) accumulateBlock<1>(acc, rows, coef, count, j);
  for (; j < m; j++) {
    double s = acc[j];
    for (int64_t k = 0; k < count; k++) s += rows[k][j] * coef[k];
    acc[j] = s;
  }
}

// out[r·m + j] = σ(Σ_i x[r·n + i]·M[i·m + j] + bias[j]) for rows r < R, the sum over i in order, zero units
// skipped. The hidden means are means(W, b, v) (n = V, m = H), the visible ones means(Wᵀ, a, h).
[[gnu::always_inline]] inline void means(const double* M, const double* bias, const double* x, int64_t R, int64_t n, int64_t m, Terms& t, double* out) {
  for (int64_t r = 0; r < R; r++) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++) {
      const double xi = x[r * n + i];
      t.rows[size_t(count)] = M + i * m;
      t.coef[size_t(count)] = xi;
      count += xi != 0;
    }
    double* o = out + r * m;
    for (int64_t j = 0; j < m; j++) o[j] = 0;
    accumulate(o, m, t, count);
    sigmoids(o, bias, m);
  }
}
[[gnu::always_inline]] inline void hiddenMeans(const Model& m, const double* v, int64_t R, int64_t V, int64_t H, Terms& t, double* out) { means(m.W, m.b, v, R, V, H, t, out); }
[[gnu::always_inline]] inline void visibleMeans(const Model& m, const double* h, int64_t R, int64_t V, int64_t H, Terms& t, double* out) { means(m.WT.data(), m.a, h, R, H, V, t, out); }

// Heat-bath draws: x = 1 where u < p (row r's uniforms at u + r·stride).
[[gnu::always_inline]] inline void draw(const double* p, const double* u, int64_t stride, int64_t R, int64_t n, double* x) {
  for (int64_t r = 0; r < R; r++)
    for (int64_t j = 0; j < n; j++) x[r * n + j] = u[r * stride + j] < p[r * n + j] ? 1 : 0;
}

// t = Mᵀ for M of n × m. With AVX2, 4 × 4 blocks transposed in registers, a column of blocks at a time
// (each row of t written along); without it, scalar 16 × 16 tiles (the shuffles are slow there).
__attribute__((target("avx2"))) void transpose(const double* M, int64_t n, int64_t m, double* t) {
  const int64_t n4 = n - n % 4, m4 = m - m % 4;
  for (int64_t j0 = 0; j0 < m4; j0 += 4)
    for (int64_t i0 = 0; i0 < n4; i0 += 4) {
      const d4 r0 = load4(M + i0 * m + j0), r1 = load4(M + (i0 + 1) * m + j0), r2 = load4(M + (i0 + 2) * m + j0), r3 = load4(M + (i0 + 3) * m + j0);
      const d4 s0 = __builtin_shuffle(r0, r1, i4{0, 4, 2, 6}), s1 = __builtin_shuffle(r0, r1, i4{1, 5, 3, 7});
      const d4 s2 = __builtin_shuffle(r2, r3, i4{0, 4, 2, 6}), s3 = __builtin_shuffle(r2, r3, i4{1, 5, 3, 7});
      store4(t + j0 * n + i0, __builtin_shuffle(s0, s2, i4{0, 1, 4, 5}));
      store4(t + (j0 + 1) * n + i0, __builtin_shuffle(s1, s3, i4{0, 1, 4, 5}));
      store4(t + (j0 + 2) * n + i0, __builtin_shuffle(s0, s2, i4{2, 3, 6, 7}));
      store4(t + (j0 + 3) * n + i0, __builtin_shuffle(s1, s3, i4{2, 3, 6, 7}));
    }
  for (int64_t i = 0; i < n; i++)
    for (int64_t j = i < n4 ? m4 : 0; j < m; j++) t[j * n + i] = M[i * m + j];
}
__attribute__((target("default"))) void transpose(const double* M, int64_t n, int64_t m, double* t) {
  constexpr int64_t tile = 16;
  for (int64_t i0 = 0; i0 < n; i0 += tile)
    for (int64_t j0 = 0; j0 < m; j0 += tile)
      for (int64_t j = j0; j < std::min(j0 + tile, m); j++)
        for (int64_t i = i0; i < std::min(i0 + tile, n); i++) t[j * n + i] = M[i * m + j];
}

// SGD on the minibatch's gradient, sklearn's rule: W += (lr/R)·v₊ᵀh₊ − (lr/C)·v₋ᵀh₋, a and b likewise with
// the sums of v and h. Row i of W takes the positive rows' terms in order, then the negative ones'.
// Returns Σ_i (mean v₊ − mean v₋)², the visible bias's squared gradient.
[[gnu::always_inline]] inline double update(const Config& c, Model& m, const double* vp, const double* hp, int64_t R, const double* vn, const double* hn, int64_t C, Terms& t) {
  const int64_t V = c.V, H = c.H;
  const double sp = c.lr / double(R), sn = c.lr / double(C);
  double gap = 0;
  for (int64_t i = 0; i < V; i++) {
    double pv = 0, nv = 0;
    int64_t count = 0;
    for (int64_t r = 0; r < R; r++) {
      const double x = vp[r * V + i];
      pv += x;
      t.rows[size_t(count)] = hp + r * H;
      t.coef[size_t(count)] = sp * x;
      count += x != 0;
    }
    // w − s·h is w + (−s)·h exactly, so the negative terms join the same sum.
    for (int64_t r = 0; r < C; r++) {
      const double x = vn[r * V + i];
      nv += x;
      t.rows[size_t(count)] = hn + r * H;
      t.coef[size_t(count)] = -(sn * x);
      count += x != 0;
    }
    accumulate(m.W + i * H, H, t, count);
    m.a[i] += sp * pv - sn * nv;
    const double d = pv / double(R) - nv / double(C);
    gap += d * d;
  }
  for (int64_t j = 0; j < H; j++) {
    double ph = 0, nh = 0;
    for (int64_t r = 0; r < R; r++) ph += hp[r * H + j];
    for (int64_t r = 0; r < C; r++) nh += hn[r * H + j];
    m.b[j] += sp * ph - sn * nh;
  }
  transpose(m.W, V, H, m.WT.data());
  return gap;
}

struct Scratch {
  std::vector<double> vpos, hpos, vneg, hneg, hprob, vprob, u;
  Terms terms;
  explicit Scratch(const Config& c)
      : vpos(size_t(c.B * c.V)), hpos(size_t(c.B * c.H)), vneg(size_t(std::max(c.B, c.C) * c.V)), hneg(size_t(std::max(c.B, c.C) * c.H)),
        hprob(hneg.size()), vprob(vneg.size()), u(size_t(std::max(c.B, c.C) * (c.V + c.H))) {
    const size_t terms = size_t(std::max(std::max(c.V, c.H), c.B + std::max(c.B, c.C)));
    this->terms.rows.resize(terms);
    this->terms.coef.resize(terms);
  }
};

// One minibatch of R rows (already in s.vpos); the persistent chains' h in `chains`. Returns the squared
// gap between the data's and the negatives' visible means, summed over units.
__attribute__((target_clones("avx512f", "avx2", "default"))) double minibatch(const Config& c, Model& m, Scratch& s, int64_t R, double* chains, uint64_t& t) {
  const int64_t V = c.V, H = c.H, n = V + H;
  hiddenMeans(m, s.vpos.data(), R, V, H, s.terms, s.hpos.data());
  const int64_t C = c.persistent ? c.C : R;
  if (c.persistent) {
    // sklearn's order: v | h from the chains' h, then h | v; the negatives' h means are the last step's.
    for (int64_t step = 0; step < c.k; step++, t++) {
      normals::uniformsAcrossChains(c.seed, 0, C, t * uint64_t(n), n, s.u.data(), n);
      visibleMeans(m, chains, C, V, H, s.terms, s.vprob.data());
      draw(s.vprob.data(), s.u.data(), n, C, V, s.vneg.data());
      hiddenMeans(m, s.vneg.data(), C, V, H, s.terms, s.hprob.data());
      draw(s.hprob.data(), s.u.data() + V, n, C, H, chains);
    }
  } else {
    // CD-k: chains start at the batch; h | v, then v | h; the negatives' h means from the last v.
    for (int64_t i = 0; i < R * V; i++) s.vneg[size_t(i)] = s.vpos[size_t(i)];
    for (int64_t step = 0; step < c.k; step++, t++) {
      normals::uniformsAcrossChains(c.seed, 0, C, t * uint64_t(n), n, s.u.data(), n);
      if (step == 0) {
        for (int64_t i = 0; i < R * H; i++) s.hprob[size_t(i)] = s.hpos[size_t(i)];
      } else {
        hiddenMeans(m, s.vneg.data(), C, V, H, s.terms, s.hprob.data());
      }
      draw(s.hprob.data(), s.u.data(), n, C, H, s.hneg.data());
      visibleMeans(m, s.hneg.data(), C, V, H, s.terms, s.vprob.data());
      draw(s.vprob.data(), s.u.data() + H, n, C, V, s.vneg.data());
    }
    hiddenMeans(m, s.vneg.data(), C, V, H, s.terms, s.hprob.data());
  }
  return update(c, m, s.vpos.data(), s.hpos.data(), R, s.vneg.data(), s.hprob.data(), C, s.terms);
}

// Epoch e's minibatch order (src/rng/permutation.ts's Fisher–Yates, rbm/epoch.ts's epochOrder): from
// uniforms e·N … of stream 2^40, which no chain uses. u is scratch of N numbers.
void epochOrder(const Config& c, int64_t e, double* u, uint32_t* order) {
  philox::draws(false, c.seed, uint64_t(1) << 40, uint64_t(e * c.N), uint64_t(c.N), u);
  for (int64_t i = 0; i < c.N; i++) order[i] = uint32_t(i);
  for (int64_t i = c.N - 1; i > 0; i--) std::swap(order[i], order[int64_t(std::floor(u[size_t(i)] * double(i + 1)))]);
}

// A fit's checked arguments: the buffers are JavaScript's, held by `keep` until the worker is done.
struct Fit {
  Config c;
  const double* data = nullptr;
  double *W = nullptr, *a = nullptr, *b = nullptr, *chains = nullptr, *stats = nullptr;
  const volatile int32_t* cancel = nullptr;
  std::vector<Napi::Reference<Napi::Value>> keep;
};

// Whole epochs; `epochDone(e, gap)` after each. False when the cancel flag was raised (it is read between
// minibatches).
template <class EpochDone>
bool run(Fit& f, EpochDone epochDone) {
  const Config& c = f.c;
  std::vector<double> u(size_t(c.N));
  std::vector<uint32_t> order(size_t(c.N));
  Model m{f.W, f.a, f.b, std::vector<double>(size_t(c.V * c.H))};
  transpose(f.W, c.V, c.H, m.WT.data());
  Scratch s(c);
  uint64_t t = 0;
  for (int64_t e = 0; e < c.epochs; e++) {
    epochOrder(c, e, u.data(), order.data());
    double gap = 0;
    int64_t batches = 0;
    for (int64_t start = 0; start < c.N; start += c.B, batches++) {
      if (*f.cancel != 0) return false;
      const int64_t R = std::min(c.B, c.N - start);
      for (int64_t r = 0; r < R; r++) {
        const double* row = f.data + int64_t(order[size_t(start + r)]) * c.V;
        for (int64_t i = 0; i < c.V; i++) s.vpos[size_t(r * c.V + i)] = row[i];
      }
      gap += minibatch(c, m, s, R, f.chains, t);
    }
    f.stats[e] = gap / double(batches) / double(c.V);
    epochDone(e, f.stats[e]);
  }
  return true;
}

// A typed array argument of `type` and `length` elements (any length when length < 0), held in f.keep;
// nullptr and the error (a TypeError's when `type` is wrong) otherwise.
void* borrow(const Napi::CallbackInfo& info, size_t at, const char* what, napi_typedarray_type type, const char* typeName, int64_t length, Fit& f, std::string& error, bool& typeError) {
  ArrayFault fault;
  uint8_t* data = typedData(info[at], type, length, fault);
  typeError = fault == ArrayFault::TYPE;
  const std::string where = std::string("rbmFit: ") + what + ": ";
  if (fault == ArrayFault::TYPE) error = where + "expected " + typeName;
  if (fault == ArrayFault::LENGTH) error = where + "expected " + std::to_string(length) + " numbers, got " + std::to_string(info[at].As<Napi::TypedArray>().ElementLength());
  if (fault == ArrayFault::DETACHED) error = where + "expected an attached buffer";
  if (fault != ArrayFault::NONE) return nullptr;
  f.keep.push_back(Napi::Persistent(info[at]));
  return data;
}

bool wholeIn(double x, double lo, double hi) { return std::isfinite(x) && x == std::floor(x) && x >= lo && x <= hi; }

// The sizes and rule from config [N, V, H, batch, chains, k, persistent, lr, seed, epochs]; false and the
// error when one is out of range.
bool configOf(const double* k, Config& c, std::string& error) {
  const double big = 1 << 24;
  if (!wholeIn(k[0], 1, 4294967295.0) || !wholeIn(k[1], 1, big) || !wholeIn(k[2], 1, big) || !wholeIn(k[3], 1, big) || !wholeIn(k[4], k[6] == 1 ? 1 : 0, big) || !wholeIn(k[5], 1, big) ||
      !wholeIn(k[6], 0, 1) || !std::isfinite(k[7]) || !wholeIn(k[8], 0, 9007199254740991.0) || !wholeIn(k[9], 0, big)) {
    error = "rbmFit: config: expected whole N, V, H, batch, k ≥ 1, chains ≥ 1 (PCD) or ≥ 0 (CD), persistent 0 or 1, a finite rate, a seed and epochs ≥ 0";
    return false;
  }
  c.N = int64_t(k[0]), c.V = int64_t(k[1]), c.H = int64_t(k[2]), c.B = int64_t(k[3]), c.C = int64_t(k[4]), c.k = int64_t(k[5]);
  c.persistent = k[6] == 1, c.lr = k[7], c.seed = uint64_t(k[8]), c.epochs = int64_t(k[9]);
  if (double(c.V) * double(c.H) > big || double(c.N) * double(c.V) > 1e10 || double(c.N) * double(c.epochs) > 9007199254740991.0) {
    error = "rbmFit: config: expected V·H ≤ 2^24, N·V ≤ 10^10 and N·epochs ≤ 2^53";
    return false;
  }
  if (double(std::max(c.B, c.C)) * double(c.V + c.H) > double(1 << 28)) {
    error = "rbmFit: config: expected max(batch, chains) · (V + H) ≤ 2^28 (the scratch of a minibatch)";
    return false;
  }
  return true;
}

// Checks the arguments (config, data, W, a, b, chains, stats, cancel[, onEpoch]) into f; false and
// the error otherwise (typeError: a wrong type rather than a bad value).
bool parse(const Napi::CallbackInfo& info, Fit& f, std::string& error, bool& typeError) {
  typeError = true;
  if (info.Length() != 8 && info.Length() != 9) {
    error = "rbmFit: expected 8 or 9 arguments (config, data, W, a, b, chains, stats, cancel[, onEpoch]), got " + std::to_string(info.Length());
    return false;
  }
  const auto* k = static_cast<const double*>(borrow(info, 0, "config", napi_float64_array, "a Float64Array", 10, f, error, typeError));
  if (k == nullptr) return false;
  typeError = false;
  if (!configOf(k, f.c, error)) return false;
  const Config& c = f.c;
  // Each buffer is read only while no error is found (a zero-length buffer's data may be null).
  auto floats = [&](size_t at, const char* what, int64_t length) { return static_cast<double*>(borrow(info, at, what, napi_float64_array, "a Float64Array", length, f, error, typeError)); };
  f.data = floats(1, "data", c.N * c.V);
  if (error.empty()) f.W = floats(2, "W", c.V * c.H);
  if (error.empty()) f.a = floats(3, "a", c.V);
  if (error.empty()) f.b = floats(4, "b", c.H);
  if (error.empty()) f.chains = floats(5, "chains", c.persistent ? c.C * c.H : -1);
  if (error.empty()) f.stats = floats(6, "stats", c.epochs);
  if (error.empty()) f.cancel = static_cast<const volatile int32_t*>(borrow(info, 7, "cancel", napi_int32_array, "an Int32Array", 1, f, error, typeError));
  if (!error.empty()) return false;
  if (info.Length() == 9 && !info[8].IsFunction() && !info[8].IsUndefined()) {
    typeError = true;
    error = "rbmFit: onEpoch: expected a function or undefined";
    return false;
  }
  for (int64_t i = 0; i < c.N * c.V; i++)
    if (!(f.data[i] >= 0 && f.data[i] <= 1)) {
      error = "rbmFit: data: expected numbers in [0, 1], got " + std::to_string(f.data[i]) + " at " + std::to_string(i);
      return false;
    }
  return true;
}

// Runs a fit on the addon's worker thread; each epoch's (epoch, gap) goes to onEpoch on the main thread.
class FitWorker : public Napi::AsyncProgressQueueWorker<double> {
 public:
  FitWorker(Napi::Env env, std::unique_ptr<Fit> f, Napi::Value onEpoch)
      : Napi::AsyncProgressQueueWorker<double>(env), f_(std::move(f)), deferred_(Napi::Promise::Deferred::New(env)) {
    if (onEpoch.IsFunction()) onEpoch_ = Napi::Persistent(onEpoch.As<Napi::Function>());
  }
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute(const ExecutionProgress& progress) override {
    const bool report = !onEpoch_.IsEmpty();
    try {
      const bool done = run(*f_, [&](int64_t e, double gap) {
        const double record[2] = {double(e), gap};
        if (report) progress.Send(record, 2);
      });
      if (!done) SetError("cancelled");
    } catch (const std::bad_alloc&) {
      SetError("out of memory for the scratch of " + std::to_string(f_->c.N) + " rows");
    }
  }
  void OnProgress(const double* record, size_t count) override {
    if (count != 2 || onEpoch_.IsEmpty()) return;
    Napi::Env env = Env();
    onEpoch_.Call({Napi::Number::New(env, record[0]), Napi::Number::New(env, record[1])});
    // The caller's wrapper catches its own errors; one that escapes anyway must not leak into Node's loop.
    if (env.IsExceptionPending()) env.GetAndClearPendingException();
  }
  void OnOK() override {
    f_->keep.clear();
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    f_->keep.clear();
    Napi::Error err = Napi::Error::New(Env(), "rbmFit: " + e.Message());
    if (e.Message() == "cancelled") err.Set("name", Napi::String::New(Env(), "AbortError"));
    deferred_.Reject(err.Value());
  }

 private:
  std::unique_ptr<Fit> f_;
  Napi::FunctionReference onEpoch_;
  Napi::Promise::Deferred deferred_;
};

// rbmFit(config: Float64Array [N, V, H, batch, chains, k, persistent, lr, seed, epochs], data N×V, W V×H,
// a V, b H, chains chains×H, stats Float64Array epochs, cancel Int32Array 1[, onEpoch(epoch, gap)]) → a
// promise, settled when the fit ends: W, a, b, chains and stats are written in place meanwhile. Bad arguments throw at once;
// cancel[0] ≠ 0 stops the fit before its next minibatch, and the promise rejects with an AbortError.
Napi::Value RbmFit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto f = std::make_unique<Fit>();
  std::string error;
  bool typeError = false;
  if (!parse(info, *f, error, typeError)) {
    if (typeError)
      Napi::TypeError::New(env, error).ThrowAsJavaScriptException();
    else
      Napi::RangeError::New(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* w = new FitWorker(env, std::move(f), info.Length() == 9 ? info[8] : env.Undefined());
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

}  // namespace

void registerRbm(Napi::Env env, Napi::Object exports) { exports.Set("rbmFit", Napi::Function::New(env, RbmFit)); }

}  // namespace hb
