// The sampler's instruction handlers, one class each: its name, the fields of its record, the decode that
// checks them (once, at the boundary: the step trusts what it was given), and its step over the chains,
// written in the order of its reference step (src/sampler/blocks/<block>.ts) so that float64 agrees to
// rounding. The table at the end registers them; the addon reports it to TypeScript
// (`samplerInstructions()`), which encodes programs by name through it.
#include <memory>

#include "sampler.h"
#include "sampler_loop.h"
#include "sampler_rows.h"

namespace hb {
namespace {

using Fields = std::vector<SamplerField>;

// Draws a normal per coordinate take: D rounded up to even (a Philox block never serves two instructions).
int64_t normalDraws(const SamplerRecord& r) { return r.dimension() + (r.dimension() % 2); }

using rows::clipped;

// −‖z‖²/2, the squares added in order: a forward move's log density, computed only inside a proposal (the
// sequential sum is a chain of dependent additions, a cost every step would pay for nothing otherwise).
inline double logForwardOf(const double* z, int64_t D) {
  double squares = 0;
  for (int64_t j = 0; j < D; j++) squares += z[j] * z[j];
  return -0.5 * squares;
}

// x ← x + σ·ξ; inside a proposal it records the forward move's log density −‖ξ‖²/2.
class Noise : public SamplerHandlerOf<Noise> {
 public:
  static constexpr const char* name = "noise";
  static Fields fields() { return {{"draw", FieldKind::Number}, {"record", FieldKind::Number}, {"scale", FieldKind::Noise}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto n = std::make_unique<Noise>();
    n->draw = r.draw("draw", normalDraws(r));
    n->record = r.integer("record", 0, 1) == 1;
    n->scale = r.noise("scale");
    return r.done(std::move(n));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string&) const {
    T* x = loop.state.x;
    const int64_t D = loop.dimension;
    const double sigma = scale.at(s.t);
    loop.each([&](int64_t c, const double* z) {
      rows::addScaled(x + c * D, z, D, sigma);
      if (record) loop.logForward[size_t(c)] = logForwardOf(z, D);
    }, normals::Kind::Normal, int64_t(s.base) + draw);
    loop.moved();
    return true;
  }

  int64_t draw = 0;
  bool record = false;
  SamplerNoise scale;
};

// x ← x − h·clip(∇E(x)). A noise right after it runs in the same pass over the chains (each chain's
// arithmetic is unchanged: x − h·g rounded, then + σ·z rounded), one parallel region instead of two.
class Drift : public SamplerHandlerOf<Drift> {
 public:
  static constexpr const char* name = "drift";
  static Fields fields() { return {{"stepSize", FieldKind::Schedule}, {"clip", FieldKind::Number}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto d = std::make_unique<Drift>();
    d->stepSize = r.schedule("stepSize");
    d->clip = r.nonNegative("clip");  // 0: unclipped
    return r.done(std::move(d));
  }
  void link(const SamplerInstruction* next) override { noise_ = next != nullptr && next->op == Noise::name ? static_cast<const Noise*>(next) : nullptr; }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t& next, std::string& error) const {
    if (!loop.refresh(error)) return false;
    T* x = loop.state.x;
    const T* g = loop.state.gradient;
    const int64_t D = loop.dimension;
    const double h = stepSize.at(s.t);
    if (noise_ == nullptr) {
      loop.each([&](int64_t c, double*) { rows::drift(x + c * D, g + c * D, static_cast<const double*>(nullptr), D, h, clip, 0.0); });
      loop.moved();
      return true;
    }
    const double sigma = noise_->scale.at(s.t);
    const bool record = noise_->record;
    loop.each([&](int64_t c, const double* z) {
      rows::drift(x + c * D, g + c * D, z, D, h, clip, sigma);
      if (record) loop.logForward[size_t(c)] = logForwardOf(z, D);
    }, normals::Kind::Normal, int64_t(s.base) + noise_->draw);
    loop.moved();
    next++;
    return true;
  }

  SamplerSchedule stepSize;
  double clip = 0;

 private:
  const Noise* noise_ = nullptr;
};

// The blocks of a box [low, high]ᴰ: finite bounds, low < high.
template <class Derived>
class BoxHandler : public SamplerHandlerOf<Derived> {
 public:
  static Fields fields() { return {{"low", FieldKind::Number}, {"high", FieldKind::Number}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto b = std::make_unique<Derived>();
    b->low = r.number("low");
    b->high = r.number("high");
    if (r.ok() && !(b->low < b->high)) r.fail("expected low < high, got low " + std::to_string(b->low) + " and high " + std::to_string(b->high));
    return r.done(std::move(b));
  }
  double low = 0, high = 1;
};

// x ← min(max(x, low), high) per coordinate.
class Clamp : public BoxHandler<Clamp> {
 public:
  static constexpr const char* name = "clamp";

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep&, size_t&, std::string&) const {
    T* x = loop.state.x;
    const int64_t D = loop.dimension;
    loop.each([&](int64_t c, double*) {
      for (int64_t j = c * D; j < (c + 1) * D; j++) {
        const double v = double(x[j]);
        x[j] = T(v < low ? low : v > high ? high : v);
      }
    });
    loop.moved();
    return true;
  }
};

// Folds every coordinate outside [low, high] back in, as mirrors at the faces would (periodic with period
// 2(high − low)); coordinates inside are left as they are. The same operations as `folded` in
// src/sampler/blocks/reflect.ts, in double.
class Reflect : public BoxHandler<Reflect> {
 public:
  static constexpr const char* name = "reflect";

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep&, size_t&, std::string&) const {
    T* x = loop.state.x;
    const int64_t D = loop.dimension;
    const double width = high - low, period = 2 * width;
    loop.each([&](int64_t c, double*) {
      for (int64_t j = c * D; j < (c + 1) * D; j++) {
        const double v = double(x[j]);
        if (!(v < low || v > high)) continue;
        const double y = v - low;
        const double m = y - period * std::floor(y / period);
        const double f = m <= width ? low + m : high - (m - width);
        x[j] = T(f < low ? low : f > high ? high : f);
      }
    });
    loop.moved();
    return true;
  }
};

// p ← a·p + √(T(1 − a²))·F·ξ with a = exp(−γh), or a full refresh p ~ N(0, T·M) without a friction.
class Momentum : public SamplerHandlerOf<Momentum> {
 public:
  static constexpr const char* name = "momentum";
  static Fields fields() {
    return {{"draw", FieldKind::Number},        {"friction", FieldKind::Number}, {"stepSize", FieldKind::Schedule}, {"temperature", FieldKind::Schedule},
            {"metric", FieldKind::Choice, metricChoices()}, {"metricAt", FieldKind::Number}};
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto m = std::make_unique<Momentum>();
    m->draw = r.draw("draw", normalDraws(r));
    m->friction = r.nonNegative("friction");  // 0: a full refresh
    m->stepSize = r.schedule("stepSize");
    m->temperature = r.schedule("temperature");
    m->metric = r.metric("metric", "metricAt");
    return r.done(std::move(m));
  }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string&) const {
    T* p = loop.state.p;
    const int64_t D = loop.dimension;
    const double a = friction == 0 ? 0 : std::exp(-friction * stepSize.at(s.t));
    const double b = std::sqrt(temperature.at(s.t) * (1 - a * a));
    loop.each([&](int64_t c, const double* z) { for (int64_t j = 0; j < D; j++) p[c * D + j] = T(a * double(p[c * D + j]) + b * momentumAt(metric, z, D, j)); },
              normals::Kind::Normal, int64_t(s.base) + draw);
    return true;
  }

  int64_t draw = 0;
  double friction = 0;
  SamplerSchedule stepSize, temperature;
  SamplerMetric metric;
};

// The blocks of one step size.
template <class Derived>
class StepSizeHandler : public SamplerHandlerOf<Derived> {
 public:
  static Fields fields() { return {{"stepSize", FieldKind::Schedule}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto k = std::make_unique<Derived>();
    k->stepSize = r.schedule("stepSize");
    return r.done(std::move(k));
  }
  SamplerSchedule stepSize;
};

// The blocks of one step size that move positions by the velocity M⁻¹p.
template <class Derived>
class VelocityHandler : public SamplerHandlerOf<Derived> {
 public:
  static Fields fields() { return {{"stepSize", FieldKind::Schedule}, {"metric", FieldKind::Choice, metricChoices()}, {"metricAt", FieldKind::Number}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto k = std::make_unique<Derived>();
    k->stepSize = r.schedule("stepSize");
    k->metric = r.metric("metric", "metricAt");
    return r.done(std::move(k));
  }
  SamplerSchedule stepSize;
  SamplerMetric metric;
};

// p ← p − h·∇E(x).
class Kick : public StepSizeHandler<Kick> {
 public:
  static constexpr const char* name = "kick";
  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    if (!loop.refresh(error)) return false;
    T* p = loop.state.p;
    const T* g = loop.state.gradient;
    const int64_t D = loop.dimension;
    const double h = stepSize.at(s.t);
    loop.each([&](int64_t c, double*) { rows::addScaled(p + c * D, g + c * D, D, -h); });
    return true;
  }
};

// x ← x + h·M⁻¹p.
class Move : public VelocityHandler<Move> {
 public:
  static constexpr const char* name = "move";
  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string&) const {
    T* x = loop.state.x;
    const T* p = loop.state.p;
    const int64_t D = loop.dimension;
    const double h = stepSize.at(s.t);
    loop.each([&](int64_t c, double*) {
      if (metric.kind == SamplerMetric::IDENTITY) return rows::addScaled(x + c * D, p + c * D, D, h);
      for (int64_t j = 0; j < D; j++) x[c * D + j] = T(double(x[c * D + j]) + h * velocityAt(metric, p + c * D, D, j));
    });
    loop.moved();
    return true;
  }
};

// p ← p − (h/2)·∇E(x); x ← x + h·M⁻¹p; p ← p − (h/2)·∇E(x).
class Leapfrog : public VelocityHandler<Leapfrog> {
 public:
  static constexpr const char* name = "leapfrog";
  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    if (!loop.refresh(error)) return false;
    T* x = loop.state.x;
    T* p = loop.state.p;
    const T* g = loop.state.gradient;
    const int64_t D = loop.dimension;
    const double h = stepSize.at(s.t);
    const double half = 0.5 * h;
    loop.each([&](int64_t c, double*) {
      // the whole half kick first: a dense M⁻¹p reads every coordinate of p
      rows::addScaled(p + c * D, g + c * D, D, -half);
      if (metric.kind == SamplerMetric::IDENTITY) return rows::addScaled(x + c * D, p + c * D, D, h);
      for (int64_t j = 0; j < D; j++) x[c * D + j] = T(double(x[c * D + j]) + h * velocityAt(metric, p + c * D, D, j));
    });
    loop.moved();
    if (!loop.refresh(error)) return false;
    loop.each([&](int64_t c, double*) { rows::addScaled(p + c * D, g + c * D, D, -half); });
    return true;
  }
};

// Saves the state before a Metropolis proposal.
class Propose : public SamplerHandlerOf<Propose> {
 public:
  static constexpr const char* name = "propose";
  static Fields fields() { return {}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    if (*r.proposalOpen) r.fail("a proposal inside a proposal");
    *r.proposalOpen = true;
    return r.done(std::make_unique<Propose>());
  }
  bool needsEnergy() const override { return true; }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep&, size_t&, std::string& error) const {
    if (!loop.refresh(error)) return false;
    const size_t n = size_t(loop.chains * loop.dimension);
    SamplerState<T>& st = loop.state;
    std::copy(st.x, st.x + n, loop.x0.begin());
    std::copy(st.p, st.p + n, loop.p0.begin());
    std::copy(st.gradient, st.gradient + n, loop.g0.begin());
    std::copy(st.energy, st.energy + loop.chains, loop.E0.begin());
    std::fill(loop.logForward.begin(), loop.logForward.end(), 0.0);
    loop.inProposal = true;
    return true;
  }
};

// The Metropolis test of the proposal since the last propose: log α = −ΔE/T, plus the Langevin proposal's
// log q(x0 | x′) − log q(x′ | x0) or the Hamiltonian −ΔK/T; a rejected chain gets its saved state back
// (a Hamiltonian one with its momentum negated).
class Accept : public SamplerHandlerOf<Accept> {
 public:
  enum Correction { SYMMETRIC, LANGEVIN, HAMILTONIAN };  // the order of the choices below
  static constexpr const char* name = "accept";
  static Fields fields() {
    return {{"draw", FieldKind::Number},           {"correction", FieldKind::Choice, {"symmetric", "langevin", "hamiltonian"}},
            {"temperature", FieldKind::Schedule},  {"driftStepSize", FieldKind::Schedule},
            {"clip", FieldKind::Number},           {"noise", FieldKind::Noise},
            {"metric", FieldKind::Choice, metricChoices()}, {"metricAt", FieldKind::Number}};
  }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    if (!*r.proposalOpen) r.fail("an accept without a proposal");
    *r.proposalOpen = false;
    auto a = std::make_unique<Accept>();
    a->draw = r.draw("draw", 2);
    a->correction = Correction(r.choice("correction"));
    a->temperature = r.schedule("temperature");
    a->driftStepSize = r.schedule("driftStepSize");
    a->clip = r.nonNegative("clip");
    a->noise = r.noise("noise");
    a->metric = r.metric("metric", "metricAt");
    return r.done(std::move(a));
  }
  bool needsEnergy() const override { return true; }

  template <class T>
  bool step(SamplerLoop<T>& loop, const SamplerStep& s, size_t&, std::string& error) const {
    if (!loop.refresh(error)) return false;
    loop.inProposal = false;
    SamplerState<T>& st = loop.state;
    const int64_t D = loop.dimension;
    const double temp = temperature.at(s.t);
    const double h = correction == LANGEVIN ? driftStepSize.at(s.t) : 0;
    const double sigma = correction == LANGEVIN ? noise.at(s.t) : 1;
    loop.each([&](int64_t c, const double* logU) {
      double logAlpha = -(double(st.energy[c]) - double(loop.E0[size_t(c)])) / temp;
      if (correction == LANGEVIN) {
        double squares = 0;
        for (int64_t j = c * D; j < (c + 1) * D; j++) {
          const double r = double(loop.x0[size_t(j)]) - (double(st.x[j]) - h * clipped(double(st.gradient[j]), clip));
          squares += r * r;
        }
        logAlpha += -squares / (2 * sigma * sigma) - loop.logForward[size_t(c)];
      } else if (correction == HAMILTONIAN && metric.kind == SamplerMetric::IDENTITY) {
        double dK = 0;
        for (int64_t j = c * D; j < (c + 1) * D; j++) {
          const double pj = double(st.p[j]), qj = double(loop.p0[size_t(j)]);
          dK += 0.5 * (pj * pj - qj * qj);
        }
        logAlpha -= dK / temp;
      } else if (correction == HAMILTONIAN) {
        logAlpha -= (kinetic(metric, st.p + c * D, D) - kinetic(metric, loop.p0.data() + c * D, D)) / temp;
      }
      st.proposed[c] += 1;
      if (*logU < logAlpha) {
        st.accepted[c] += 1;
        if (!loop.finiteChain(c)) st.alive[c] = 0;
      } else {
        const double flip = correction == HAMILTONIAN ? -1 : 1;
        st.energy[c] = loop.E0[size_t(c)];
        for (int64_t j = c * D; j < (c + 1) * D; j++) {
          st.x[j] = loop.x0[size_t(j)];
          st.gradient[j] = loop.g0[size_t(j)];
          st.p[j] = T(flip * double(loop.p0[size_t(j)]));
        }
      }
    }, normals::Kind::LogUniform, int64_t(s.base) + draw);
    return true;
  }

  int64_t draw = 0;
  Correction correction = SYMMETRIC;
  SamplerSchedule temperature, driftStepSize;
  double clip = 0;
  SamplerNoise noise;
  SamplerMetric metric;
};

// Skips the `length` instructions after it except on steps t with t + 1 divisible by `period` (every).
class Skip : public SamplerHandlerOf<Skip> {
 public:
  static constexpr const char* name = "skip";
  static Fields fields() { return {{"period", FieldKind::Number}, {"length", FieldKind::Number}}; }
  static std::unique_ptr<SamplerInstruction> decode(SamplerRecord& r) {
    auto k = std::make_unique<Skip>();
    k->period = r.integer("period", 1, int64_t(1) << 53);
    k->length = r.integer("length", 0, int64_t(r.count - r.index - 1));
    return r.done(std::move(k));
  }

  template <class T>
  bool step(SamplerLoop<T>&, const SamplerStep& s, size_t& next, std::string&) const {
    if ((s.t + 1) % period != 0) next += size_t(length);
    return true;
  }

  int64_t period = 1, length = 0;
};

// Field offsets in record order, after the op code at 0.
std::vector<SamplerHandler> laidOut(std::vector<SamplerHandler> table) {
  for (SamplerHandler& h : table) {
    int offset = 1;
    for (SamplerField& f : h.fields) {
      f.offset = offset;
      offset += fieldWidth(f.kind);
    }
  }
  return table;
}

}  // namespace

const std::vector<SamplerHandler>& samplerHandlers() {
  static const std::vector<SamplerHandler> table = laidOut([] {
    std::vector<SamplerHandler> all{
        handler<Drift>(), handler<Noise>(), handler<Clamp>(), handler<Momentum>(), handler<Kick>(), handler<Move>(),
        handler<Leapfrog>(), handler<Propose>(), handler<Accept>(), handler<Skip>(), handler<Reflect>(),
    };
    for (SamplerHandler& h : discreteHandlers()) all.push_back(std::move(h));
    all.push_back(nutsHandler());
    return all;
  }());
  return table;
}

int samplerRecordSize() {
  static const int size = [] {
    int widest = 0;
    for (const SamplerHandler& h : samplerHandlers()) {
      int width = 0;
      for (const SamplerField& f : h.fields) width += fieldWidth(f.kind);
      widest = std::max(widest, width);
    }
    return 1 + widest;
  }();
  return size;
}

}  // namespace hb
