// What the discrete blocks' handlers share (sampler_flips.cc: flipSites, flipBlock, flipDifferences;
// sampler_discrete.cc: gaussianGibbs, wolff): the units of a structure and their parameters, the decision
// rules of src/sampler/blocks/flips.ts, a chain's uniforms by draw index, and a thread's scratch. Internal
// to those two files.
#pragma once
#include <memory>

#include "philox.h"
#include "sampler.h"
#include "sampler_loop.h"

namespace hb {
namespace discrete {

using Fields = std::vector<SamplerField>;

enum Rule { HEAT_BATH, METROPOLIS, DESCENT };  // the order of ruleChoices
enum Kind { LATTICE, DENSE, BIPARTITE };       // the order of the structure choices
inline const std::vector<std::string> ruleChoices{"heatBath", "metropolis", "descent"};
inline const std::vector<std::string> orderChoices{"random", "sequential"};

inline Fields unitFields() {
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

// `second` ? b : a, by index rather than by a branch: a unit's update is often a coin toss (a heat bath
// near T_c), and a mispredicted branch cost more than the rest of the update (a third of the Ising heat
// bath's time).
inline double either(double a, double b, bool second) {
  const double values[2] = {a, b};
  return values[second];
}

// decide of flips.ts: a unit's new value from its gain g = E(low) − E(high).
inline double decide(Rule rule, double g, double s, double low, double high, double T, double u) {
  if (rule == HEAT_BATH) return either(low, high, u < 1 / (1 + philox::exp(-(g / T))));
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
// Not inlined: inlined, the thread-local's address is recomputed (a __tls_get_addr call in the addon) at
// every use of the reference in a loop, a bond at a time in a Wolff cluster (11% of its time).
[[gnu::noinline]] inline Scratch& scratch() {
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
    if (rule == HEAT_BATH) return either(low, high, u < up[k]);
    const int i = before == low ? 0 : 1;
    return either(before, low + high - before, always[k][i] | (u < accept[k][i]));
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

// The handlers of the single-unit and colour-class flips (sampler_flips.cc), in the order of the registry.
std::vector<SamplerHandler> flipHandlers();

}  // namespace discrete
}  // namespace hb
