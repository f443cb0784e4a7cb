// Fused Bernoulli RBM training, the twin of src/rbm/fit.ts's reference epoch: every minibatch's positive
// phase, k block-Gibbs steps of the chains and sklearn's SGD update, epoch after epoch in one call. The
// arithmetic is the reference's, operation for operation (sums in the same order, philox::exp for the
// sigmoid, -ffp-contract=off), so the two agree bit for bit. Draws follow the gibbs block's layout: Gibbs
// step t of chain c takes uniforms t·(V+H) … of stream c, the first class drawn first.
#include "rbm.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

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

// out[r·m + j] = σ(Σ_i x[r·n + i]·M[i·m + j] + bias[j]) for rows r < R, the sum over i in order, zero units
// skipped, all rows at once (a row of M is read once). The hidden means are means(W, b, v) (n = V, m = H),
// the visible ones means(Wᵀ, a, h).
[[gnu::always_inline]] inline void means(const double* M, const double* bias, const double* x, int64_t R, int64_t n, int64_t m, double* out) {
  for (int64_t r = 0; r < R * m; r++) out[r] = 0;
  for (int64_t i = 0; i < n; i++) {
    const double* w = M + i * m;
    for (int64_t r = 0; r < R; r++) {
      const double xi = x[r * n + i];
      if (xi == 0) continue;
      double* o = out + r * m;
      for (int64_t j = 0; j < m; j++) o[j] += w[j] * xi;
    }
  }
  for (int64_t r = 0; r < R; r++) sigmoids(out + r * m, bias, m);
}
[[gnu::always_inline]] inline void hiddenMeans(const Model& m, const double* v, int64_t R, int64_t V, int64_t H, double* out) { means(m.W, m.b, v, R, V, H, out); }
[[gnu::always_inline]] inline void visibleMeans(const Model& m, const double* h, int64_t R, int64_t V, int64_t H, double* out) { means(m.WT.data(), m.a, h, R, H, V, out); }

// Heat-bath draws: x = 1 where u < p (row r's uniforms at u + r·stride).
[[gnu::always_inline]] inline void draw(const double* p, const double* u, int64_t stride, int64_t R, int64_t n, double* x) {
  for (int64_t r = 0; r < R; r++)
    for (int64_t j = 0; j < n; j++) x[r * n + j] = u[r * stride + j] < p[r * n + j] ? 1 : 0;
}

// t = Mᵀ for M of n × m, in tiles (a plain loop's strided stores cost a third of a minibatch at 64 × 64).
[[gnu::always_inline]] inline void transpose(const double* M, int64_t n, int64_t m, double* t) {
  constexpr int64_t tile = 16;
  for (int64_t i0 = 0; i0 < n; i0 += tile)
    for (int64_t j0 = 0; j0 < m; j0 += tile)
      for (int64_t j = j0; j < std::min(j0 + tile, m); j++)
        for (int64_t i = i0; i < std::min(i0 + tile, n); i++) t[j * n + i] = M[i * m + j];
}

// SGD on the minibatch's gradient, sklearn's rule: W += (lr/R)·v₊ᵀh₊ − (lr/C)·v₋ᵀh₋, a and b likewise with
// the sums of v and h. Row i of W takes the positive rows' terms in order, then the negative ones'.
// Returns Σ_i (mean v₊ − mean v₋)², the visible bias's squared gradient.
[[gnu::always_inline]] inline double update(const Config& c, Model& m, const double* vp, const double* hp, int64_t R, const double* vn, const double* hn, int64_t C) {
  const int64_t V = c.V, H = c.H;
  const double sp = c.lr / double(R), sn = c.lr / double(C);
  double gap = 0;
  for (int64_t i = 0; i < V; i++) {
    double* w = m.W + i * H;
    double pv = 0, nv = 0;
    for (int64_t r = 0; r < R; r++) {
      const double x = vp[r * V + i];
      pv += x;
      if (x == 0) continue;
      const double s = sp * x;
      for (int64_t j = 0; j < H; j++) w[j] += s * hp[r * H + j];
    }
    for (int64_t r = 0; r < C; r++) {
      const double x = vn[r * V + i];
      nv += x;
      if (x == 0) continue;
      const double s = sn * x;
      for (int64_t j = 0; j < H; j++) w[j] -= s * hn[r * H + j];
    }
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
  explicit Scratch(const Config& c)
      : vpos(size_t(c.B * c.V)), hpos(size_t(c.B * c.H)), vneg(size_t(std::max(c.B, c.C) * c.V)), hneg(size_t(std::max(c.B, c.C) * c.H)),
        hprob(hneg.size()), vprob(vneg.size()), u(size_t(std::max(c.B, c.C) * (c.V + c.H))) {}
};

// One minibatch of R rows (already in s.vpos); the persistent chains' h in `chains`. Returns the squared
// gap between the data's and the negatives' visible means, summed over units.
__attribute__((target_clones("avx512f", "avx2", "default"))) double minibatch(const Config& c, Model& m, Scratch& s, int64_t R, double* chains, uint64_t& t) {
  const int64_t V = c.V, H = c.H, n = V + H;
  hiddenMeans(m, s.vpos.data(), R, V, H, s.hpos.data());
  const int64_t C = c.persistent ? c.C : R;
  if (c.persistent) {
    // sklearn's order: v | h from the chains' h, then h | v; the negatives' h means are the last step's.
    for (int64_t step = 0; step < c.k; step++, t++) {
      normals::uniformsAcrossChains(c.seed, 0, C, t * uint64_t(n), n, s.u.data(), n);
      visibleMeans(m, chains, C, V, H, s.vprob.data());
      draw(s.vprob.data(), s.u.data(), n, C, V, s.vneg.data());
      hiddenMeans(m, s.vneg.data(), C, V, H, s.hprob.data());
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
        hiddenMeans(m, s.vneg.data(), C, V, H, s.hprob.data());
      }
      draw(s.hprob.data(), s.u.data(), n, C, H, s.hneg.data());
      visibleMeans(m, s.hneg.data(), C, V, H, s.vprob.data());
      draw(s.vprob.data(), s.u.data() + H, n, C, V, s.vneg.data());
    }
    hiddenMeans(m, s.vneg.data(), C, V, H, s.hprob.data());
  }
  return update(c, m, s.vpos.data(), s.hpos.data(), R, s.vneg.data(), s.hprob.data(), C);
}

// Every epoch's minibatch order (src/rng/permutation.ts's Fisher–Yates): epoch e's from uniforms e·N … of
// stream 2^40, which no chain uses (rbm/fit.ts's ordersOf).
void orders(const Config& c, uint32_t* order) {
  std::vector<double> u(size_t(c.N));
  for (int64_t e = 0; e < c.epochs; e++) {
    philox::draws(false, c.seed, uint64_t(1) << 40, uint64_t(e * c.N), uint64_t(c.N), u.data());
    uint32_t* o = order + e * c.N;
    for (int64_t i = 0; i < c.N; i++) o[i] = uint32_t(i);
    for (int64_t i = c.N - 1; i > 0; i--) std::swap(o[i], o[int64_t(std::floor(u[size_t(i)] * double(i + 1)))]);
  }
}

Napi::Value fail(Napi::Env env, const std::string& message, bool range = false) {
  if (range)
    Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
  else
    Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

// A Float64Array argument of `length` numbers (any length when length < 0), or nullptr and the error.
double* floats(const Napi::CallbackInfo& info, size_t at, const char* what, int64_t length, std::string& error) {
  if (!info[at].IsTypedArray() || info[at].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    error = std::string("rbmFit: ") + what + ": expected a Float64Array";
    return nullptr;
  }
  Napi::Float64Array a = info[at].As<Napi::Float64Array>();
  if (length >= 0 && int64_t(a.ElementLength()) != length) {
    error = std::string("rbmFit: ") + what + ": expected " + std::to_string(length) + " numbers, got " + std::to_string(a.ElementLength());
    return nullptr;
  }
  if (a.ElementLength() > 0 && a.Data() == nullptr) {
    error = std::string("rbmFit: ") + what + ": expected an attached buffer";
    return nullptr;
  }
  return a.Data();
}

bool wholeIn(double x, double lo, double hi) { return std::isfinite(x) && x == std::floor(x) && x >= lo && x <= hi; }

// rbmFit(config: Float64Array [N, V, H, batch, chains, k, persistent, lr, seed, epochs], data N×V, W V×H,
// a V, b H, chains chains×H, order Uint32Array epochs×N, stats Float64Array epochs): W, a, b, chains,
// order (every epoch's minibatch order, drawn here) and stats are written in place.
Napi::Value RbmFit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 8) return fail(env, "rbmFit: expected 8 arguments (config, data, W, a, b, chains, order, stats), got " + std::to_string(info.Length()));
  std::string error;
  const double* k = floats(info, 0, "config", 10, error);
  if (k == nullptr) return fail(env, error);
  const double big = 1 << 24;
  if (!wholeIn(k[0], 1, 4294967295.0) || !wholeIn(k[1], 1, big) || !wholeIn(k[2], 1, big) || !wholeIn(k[3], 1, big) || !wholeIn(k[4], k[6] == 1 ? 1 : 0, big) || !wholeIn(k[5], 1, big) ||
      !wholeIn(k[6], 0, 1) || !std::isfinite(k[7]) || !wholeIn(k[8], 0, 9007199254740991.0) || !wholeIn(k[9], 0, big))
    return fail(env, "rbmFit: config: expected whole N, V, H, batch, k ≥ 1, chains ≥ 1 (PCD) or ≥ 0 (CD), persistent 0 or 1, a finite rate, a seed and epochs ≥ 0", true);
  Config c;
  c.N = int64_t(k[0]), c.V = int64_t(k[1]), c.H = int64_t(k[2]), c.B = int64_t(k[3]), c.C = int64_t(k[4]), c.k = int64_t(k[5]);
  c.persistent = k[6] == 1, c.lr = k[7], c.seed = uint64_t(k[8]), c.epochs = int64_t(k[9]);
  if (double(c.V) * double(c.H) > big || double(c.N) * double(c.V) > 1e10 || double(c.N) * double(c.epochs) > 1e10)
    return fail(env, "rbmFit: config: expected V·H ≤ 2^24 and N·V, N·epochs ≤ 10^10", true);
  if (double(std::max(c.B, c.C)) * double(c.V + c.H) > double(1 << 28))
    return fail(env, "rbmFit: config: expected max(batch, chains) · (V + H) ≤ 2^28 (the scratch of a minibatch)", true);
  // Each buffer is read only while no error is found (a zero-length buffer's data may be null).
  const double* data = floats(info, 1, "data", c.N * c.V, error);
  double* W = error.empty() ? floats(info, 2, "W", c.V * c.H, error) : nullptr;
  double* a = error.empty() ? floats(info, 3, "a", c.V, error) : nullptr;
  double* b = error.empty() ? floats(info, 4, "b", c.H, error) : nullptr;
  double* chains = error.empty() ? floats(info, 5, "chains", c.persistent ? c.C * c.H : -1, error) : nullptr;
  double* stats = error.empty() ? floats(info, 7, "stats", c.epochs, error) : nullptr;
  if (!error.empty()) return fail(env, error, error.find("expected a Float64Array") == std::string::npos);
  if (!info[6].IsTypedArray() || info[6].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) return fail(env, "rbmFit: order: expected a Uint32Array");
  Napi::Uint32Array orderArray = info[6].As<Napi::Uint32Array>();
  if (int64_t(orderArray.ElementLength()) != c.N * c.epochs) return fail(env, "rbmFit: order: expected epochs × N indices, got " + std::to_string(orderArray.ElementLength()), true);
  uint32_t* order = orderArray.Data();
  orders(c, order);
  for (int64_t i = 0; i < c.N * c.V; i++)
    if (!(data[i] >= 0 && data[i] <= 1)) return fail(env, "rbmFit: data: expected numbers in [0, 1], got " + std::to_string(data[i]) + " at " + std::to_string(i), true);
  Model m{W, a, b, std::vector<double>(size_t(c.V * c.H))};
  transpose(W, c.V, c.H, m.WT.data());
  Scratch s(c);
  uint64_t t = 0;
  for (int64_t e = 0; e < c.epochs; e++) {
    double gap = 0;
    int64_t batches = 0;
    for (int64_t start = 0; start < c.N; start += c.B, batches++) {
      const int64_t R = std::min(c.B, c.N - start);
      for (int64_t r = 0; r < R; r++) {
        const double* row = data + int64_t(order[e * c.N + start + r]) * c.V;
        for (int64_t i = 0; i < c.V; i++) s.vpos[size_t(r * c.V + i)] = row[i];
      }
      gap += minibatch(c, m, s, R, chains, t);
    }
    stats[e] = gap / double(batches) / double(c.V);
  }
  return env.Undefined();
}

}  // namespace

void registerRbm(Napi::Env env, Napi::Object exports) { exports.Set("rbmFit", Napi::Function::New(env, RbmFit)); }

}  // namespace hb
