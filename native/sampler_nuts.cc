// The no-U-turn sampler's handler: src/sampler/blocks/nuts-tree.ts operation for operation (the same
// reproducible exp and log, the same sums in the same order), so that given the same energies and
// gradients it makes the same decisions and the same bits as the reference.
// Like the reference, the trees keep every momentum's velocity M⁻¹p beside it, computed once, for the
// kinetic energy and the U-turn checks (a dense metric: one matrix-vector product a leaf beyond the move's).
//
// Chains of different tree depths: a step runs in rounds, one leapfrog step for every chain still
// building its tree. A round packs the new positions of those chains into the first rows of a batch and
// evaluates those rows alone (RunOptions::rows), so its cost follows the chains still building; chains
// whose tree is done do no work, and the step ends with the deepest tree. The per-chain work of a round
// is split into fixed blocks of chains spread over the threads. A tape whose rows depend on each other
// (an energy coupling chains) is evaluated whole, every chain at its own row, as the reference does.
#include <algorithm>
#include <cmath>
#include <memory>
#include <type_traits>

#include "philox.h"
#include "sampler.h"
#include "sampler_loop.h"

namespace hb {
namespace {

constexpr int MAX_TREE_DEPTH = 20;
constexpr double DIVERGENCE = 1000;  // an energy error above this many temperatures

int64_t uniformsPerTransition(int64_t maxDepth) { return 2 * maxDepth + (int64_t(1) << maxDepth); }

double logAddExp(double a, double b) {
  if (a == -INFINITY) return b;
  if (b == -INFINITY) return a;
  return a > b ? a + philox::log(1 + philox::exp(b - a)) : b + philox::log(1 + philox::exp(a - b));
}

double uniformAt(uint64_t seed, uint64_t stream, uint64_t index) {
  double u;
  philox::draws(false, seed, stream, index, 1, &u);
  return u;
}

// A momentum row and its velocity M⁻¹p.
struct Row {
  const double* p;
  const double* v;
};

// Rows of momenta and of their velocities (nuts-tree.ts's Momenta): with `velocities` false (the identity)
// the velocity rows are the momentum rows and v holds nothing.
struct Momenta {
  std::vector<double> p, v;
  bool velocities = false;
  void resize(int64_t n, bool own) {
    velocities = own;
    p.assign(size_t(n), 0);
    v.assign(size_t(own ? n : 0), 0);
  }
  // The velocity of row `at`: its own, or under the identity the momentum itself.
  Row row(int64_t at) const { return {p.data() + at, (velocities ? v.data() : p.data()) + at}; }
  // Row `at` of `from`'s velocities to row `to` (nothing under the identity).
  void copyVelocity(const Momenta& from, int64_t at, int64_t to, int64_t D) {
    if (velocities) std::copy(from.v.data() + at, from.v.data() + at + D, v.data() + to);
  }
  // Row `at` of `from` to row `to`, with its velocity.
  void copyMomentum(const Momenta& from, int64_t at, int64_t to, int64_t D) {
    std::copy(from.p.data() + at, from.p.data() + at + D, p.data() + to);
    copyVelocity(from, at, to, D);
  }
  // The velocity of row `at` once its momentum is final.
  void updateVelocity(const SamplerMetric& m, int64_t at, int64_t D) {
    if (!velocities) return;
    for (int64_t j = 0; j < D; j++) v[size_t(at + j)] = velocityAt(m, p.data() + at, D, j);
  }
  // pᵀM⁻¹p/2 of row `at` from its velocity: sampler_metric.h's kinetic term for term, so the same bits
  // (under the identity, that kinetic itself).
  double kinetic(const SamplerMetric& m, int64_t at, int64_t D) const {
    if (!velocities) return hb::kinetic(m, p.data() + at, D);
    const Row r = row(at);
    double k = 0;
    for (int64_t j = 0; j < D; j++) k += r.p[j] * r.v[j];
    return 0.5 * k;
  }
};

// One end of a trajectory, or a proposal: rows of position, momentum (and velocity), gradient, and an
// energy per chain. A proposal's velocity is never read.
struct Points : Momenta {
  std::vector<double> x, g, E;
  void resize(int64_t chains, int64_t D, bool own) {
    Momenta::resize(chains * D, own);
    x.assign(size_t(chains * D), 0);
    g.assign(size_t(chains * D), 0);
    E.assign(size_t(chains), 0);
  }
  void copyRow(const Points& from, int64_t c, int64_t D) {
    for (int64_t j = c * D; j < (c + 1) * D; j++) {
      x[size_t(j)] = from.x[size_t(j)];
      p[size_t(j)] = from.p[size_t(j)];
      g[size_t(j)] = from.g[size_t(j)];
    }
    E[size_t(c)] = from.E[size_t(c)];
  }
};

// Every chain's trajectory under construction (nuts-tree.ts's Trees), and the batch a round evaluates.
template <class T>
struct Trees {
  int64_t D = 0, maxDepth = 0, chains = 0;
  bool velocities = false;
  Points forward, backward, sample, proposal;
  Momenta inner, begin, initEnd;
  std::vector<double> rho, rhoInit, current, merged;
  std::vector<double> H0, logWeight, logWeightSubtree, sumAcceptance;
  std::vector<int32_t> depth, leaf, leapfrogs;
  std::vector<int8_t> direction;
  std::vector<uint8_t> divergent, building;
  std::vector<int64_t> active;  // the chains building, in index order
  std::vector<T> x, E, g;       // the round's batch
  SamplerMetric metric;         // the block's mass matrix (sampler_metric.h)

  void resize(int64_t c, int64_t d, int64_t m, bool own) {
    if (c == chains && d == D && m == maxDepth && own == velocities) return;
    chains = c, D = d, maxDepth = m, velocities = own;
    for (Points* p : {&forward, &backward}) p->resize(c, d, own);
    for (Points* p : {&sample, &proposal}) p->resize(c, d, false);
    inner.resize(c * d, own);
    for (Momenta* l : {&begin, &initEnd}) l->resize(c * (m + 1) * d, own);
    for (std::vector<double>* v : {&rho, &current, &merged}) v->assign(size_t(c * d), 0);
    rhoInit.assign(size_t(c * (m + 1) * d), 0);
    for (std::vector<double>* v : {&H0, &logWeight, &logWeightSubtree, &sumAcceptance}) v->assign(size_t(c), 0);
    for (std::vector<int32_t>* v : {&depth, &leaf, &leapfrogs}) v->assign(size_t(c), 0);
    direction.assign(size_t(c), 1);
    divergent.assign(size_t(c), 0);
    building.assign(size_t(c), 0);
    active.reserve(size_t(c));
    x.assign(size_t(c * d), T(0));
    E.assign(size_t(c), T(0));
    g.assign(size_t(c * d), T(0));
  }

  Points& extending(int64_t c) { return direction[size_t(c)] > 0 ? forward : backward; }
  int64_t level(int64_t c, int64_t l) const { return (c * (maxDepth + 1) + l) * D; }

  void startSubtree(int64_t c, double u) {
    direction[size_t(c)] = u > 0.5 ? 1 : -1;
    leaf[size_t(c)] = 0;
    logWeightSubtree[size_t(c)] = -INFINITY;
    inner.copyMomentum(extending(c), c * D, c * D, D);
  }

  void start(int64_t c, const T* x0, const T* g0, double E0, const double* z, double temperature, double u) {
    const double sqrtT = std::sqrt(temperature);
    for (Points* e : {&forward, &backward, &sample}) {
      for (int64_t j = 0; j < D; j++) {
        e->x[size_t(c * D + j)] = double(x0[j]);
        e->p[size_t(c * D + j)] = sqrtT * momentumAt(metric, z, D, j);
        e->g[size_t(c * D + j)] = double(g0[j]);
      }
      e->E[size_t(c)] = E0;
    }
    forward.updateVelocity(metric, c * D, D);
    backward.copyVelocity(forward, c * D, c * D, D);
    for (int64_t j = c * D; j < (c + 1) * D; j++) rho[size_t(j)] = sample.p[size_t(j)];
    H0[size_t(c)] = E0 + forward.kinetic(metric, c * D, D);
    logWeight[size_t(c)] = 0;
    sumAcceptance[size_t(c)] = 0;
    depth[size_t(c)] = 0;
    leapfrogs[size_t(c)] = 0;
    divergent[size_t(c)] = 0;
    building[size_t(c)] = 1;
    startSubtree(c, u);
  }

  void kickAndMove(int64_t c, double h, int64_t row) {
    Points& e = extending(c);
    const double eps = direction[size_t(c)] * h;
    const double half = 0.5 * eps;
    double* p = e.p.data() + c * D;
    // the whole half kick first: a dense M⁻¹p reads every coordinate of p
    for (int64_t i = c * D; i < (c + 1) * D; i++) e.p[size_t(i)] -= half * e.g[size_t(i)];
    for (int64_t j = 0; j < D; j++) {
      const size_t i = size_t(c * D + j);
      e.x[i] += eps * velocityAt(metric, p, D, j);
      x[size_t(row * D + j)] = T(e.x[i]);
    }
  }

  // Σⱼ (M⁻¹a)ⱼ·(b + d)ⱼ from a's kept velocity, d a momentum, or with d null Σⱼ (M⁻¹a)ⱼ·bⱼ.
  double velocityDot(const Row& a, const double* b, const Row* d) const {
    double s = 0;
    if (d == nullptr)
      for (int64_t j = 0; j < D; j++) s += a.v[j] * b[j];
    else
      for (int64_t j = 0; j < D; j++) s += a.v[j] * (b[j] + d->p[j]);
    return s;
  }

  // nuts-tree.ts's noUTurn: the merged ρ against both outer ends, and each half's ρ extended across the boundary.
  bool noUTurn(const Row& begin, const Row& initEnd, const Row& finalBegin, const Row& end, const double* rhoInit, const double* rhoFinal, const double* rho) const {
    return velocityDot(begin, rho, nullptr) > 0 && velocityDot(end, rho, nullptr) > 0 && velocityDot(begin, rhoInit, &finalBegin) > 0 &&
           velocityDot(finalBegin, rhoInit, &finalBegin) > 0 && velocityDot(initEnd, rhoFinal, &initEnd) > 0 && velocityDot(end, rhoFinal, &initEnd) > 0;
  }

  bool mergeLevels(int64_t c) {
    const Points& e = extending(c);
    const int64_t k = leaf[size_t(c)], j = depth[size_t(c)];
    const int64_t row = c * D;
    const double* pk = e.p.data() + row;
    double* cur = current.data() + row;
    double* sum = merged.data() + row;
    for (int64_t l = 1; l <= j && k % (int64_t(1) << l) == 0; l++) begin.copyMomentum(e, row, level(c, l), D);
    std::copy(pk, pk + D, cur);
    int64_t l = 1;
    for (; l <= j && (k + 1) % (int64_t(1) << l) == 0; l++) {
      const double* init = rhoInit.data() + level(c, l);
      for (int64_t i = 0; i < D; i++) sum[i] = init[i] + cur[i];
      const Row finalBegin = l == 1 ? e.row(row) : begin.row(level(c, l - 1));
      if (!noUTurn(begin.row(level(c, l)), initEnd.row(level(c, l)), finalBegin, e.row(row), init, cur, sum)) return false;
      std::copy(sum, sum + D, cur);
    }
    if (l <= j) {
      std::copy(cur, cur + D, rhoInit.data() + level(c, l));
      initEnd.copyMomentum(e, row, level(c, l), D);
    }
    return true;
  }

  bool mergeTop(int64_t c, double u) {
    const Points& e = extending(c);
    const Points& far = direction[size_t(c)] > 0 ? backward : forward;
    if (philox::log(u) < logWeightSubtree[size_t(c)] - logWeight[size_t(c)]) sample.copyRow(proposal, c, D);
    logWeight[size_t(c)] = logAddExp(logWeight[size_t(c)], logWeightSubtree[size_t(c)]);
    const int64_t row = c * D;
    double* r = rho.data() + row;
    const double* cur = current.data() + row;
    double* sum = merged.data() + row;
    for (int64_t i = 0; i < D; i++) sum[i] = r[i] + cur[i];
    const int64_t j = depth[size_t(c)];
    const Row finalBegin = j == 0 ? e.row(row) : begin.row(level(c, j));
    const bool ok = noUTurn(far.row(row), inner.row(row), finalBegin, e.row(row), r, cur, sum);
    std::copy(sum, sum + D, r);
    return ok;
  }

  // The second half of the leapfrog step from row `row` of the round's batch, and the leaf's place in the tree.
  template <class Uniform>
  void leafAt(int64_t c, double h, double temperature, int64_t row, Uniform&& uniform) {
    Points& e = extending(c);
    const double half = 0.5 * direction[size_t(c)] * h;
    e.E[size_t(c)] = double(E[size_t(row)]);
    for (int64_t j = 0; j < D; j++) {
      const size_t i = size_t(c * D + j);
      e.g[i] = double(g[size_t(row * D + j)]);
      e.p[i] -= half * e.g[i];
    }
    leapfrogs[size_t(c)] += 1;
    e.updateVelocity(metric, c * D, D);
    const double H = e.E[size_t(c)] + e.kinetic(metric, c * D, D);
    const double logW = (H0[size_t(c)] - (H == H ? H : INFINITY)) / temperature;
    sumAcceptance[size_t(c)] += logW > 0 ? 1 : philox::exp(logW);
    if (!(logW >= -DIVERGENCE)) {
      divergent[size_t(c)] = 1;
      building[size_t(c)] = 0;
      return;
    }
    const double total = logAddExp(logWeightSubtree[size_t(c)], logW);
    if (philox::log(uniform(2 * maxDepth + leapfrogs[size_t(c)] - 1)) < logW - total) proposal.copyRow(e, c, D);
    logWeightSubtree[size_t(c)] = total;
    if (!mergeLevels(c)) {
      building[size_t(c)] = 0;
      return;
    }
    leaf[size_t(c)] += 1;
    if (leaf[size_t(c)] < (int64_t(1) << depth[size_t(c)])) return;
    const bool turned = !mergeTop(c, uniform(2 * depth[size_t(c)] + 1));
    depth[size_t(c)] += 1;
    if (turned || depth[size_t(c)] >= maxDepth) {
      building[size_t(c)] = 0;
      return;
    }
    startSubtree(c, uniform(2 * depth[size_t(c)]));
  }
};

class Nuts : public SamplerHandlerOf<Nuts> {
 public:
  static constexpr const char* name = "nuts";
  static std::vector<SamplerField> fields() {
    return {{"stepSize", FieldKind::Schedule}, {"maxTreeDepth", FieldKind::Number}, {"temperature", FieldKind::Schedule}, {"momentumDraw", FieldKind::Number},
            {"uniformDraw", FieldKind::Number}, {"metric", FieldKind::Choice, metricChoices()}, {"metricAt", FieldKind::Number}};
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto n = std::make_unique<Nuts>();
    n->stepSize = r.schedule("stepSize");
    n->maxTreeDepth = r.integer("maxTreeDepth", 1, MAX_TREE_DEPTH);
    n->temperature = r.schedule("temperature");
    n->momentumDraw = r.draw("momentumDraw", r.dimension() + r.dimension() % 2);
    n->uniformDraw = r.draw("uniformDraw", uniformsPerTransition(n->maxTreeDepth));
    n->metric = r.metric("metric", "metricAt");
    positive(r, "stepSize", n->stepSize);
    positive(r, "temperature", n->temperature);
    return r.done(std::move(n));
  }
  bool needsEnergy() const override { return true; }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    if (!loop.refresh(error)) return false;
    SamplerState<T>& st = loop.state;
    const int64_t D = loop.dimension, chains = loop.chains;
    Trees<T>& w = workspace<T>();
    try {
      w.resize(chains, D, maxTreeDepth, metric.kind != SamplerMetric::IDENTITY);
      w.metric = metric;
    } catch (const std::bad_alloc&) {
      error = "out of memory allocating NUTS trees (" + std::to_string(chains) + " chains × " + std::to_string(D) + " dimensions to depth " + std::to_string(maxTreeDepth) + ")";
      return false;
    }
    const double h = stepSize.at(s.t), temperature = this->temperature.at(s.t);
    const uint64_t seed = loop.seed(), uniforms = s.base + uint64_t(uniformDraw);
    std::fill(w.building.begin(), w.building.end(), 0);
    loop.each([&](int64_t c, const double* z) {
      w.start(c, st.x + c * D, st.gradient + c * D, double(st.energy[c]), z, temperature, uniformAt(seed, loop.stream(c), uniforms));
    }, normals::Kind::Normal, int64_t(s.base) + momentumDraw);
    // Packed rows when each chain's energy reads its own row; otherwise every chain at its row, the
    // others where the reference leaves them (at their last point).
    const bool packed = loop.rowsIndependent();
    if (!packed) std::copy(st.x, st.x + chains * D, w.x.begin());
    for (;;) {
      w.active.clear();
      for (int64_t c = 0; c < chains; c++)
        if (w.building[size_t(c)]) w.active.push_back(c);
      const int64_t n = int64_t(w.active.size());
      if (n == 0) break;
      forActive(loop, w, [&](int64_t i, int64_t c) { w.kickAndMove(c, h, packed ? i : c); });
      if (!loop.evaluateRows(w.x.data(), packed ? n : chains, w.E.data(), w.g.data(), error)) return false;
      forActive(loop, w, [&](int64_t i, int64_t c) {
        w.leafAt(c, h, temperature, packed ? i : c, [&](int64_t u) { return uniformAt(seed, loop.stream(c), uniforms + uint64_t(u)); });
      });
    }
    loop.each([&](int64_t c, double*) { finish(loop, w, c); });
    return true;
  }

  SamplerSchedule stepSize, temperature;
  int64_t maxTreeDepth = 10, momentumDraw = 0, uniformDraw = 0;
  SamplerMetric metric;

 private:
  // A schedule positive at every step: its ends are (a linear, geometric or cosine path between positive
  // ends stays positive). A step size or temperature of 0 or less would make the trajectory meaningless.
  static void positive(SamplerRecord& r, const char* field, const SamplerSchedule& s) {
    if (r.ok() && !(s.a > 0 && (s.kind == 0 || s.b > 0))) r.fail(std::string(field) + ": expected a positive schedule, got one reaching " + std::to_string(s.a > 0 ? s.b : s.a));
  }

  // fn(i, c) for the i-th chain building, in fixed blocks of chains over the pool.
  template <class T, class F>
  static void forActive(SamplerLoop<T>& loop, Trees<T>& w, F&& fn) {
    const int64_t n = int64_t(w.active.size());
    const int tasks = int((n + sampler::CHAIN_BLOCK - 1) / sampler::CHAIN_BLOCK);
    Pool::shared().run(tasks, loop.threads(), [&](int task) {
      const int64_t end = std::min(n, (task + 1) * sampler::CHAIN_BLOCK);
      for (int64_t i = task * sampler::CHAIN_BLOCK; i < end; i++) fn(i, w.active[size_t(i)]);
    });
  }

  // The sample becomes chain c's state, and its transition is counted.
  template <class T>
  static void finish(SamplerLoop<T>& loop, const Trees<T>& w, int64_t c) {
    SamplerState<T>& st = loop.state;
    const int64_t D = loop.dimension;
    for (int64_t j = c * D; j < (c + 1) * D; j++) {
      st.x[j] = T(w.sample.x[size_t(j)]);
      st.p[j] = T(w.sample.p[size_t(j)]);
      st.gradient[j] = T(w.sample.g[size_t(j)]);
    }
    st.energy[c] = T(w.sample.E[size_t(c)]);
    double* row = st.trees + c * TREE_COLUMNS;
    row[0] += 1;
    row[1] += w.depth[size_t(c)];
    row[2] += w.leapfrogs[size_t(c)];
    row[3] += w.divergent[size_t(c)];
    row[4] += w.depth[size_t(c)] >= w.maxDepth ? 1 : 0;
    st.proposed[c] += 1;
    st.accepted[c] += w.sumAcceptance[size_t(c)] / w.leapfrogs[size_t(c)];
    if (!loop.finiteChain(c)) st.alive[c] = 0;
  }

  // The trees live with the decoded program (one per sampleAsync call, run on one thread), reused from
  // step to step so that a step allocates nothing once warm.
  template <class T>
  Trees<T>& workspace() const {
    if constexpr (std::is_same<T, float>::value) {
      if (!trees32_) trees32_.reset(new Trees<float>());
      return *trees32_;
    } else {
      if (!trees64_) trees64_.reset(new Trees<double>());
      return *trees64_;
    }
  }
  mutable std::unique_ptr<Trees<float>> trees32_;
  mutable std::unique_ptr<Trees<double>> trees64_;
};

}  // namespace

SamplerHandler nutsHandler() { return handler<Nuts>(); }

}  // namespace hb
