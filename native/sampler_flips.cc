// The flip handlers of the discrete blocks (heatBath, metropolisFlips, descent: instructions flipSites,
// flipBlock and flipDifferences), in the order of their reference steps in src/sampler/blocks/flips.ts,
// local fields as src/energy/structure.ts computes them, and exp as src/rng/math.ts's (philox::exp): the
// same decisions bit for bit, whatever the thread count.
#include "sampler_units.h"

namespace hb {
namespace discrete {
namespace {

// A sweep of D single-unit updates (flipSites, flipDifferences): its rule, its order, its temperature,
// and its draws, `stride` a unit (the unit's index when the order is random, its uniform unless descent).
struct Sweep {
  Rule rule = HEAT_BATH;
  bool random = true;
  int64_t stride = 1, draw = 0;
  SamplerSchedule temperature;
  static Fields fields() {
    return {{"rule", FieldKind::Choice, ruleChoices}, {"order", FieldKind::Choice, orderChoices}, {"temperature", FieldKind::Schedule}, {"draw", FieldKind::Number}};
  }
  void decode(SamplerRecord& r) {
    rule = Rule(r.choice("rule"));
    random = r.choice("order") == 0;
    temperature = r.schedule("temperature");
    stride = (random ? 1 : 0) + (rule == DESCENT ? 0 : 1);
    draw = r.draw("draw", r.dimension() * stride);
  }
};

// D single-unit updates from local fields, in random or sequential order.
class FlipSites : public SamplerHandlerOf<FlipSites>, public Sweep {
 public:
  static constexpr const char* name = "flipSites";
  static Fields fields() {
    Fields f = Sweep::fields();
    for (SamplerField& u : unitFields()) f.push_back(u);
    return f;
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto f = std::make_unique<FlipSites>();
    f->Sweep::decode(r);
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
class FlipDifferences : public SamplerHandlerOf<FlipDifferences>, public Sweep {
 public:
  static constexpr const char* name = "flipDifferences";
  static Fields fields() {
    Fields f = Sweep::fields();
    f.push_back({"domain", FieldKind::Choice, {"binary", "spins"}});
    return f;
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto f = std::make_unique<FlipDifferences>();
    f->Sweep::decode(r);
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

  double low = -1;

 private:
  mutable std::vector<int64_t> unit_;
};

}  // namespace

std::vector<SamplerHandler> flipHandlers() { return {handler<FlipSites>(), handler<FlipBlock>(), handler<FlipDifferences>()}; }

}  // namespace discrete
}  // namespace hb
