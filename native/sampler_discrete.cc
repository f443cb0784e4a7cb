// The discrete blocks' handlers (heatBath, metropolisFlips, gibbs, descent, wolff: their instructions
// flipSites, flipBlock, flipDifferences, gaussianGibbs and wolff), in the order of their reference steps in
// src/sampler/blocks/flips.ts and wolff.ts, local fields as src/energy/structure.ts computes them, and
// exp as src/rng/math.ts's (philox::exp): the same decisions bit for bit, whatever the thread count.
#include <memory>

#include "philox.h"
#include "sampler.h"
#include "sampler_loop.h"

namespace hb {
namespace {

using Fields = std::vector<SamplerField>;

enum Rule { HEAT_BATH, METROPOLIS, DESCENT };  // the order of ruleChoices
enum Kind { LATTICE, DENSE, BIPARTITE };       // the order of the structure choices
const std::vector<std::string> ruleChoices{"heatBath", "metropolis", "descent"};
const std::vector<std::string> orderChoices{"random", "sequential"};

Fields unitFields() {
  return {{"domain", FieldKind::Choice, {"binary", "spins"}}, {"structure", FieldKind::Choice, {"lattice", "dense", "bipartite"}},
          {"rows", FieldKind::Number}, {"columns", FieldKind::Number}, {"coupling", FieldKind::Number}, {"field", FieldKind::Number},
          {"scale", FieldKind::Number}, {"weights", FieldKind::Number}, {"bias", FieldKind::Number}, {"hiddenBias", FieldKind::Number}};
}

// Uniform draws of one chain's stream by index (src/rng/uniform.ts's `uniform`), keeping the last Philox
// block: a unit's bonds are consecutive draws, two to a block.
class StreamDraws {
 public:
  StreamDraws(uint64_t seed, uint64_t chain) : seed_(seed), chain_(chain) {}
  double operator()(uint64_t index) {
    if (index / 2 != block_) {
      block_ = index / 2;
      philox::streamBlock(seed_, chain_, block_, w_);
    }
    return index % 2 == 0 ? philox::uniformFromWords(w_[0], w_[1]) : philox::uniformFromWords(w_[2], w_[3]);
  }

 private:
  uint64_t seed_, chain_, block_ = ~uint64_t(0);
  uint32_t w_[4] = {};
};

inline int64_t unitOf(double u, int64_t D) { return std::min<int64_t>(D - 1, int64_t(std::floor(u * double(D)))); }

// decide of flips.ts: a unit's new value from its gain g = E(low) − E(high).
inline double decide(Rule rule, double g, double s, double low, double high, double T, double u) {
  if (rule == HEAT_BATH) return u < 1 / (1 + philox::exp(-(g / T))) ? high : low;
  if (rule == METROPOLIS) {
    const double dE = s == low ? -g : g;
    return dE <= 0 || u < philox::exp(-(dE / T)) ? low + high - s : s;
  }
  return g > 0 ? high : g < 0 ? low : s;
}

// A parameter of the run by feed, checked to hold `length` numbers.
template <class T>
bool bindFeed(const SamplerLoop<T>& loop, int64_t feed, int64_t length, const char* what, const T*& out, std::string& error) {
  int64_t have = -1;
  out = loop.feed(feed, have);
  if (out != nullptr && have == length) return true;
  error = std::string("program: ") + what + " (feed " + std::to_string(feed) + ") must be a parameter of " + std::to_string(length) + " numbers";
  return false;
}

// The units of a structure and where its parameters are; `bind` finds them among the run's feeds.
struct Units {
  double low = -1, high = 1;
  Kind kind = LATTICE;
  int64_t rows = 0, columns = 0;  // a lattice's sides; a bipartite model's visible and hidden counts
  double coupling = 0, field = 0, scale = 1;
  int64_t weights = -1, bias = -1, hiddenBias = -1;
  std::vector<int32_t> around;  // a lattice's neighbours: up, down, left, right of each unit

  void decode(SamplerRecord& r) {
    low = r.choice("domain") == 0 ? 0 : -1;
    high = 1;
    kind = Kind(r.choice("structure"));
    const int64_t D = r.dimension();
    rows = r.integer("rows", -1, D);
    columns = r.integer("columns", -1, D);
    coupling = r.number("coupling");
    field = r.number("field");
    scale = r.number("scale");
    weights = r.integer("weights", -1, 1 << 20);
    bias = r.integer("bias", -1, 1 << 20);
    hiddenBias = r.integer("hiddenBias", -1, 1 << 20);
    if (!r.ok()) return;
    if (!(scale > 0)) r.fail("expected a positive scale, got " + std::to_string(scale));
    if (kind == LATTICE && !(rows >= 1 && columns >= 1 && rows * columns == D)) r.fail("expected a lattice of " + std::to_string(D) + " units, got " + std::to_string(rows) + " × " + std::to_string(columns));
    if (kind == BIPARTITE && !(rows >= 1 && columns >= 1 && rows + columns == D)) r.fail("expected " + std::to_string(D) + " visible and hidden units, got " + std::to_string(rows) + " + " + std::to_string(columns));
    if (kind != LATTICE && (weights < 0 || bias < 0 || (kind == BIPARTITE && hiddenBias < 0))) r.fail("expected the feeds of the structure's parameters");
    if (kind == LATTICE && r.ok()) {
      // A lattice's neighbours, once: the inner loops then read them instead of dividing.
      around.resize(size_t(4 * D));
      for (int64_t i = 0; i < D; i++) {
        const int64_t r0 = i / columns, c = i - r0 * columns;
        around[size_t(4 * i)] = int32_t((r0 == 0 ? rows - 1 : r0 - 1) * columns + c);
        around[size_t(4 * i + 1)] = int32_t((r0 == rows - 1 ? 0 : r0 + 1) * columns + c);
        around[size_t(4 * i + 2)] = int32_t(r0 * columns + (c == 0 ? columns - 1 : c - 1));
        around[size_t(4 * i + 3)] = int32_t(r0 * columns + (c == columns - 1 ? 0 : c + 1));
      }
    }
  }

  // The parameters of a run, checked against the lengths the structure needs.
  template <class T>
  struct Bound {
    const T *W = nullptr, *b = nullptr, *c = nullptr;
  };
  template <class T>
  bool bind(const SamplerLoop<T>& loop, Bound<T>& p, std::string& error) const {
    if (kind == LATTICE) return true;
    const int64_t D = loop.dimension;
    const int64_t V = kind == DENSE ? D : rows, H = kind == DENSE ? D : columns;
    if (!bindFeed(loop, weights, V * H, "the structure's weights", p.W, error) || !bindFeed(loop, bias, V, "the structure's bias", p.b, error)) return false;
    return kind == DENSE || bindFeed(loop, hiddenBias, H, "the structure's hidden bias", p.c, error);
  }

  // fᵢ = −∂E/∂sᵢ of unit i of the configuration x (localField of structure.ts).
  template <class T>
  double localField(const Bound<T>& p, const T* x, int64_t D, int64_t i) const {
    if (kind == LATTICE) {
      int64_t n[4];
      neighbours(i, n);
      return scale * (coupling * (((double(x[n[0]]) + double(x[n[1]])) + double(x[n[2]])) + double(x[n[3]])) + field);
    }
    double f = 0;
    if (kind == DENSE) {
      for (int64_t j = 0; j < D; j++) f += double(p.W[i * D + j]) * double(x[j]);
      return scale * (f + double(p.b[i]));
    }
    const int64_t V = rows, H = columns;
    if (i < V) {
      for (int64_t j = 0; j < H; j++) f += double(p.W[i * H + j]) * double(x[V + j]);
      return scale * (f + double(p.b[i]));
    }
    const int64_t k = i - V;
    for (int64_t v = 0; v < V; v++) f += double(p.W[v * H + k]) * double(x[v]);
    return scale * (f + double(p.c[k]));
  }

  // A lattice unit's neighbours: up, down, left, right.
  void neighbours(int64_t i, int64_t n[4]) const {
    for (int k = 0; k < 4; k++) n[k] = around[size_t(4 * i + k)];
  }

  // forEachBond of structure.ts: fn(j, J, bond) for unit i's bonds in its order.
  template <class T, class F>
  void forEachBond(const Bound<T>& p, int64_t D, int64_t i, F&& fn) const {
    if (kind == LATTICE) {
      int64_t n[4];
      neighbours(i, n);
      for (int k = 0; k < 4; k++) fn(n[k], scale * coupling, 4 * i + k);
      return;
    }
    if (kind == DENSE) {
      for (int64_t j = 0, k = 0; j < D; j++)
        if (j != i) fn(j, scale * double(p.W[i * D + j]), i * (D - 1) + k++);
      return;
    }
    const int64_t V = rows, H = columns;
    if (i < V) {
      for (int64_t j = 0; j < H; j++) fn(V + j, scale * double(p.W[i * H + j]), i * H + j);
    } else {
      for (int64_t v = 0; v < V; v++) fn(v, scale * double(p.W[v * H + (i - V)]), V * H + (i - V) * V + v);
    }
  }

  // unitBias of structure.ts.
  template <class T>
  double unitBias(const Bound<T>& p, int64_t i) const {
    if (kind == LATTICE) return scale * field;
    if (kind == DENSE) return scale * double(p.b[i]);
    return scale * (i < rows ? double(p.b[i]) : double(p.c[i - rows]));
  }
};

// The scratch of one thread: uniforms, gains, a cluster.
struct Scratch {
  std::vector<double> gains;
  std::vector<uint8_t> inCluster;
  std::vector<int64_t> cluster, stack;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// Chain c's `count` uniforms from draw `start` of its stream. They are drawn for a few chains at once (the
// lanes of acrossStreams are chains) and kept in the thread's cache, which each() then reads chain by chain
// in increasing order; the values are pure functions of (seed, chain, draw), so the cache never changes them.
template <class T>
const double* uniformsOf(const SamplerLoop<T>& loop, int64_t c, uint64_t start, int64_t count) {
  struct Batch {
    uint64_t seed = 0, start = 0;
    int64_t count = -1, first = -1, n = 0;
    std::vector<double> u;
  };
  thread_local Batch b;
  if (count == 0) return nullptr;
  const int64_t g = int64_t(loop.stream(c));  // the cache is keyed by stream: blocks of chains share a thread
  if (!(b.seed == loop.seed() && b.start == start && b.count == count && g >= b.first && g < b.first + b.n)) {
    b.seed = loop.seed();
    b.start = start;
    b.count = count;
    b.first = g;
    b.n = std::min<int64_t>(loop.chains - c, std::max<int64_t>(1, std::min<int64_t>(8, 16384 / count)));
    if (int64_t(b.u.size()) < b.n * count) b.u.resize(size_t(b.n * count));
    normals::acrossStreams(normals::Kind::Uniform, b.seed, uint64_t(g), b.n, start, count, b.u.data(), count);
  }
  return b.u.data() + (g - b.first) * count;
}

// The decisions of a lattice's units, tabulated: a unit's gain takes one of five values (its four
// neighbours' sum), so the thresholds a uniform is compared with are computed once a step, by the same
// operations as decide(): the same decisions, without an exp a unit.
struct LatticeRule {
  // The new value of a unit with k high neighbours, currently `before`, given the uniform u.
  double operator()(int k, double before, double u) const {
    if (rule == HEAT_BATH) return u < up[k] ? high : low;
    const int i = before == low ? 0 : 1;
    return always[k][i] || u < accept[k][i] ? low + high - before : before;
  }
  void set(Rule r, const Units& units, double T) {
    rule = r;
    low = units.low;
    high = units.high;
    for (int k = 0; k <= 4; k++) {
      const double sum = 4 * low + k * (high - low);  // a sum of four unit values: exact in any order
      const double g = units.scale * (units.coupling * sum + units.field) * (high - low);
      up[k] = 1 / (1 + philox::exp(-(g / T)));
      for (int i = 0; i < 2; i++) {
        const double dE = i == 0 ? -g : g;
        always[k][i] = dE <= 0;
        accept[k][i] = philox::exp(-(dE / T));
      }
    }
  }
  // The number of high neighbours of unit i, from their sum.
  static int highNeighbours(double sum, double low, double high) { return int((sum - 4 * low) / (high - low)); }

  Rule rule = HEAT_BATH;
  double low = -1, high = 1;
  double up[5] = {}, accept[5][2] = {};
  bool always[5][2] = {};
};

// How a handler decides a unit's value: by its lattice's tabulated rule, or by decide() from its gain.
// prepare() reads what the decision needs from the state (the number of high neighbours, or the gain), so
// that a colour class can read all of its units before any of them moves.
struct Decider {
  Decider(Rule r, const Units& u, double T) : rule(r), units(u), temp(T), tabulated(u.kind == LATTICE && r != DESCENT) {
    if (tabulated) table.set(r, u, T);
  }
  template <class T>
  double prepare(const Units::Bound<T>& p, const T* x, int64_t D, int64_t i) const {
    if (!tabulated) return units.localField(p, x, D, i) * (units.high - units.low);
    int64_t n[4];
    units.neighbours(i, n);
    return double(LatticeRule::highNeighbours(((double(x[n[0]]) + double(x[n[1]])) + double(x[n[2]])) + double(x[n[3]]), units.low, units.high));
  }
  double operator()(double prepared, double before, double u) const {
    return tabulated ? table(int(prepared), before, u) : decide(rule, prepared, before, units.low, units.high, temp, u);
  }

  const Rule rule;
  const Units& units;
  const double temp;
  const bool tabulated;
  LatticeRule table;
};

inline void count(double* proposed, double* accepted, int64_t c, bool flipped) {
  proposed[c] += 1;
  if (flipped) accepted[c] += 1;
}

// The temperature of a rule at step t (descent has none).
inline double temperatureAt(Rule rule, const SamplerSchedule& T, int64_t t) { return rule == DESCENT ? 0 : T.at(t); }

// D single-unit updates from local fields, in random or sequential order.
class FlipSites : public SamplerHandlerOf<FlipSites> {
 public:
  static constexpr const char* name = "flipSites";
  static Fields fields() {
    Fields f{{"rule", FieldKind::Choice, ruleChoices}, {"order", FieldKind::Choice, orderChoices}, {"temperature", FieldKind::Schedule}, {"draw", FieldKind::Number}};
    for (SamplerField& u : unitFields()) f.push_back(u);
    return f;
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto f = std::make_unique<FlipSites>();
    f->rule = Rule(r.choice("rule"));
    f->random = r.choice("order") == 0;
    f->temperature = r.schedule("temperature");
    f->stride = (f->random ? 1 : 0) + (f->rule == DESCENT ? 0 : 1);
    f->draw = r.draw("draw", r.dimension() * f->stride);
    f->units.decode(r);
    return r.done(std::move(f));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    Units::Bound<T> p;
    if (!units.bind(loop, p, error)) return false;
    const int64_t D = loop.dimension;
    const Decider decider(rule, units, temperatureAt(rule, temperature, s.t));
    SamplerState<T>& st = loop.state;
    loop.each([&](int64_t c, double*) {
      const double* u = uniformsOf(loop, c, s.base + uint64_t(draw), D * stride);
      T* x = st.x + c * D;
      for (int64_t k = 0; k < D; k++) {
        const int64_t i = random ? unitOf(u[k * stride], D) : k;
        const double before = double(x[i]);
        x[i] = T(decider(decider.prepare(p, x, D, i), before, stride == 0 ? 0 : u[k * stride + stride - 1]));
        if (rule == METROPOLIS) count(st.proposed, st.accepted, c, double(x[i]) != before);
      }
    });
    loop.moved();
    return true;
  }

  Rule rule = HEAT_BATH;
  bool random = true;
  int64_t stride = 1, draw = 0;
  SamplerSchedule temperature;
  Units units;
};

// Every unit of a colour class (0, 1; 2: every unit, synchronously) updated from the same fields.
class FlipBlock : public SamplerHandlerOf<FlipBlock> {
 public:
  static constexpr const char* name = "flipBlock";
  static Fields fields() {
    Fields f{{"rule", FieldKind::Choice, ruleChoices}, {"block", FieldKind::Number}, {"temperature", FieldKind::Schedule}, {"draw", FieldKind::Number}};
    for (SamplerField& u : unitFields()) f.push_back(u);
    return f;
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto f = std::make_unique<FlipBlock>();
    f->rule = Rule(r.choice("rule"));
    const int64_t block = r.integer("block", 0, 2);
    f->temperature = r.schedule("temperature");
    f->units.decode(r);
    if (!r.ok()) return nullptr;
    const Units& u = f->units;
    const int64_t D = r.dimension();
    if (block < 2 && u.kind == DENSE) r.fail("a dense structure has only block 2 (every unit)");
    if (block < 2 && u.kind == LATTICE && (u.rows % 2 != 0 || u.columns % 2 != 0)) r.fail("a checkerboard needs a lattice of even sides");
    for (int64_t i = 0; i < D; i++) {
      const bool in = block == 2 || (u.kind == BIPARTITE ? (i < u.rows) == (block == 0) : ((i / std::max<int64_t>(u.columns, 1)) + (i % std::max<int64_t>(u.columns, 1))) % 2 == block);
      if (in) f->sites.push_back(i);
    }
    f->draw = r.draw("draw", f->rule == DESCENT ? 0 : int64_t(f->sites.size()));
    return r.done(std::move(f));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    Units::Bound<T> p;
    if (!units.bind(loop, p, error)) return false;
    const int64_t D = loop.dimension, n = int64_t(sites.size());
    const Decider decider(rule, units, temperatureAt(rule, temperature, s.t));
    SamplerState<T>& st = loop.state;
    loop.each([&](int64_t c, double*) {
      const double* u = uniformsOf(loop, c, s.base + uint64_t(draw), rule == DESCENT ? 0 : n);
      std::vector<double>& gains = scratch().gains;
      if (int64_t(gains.size()) < n) gains.resize(size_t(n));
      T* x = st.x + c * D;
      // Every gain first: a synchronous update needs them all from the state before it.
      for (int64_t k = 0; k < n; k++) gains[size_t(k)] = decider.prepare(p, x, D, sites[size_t(k)]);
      for (int64_t k = 0; k < n; k++) {
        const int64_t i = sites[size_t(k)];
        const double before = double(x[i]);
        x[i] = T(decider(gains[size_t(k)], before, rule == DESCENT ? 0 : u[k]));
        if (rule == METROPOLIS) count(st.proposed, st.accepted, c, double(x[i]) != before);
      }
    });
    loop.moved();
    return true;
  }

  Rule rule = HEAT_BATH;
  int64_t draw = 0;
  SamplerSchedule temperature;
  Units units;
  std::vector<int64_t> sites;
};

// D single-unit updates from energy differences: every chain's unit flipped, the energy evaluated, and
// the flip judged as a proposal.
class FlipDifferences : public SamplerHandlerOf<FlipDifferences> {
 public:
  static constexpr const char* name = "flipDifferences";
  static Fields fields() {
    return {{"rule", FieldKind::Choice, ruleChoices}, {"order", FieldKind::Choice, orderChoices}, {"temperature", FieldKind::Schedule},
            {"draw", FieldKind::Number}, {"domain", FieldKind::Choice, {"binary", "spins"}}};
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto f = std::make_unique<FlipDifferences>();
    f->rule = Rule(r.choice("rule"));
    f->random = r.choice("order") == 0;
    f->temperature = r.schedule("temperature");
    f->stride = (f->random ? 1 : 0) + (f->rule == DESCENT ? 0 : 1);
    f->draw = r.draw("draw", r.dimension() * f->stride);
    f->low = r.choice("domain") == 0 ? 0 : -1;
    return r.done(std::move(f));
  }
  bool needsEnergy() const override { return true; }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    const int64_t D = loop.dimension;
    const double temp = temperatureAt(rule, temperature, s.t);
    const double high = 1;
    SamplerState<T>& st = loop.state;
    unit_.resize(size_t(loop.chains));
    for (int64_t k = 0; k < D; k++) {
      if (!loop.refresh(error)) return false;
      const uint64_t at = s.base + uint64_t(draw + k * stride);
      const auto tryFlip = [&](int64_t c, const double* u) {
        const int64_t i = c * D + (random ? unitOf(*u, D) : k);
        unit_[size_t(c)] = i;
        loop.E0[size_t(c)] = st.energy[c];
        std::copy(st.gradient + c * D, st.gradient + (c + 1) * D, loop.g0.begin() + c * D);
        st.x[i] = T(low + high - double(st.x[i]));
      };
      if (random) loop.each(tryFlip, normals::Kind::Uniform, int64_t(at));
      else loop.each([&](int64_t c, double*) { tryFlip(c, nullptr); });
      loop.moved();
      loop.inProposal = true;
      if (!loop.refresh(error)) return false;
      loop.inProposal = false;
      const auto judge = [&](int64_t c, const double* u) {
        const int64_t i = unit_[size_t(c)];
        const double tried = double(st.x[i]);
        const double before = low + high - tried;
        const double E = double(st.energy[c]), E0 = double(loop.E0[size_t(c)]);
        const double gain = before == low ? E0 - E : E - E0;
        const double chosen = decide(rule, gain, before, low, high, temp, u == nullptr ? 0 : *u);
        if (rule == METROPOLIS) count(st.proposed, st.accepted, c, chosen == tried);
        if (chosen == tried) {
          if (!loop.finiteChain(c)) st.alive[c] = 0;
          return;
        }
        st.x[i] = T(before);
        st.energy[c] = loop.E0[size_t(c)];
        std::copy(loop.g0.begin() + c * D, loop.g0.begin() + (c + 1) * D, st.gradient + c * D);
      };
      if (rule == DESCENT) loop.each([&](int64_t c, double*) { judge(c, nullptr); });
      else loop.each(judge, normals::Kind::Uniform, int64_t(at) + stride - 1);
    }
    return true;
  }

  Rule rule = HEAT_BATH;
  bool random = true;
  int64_t stride = 1, draw = 0;
  double low = -1;
  SamplerSchedule temperature;

 private:
  mutable std::vector<int64_t> unit_;
};

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

std::vector<SamplerHandler> discreteHandlers() {
  return {handler<FlipSites>(), handler<FlipBlock>(), handler<FlipDifferences>(), handler<GaussianGibbs>(), handler<Wolff>()};
}

}  // namespace hb
