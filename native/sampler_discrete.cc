// The discrete blocks' handlers: the flips (sampler_flips.cc) and, here, gibbs and wolff (instructions
// gaussianGibbs and wolff), in the order of their reference steps in src/sampler/blocks/gibbs.ts and
// wolff.ts: the same draws and decisions bit for bit, whatever the thread count.
#include "sampler_units.h"

namespace hb {
namespace discrete {
namespace {

// One layer of a Gaussian–Bernoulli RBM's joint drawn given the other (gaussianGibbs of gibbs.ts): block 0
// v | h ~ N(a + σWh, σ²T/scale) from the D normals at draw; block 1 h | v Bernoulli, unit j deciding
// with uniform draw + j. The sums and products in gibbs.ts's order, for the same bits.
class GaussianGibbs : public SamplerHandlerOf<GaussianGibbs> {
 public:
  static constexpr const char* name = "gaussianGibbs";
  static Fields fields() {
    return {{"block", FieldKind::Number},  {"temperature", FieldKind::Schedule}, {"draw", FieldKind::Number},   {"visible", FieldKind::Number},
            {"hidden", FieldKind::Number}, {"sigma", FieldKind::Number},         {"scale", FieldKind::Number},  {"weights", FieldKind::Number},
            {"visibleBias", FieldKind::Number}, {"hiddenBias", FieldKind::Number}};
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto g = std::make_unique<GaussianGibbs>();
    const int64_t D = r.dimension();
    g->block = r.integer("block", 0, 1);
    g->temperature = r.schedule("temperature");
    g->visible = r.integer("visible", 1, D);
    g->hidden = r.integer("hidden", 1, D);
    g->sigma = r.number("sigma");
    g->scale = r.number("scale");
    g->weights = r.integer("weights", 1, 1 << 20);
    g->visibleBias = r.integer("visibleBias", 1, 1 << 20);
    g->hiddenBias = r.integer("hiddenBias", 1, 1 << 20);
    if (!r.ok()) return nullptr;
    if (g->visible + g->hidden != D) r.fail("expected " + std::to_string(D) + " visible and hidden units, got " + std::to_string(g->visible) + " + " + std::to_string(g->hidden));
    if (!(g->sigma > 0) || !std::isfinite(g->sigma)) r.fail("expected a positive sigma, got " + std::to_string(g->sigma));
    if (!(g->scale > 0) || !std::isfinite(g->scale)) r.fail("expected a positive scale, got " + std::to_string(g->scale));
    if (!r.ok()) return nullptr;
    g->draw = r.draw("draw", g->block == 0 ? D + D % 2 : g->hidden);
    return r.done(std::move(g));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    const int64_t D = loop.dimension, V = visible, H = hidden;
    const T *W = nullptr, *a = nullptr, *b = nullptr;
    if (!bindFeed(loop, weights, V * H, "the joint's weights", W, error) || !bindFeed(loop, visibleBias, V, "the joint's visible bias", a, error) ||
        !bindFeed(loop, hiddenBias, H, "the joint's hidden bias", b, error))
      return false;
    const double T_ = temperature.at(s.t);
    SamplerState<T>& st = loop.state;
    if (block == 0) {
      const double sd = sigma * std::sqrt(T_ / scale);
      loop.each([&](int64_t c, const double* z) {
        T* x = st.x + c * D;
        for (int64_t i = 0; i < V; i++) {
          double m = 0;
          for (int64_t j = 0; j < H; j++) m += double(W[i * H + j]) * double(x[V + j]);
          x[i] = T((double(a[i]) + sigma * m) + sd * z[i]);
        }
      }, normals::Kind::Normal, int64_t(s.base) + draw);
    } else {
      loop.each([&](int64_t c, double*) {
        const double* u = uniformsOf(loop, c, s.base + uint64_t(draw), H);
        T* x = st.x + c * D;
        for (int64_t j = 0; j < H; j++) {
          double f = 0;
          for (int64_t i = 0; i < V; i++) f += double(W[i * H + j]) * double(x[i]);
          x[V + j] = T(decide(HEAT_BATH, scale * (f / sigma + double(b[j])), double(x[V + j]), 0, 1, T_, u[j]));
        }
      });
    }
    loop.moved();
    return true;
  }

  int64_t block = 0, draw = 0, visible = 1, hidden = 1, weights = 1, visibleBias = 1, hiddenBias = 1;
  double sigma = 1, scale = 1;
  SamplerSchedule temperature;
};

// One Wolff cluster a chain (wolff.ts): grown depth first from a drawn seed unit across satisfied bonds,
// bond b tested with draw + 2 + b, then flipped if the field's part passes its test (draw + 1).
class Wolff : public SamplerHandlerOf<Wolff> {
 public:
  static constexpr const char* name = "wolff";
  static Fields fields() {
    Fields f{{"temperature", FieldKind::Schedule}, {"draw", FieldKind::Number}};
    for (SamplerField& u : unitFields()) f.push_back(u);
    return f;
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto w = std::make_unique<Wolff>();
    w->temperature = r.schedule("temperature");
    w->units.decode(r);
    if (!r.ok()) return nullptr;
    const Units& u = w->units;
    const int64_t D = r.dimension();
    if (u.low != -1) r.fail("a cluster flip needs spins");
    const int64_t bonds = u.kind == LATTICE ? 4 * D : u.kind == DENSE ? D * (D - 1) : 2 * u.rows * u.columns;
    w->draw = r.draw("draw", 2 + bonds);
    return r.done(std::move(w));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    Units::Bound<T> p;
    if (!units.bind(loop, p, error)) return false;
    const int64_t D = loop.dimension;
    const double temp = temperature.at(s.t);
    SamplerState<T>& st = loop.state;
    const uint64_t seed = loop.seed(), at = s.base + uint64_t(draw);
    loop.each([&](int64_t c, double*) {
      Scratch& w = scratch();
      w.inCluster.assign(size_t(D), 0);
      w.cluster.clear();
      w.stack.clear();
      T* x = st.x + c * D;
      double lastJ = NAN, add = 0;
      StreamDraws uniform(seed, loop.stream(c));
      const int64_t first = unitOf(uniform(at), D);
      w.inCluster[size_t(first)] = 1;
      w.cluster.push_back(first);
      w.stack.push_back(first);
      while (!w.stack.empty()) {
        const int64_t i = w.stack.back();
        w.stack.pop_back();
        const double si = double(x[i]);
        units.forEachBond(p, D, i, [&](int64_t j, double J, int64_t bond) {
          if (w.inCluster[size_t(j)] || !(J * si * double(x[j]) > 0)) return;
          // A lattice's bonds share one coupling: its probability is computed once.
          if (J != lastJ) {
            lastJ = J;
            add = 1 - philox::exp(-((2 * std::fabs(J)) / temp));
          }
          if (uniform(at + 2 + uint64_t(bond)) < add) {
            w.inCluster[size_t(j)] = 1;
            w.cluster.push_back(j);
            w.stack.push_back(j);
          }
        });
      }
      double dE = 0;
      for (int64_t i : w.cluster) dE += 2 * units.unitBias(p, i) * double(x[i]);
      st.proposed[c] += 1;
      if (!(dE <= 0 || uniform(at + 1) < philox::exp(-(dE / temp)))) return;
      st.accepted[c] += 1;
      for (int64_t i : w.cluster) x[i] = T(-double(x[i]));
    });
    loop.moved();
    return true;
  }

  int64_t draw = 0;
  SamplerSchedule temperature;
  Units units;
};

}  // namespace
}  // namespace discrete

std::vector<SamplerHandler> discreteHandlers() {
  std::vector<SamplerHandler> all = discrete::flipHandlers();
  all.push_back(handler<discrete::GaussianGibbs>());
  all.push_back(handler<discrete::Wolff>());
  return all;
}

}  // namespace hb
