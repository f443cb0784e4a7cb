// The sampler loop. Each instruction is one pass over the chains, split into fixed blocks of chains that
// the pool spreads over threads; a chain's arithmetic never depends on its block or thread, and its draws
// come from its own Philox stream, so any thread count gives the same bits. Arithmetic is written in the
// same order as src/sampler/reference.ts so that float64 follows the reference to rounding.
#include "sampler.h"

#include <algorithm>
#include <cmath>

#include "normals.h"
#include "pool.h"

namespace hb {

namespace {
constexpr int64_t CHAIN_BLOCK = 128;
// Draws are made for up to this many numbers at a time (32 KiB), so that they are still in L1 when used.
constexpr int64_t DRAW_SCRATCH = 4096;
}

double SamplerSchedule::at(int64_t step) const {
  if (kind == 0) return a;
  const double f = steps <= 1 ? 1 : double(std::min<double>(double(step), steps - 1)) / (steps - 1);
  switch (kind) {
    case 1: return a + (b - a) * f;
    case 2: return a * std::pow(b / a, f);
    default: return b + (a - b) * 0.5 * (1 + std::cos(3.141592653589793 * f));
  }
}

bool decodeSampler(const double* data, size_t length, int64_t drawsPerStep, int64_t dimension, SamplerProgram& out, std::string& error) {
  if (length % SAMPLER_RECORD != 0) {
    error = "program: length " + std::to_string(length) + " is not a multiple of " + std::to_string(SAMPLER_RECORD);
    return false;
  }
  if (!(drawsPerStep >= 0 && drawsPerStep % 2 == 0)) {
    error = "program: drawsPerStep must be even and ≥ 0";
    return false;
  }
  const size_t n = length / SAMPLER_RECORD;
  out.instructions.assign(n, SamplerInstruction{});
  out.drawsPerStep = drawsPerStep;
  const int64_t evenD = dimension + (dimension % 2);
  auto schedule = [&](const double* r, SamplerSchedule& s, const std::string& at) {
    s.kind = int(r[0]);
    s.a = r[1];
    s.b = r[2];
    s.steps = r[3];
    if (!(r[0] == s.kind && s.kind >= 0 && s.kind <= 3 && std::isfinite(s.a) && std::isfinite(s.b) && s.steps >= 1 && s.steps == std::floor(s.steps))) {
      error = at + ": malformed schedule";
      return false;
    }
    return true;
  };
  bool inProposal = false;
  for (size_t i = 0; i < n; i++) {
    const double* r = data + i * SAMPLER_RECORD;
    SamplerInstruction& ins = out.instructions[i];
    std::string at = "program: instruction " + std::to_string(i);
    if (!(r[0] >= 0 && r[0] < S_OP_COUNT && r[0] == std::floor(r[0]))) {
      error = at + ": unknown op " + std::to_string(r[0]);
      return false;
    }
    ins.op = int(r[0]);
    ins.draw = int64_t(r[1]);
    ins.flag = int(r[2]);
    ins.p1 = r[3];
    ins.p2 = r[4];
    ins.noiseKind = int(r[5]);
    if (!schedule(r + 6, ins.A, at) || !schedule(r + 10, ins.B, at) || !schedule(r + 14, ins.C, at) || !schedule(r + 18, ins.D, at)) return false;
    const int64_t need = ins.op == S_NOISE || ins.op == S_MOMENTUM ? evenD : ins.op == S_ACCEPT ? 2 : 0;
    if (need > 0 && !(r[1] >= 0 && r[1] == std::floor(r[1]) && ins.draw % 2 == 0 && ins.draw + need <= drawsPerStep)) {
      error = at + ": draw offset " + std::to_string(r[1]) + " outside the step's " + std::to_string(drawsPerStep) + " draws";
      return false;
    }
    if (ins.op == S_SKIP && !(ins.p1 >= 1 && ins.p1 == std::floor(ins.p1) && ins.p2 >= 0 && ins.p2 == std::floor(ins.p2) && i + size_t(ins.p2) < n)) {
      error = at + ": skip needs a positive period and a length within the program";
      return false;
    }
    if (ins.op == S_CLAMP && !(ins.p1 < ins.p2)) {
      error = at + ": clamp needs low < high";
      return false;
    }
    if (ins.op == S_PROPOSE) {
      if (inProposal) {
        error = at + ": a proposal inside a proposal";
        return false;
      }
      inProposal = true;
    }
    if (ins.op == S_ACCEPT) {
      if (!inProposal || ins.flag < 0 || ins.flag > 2) {
        error = at + ": accept without a proposal, or an unknown correction";
        return false;
      }
      inProposal = false;
    }
  }
  if (inProposal) {
    error = "program: a proposal without an accept";
    return false;
  }
  return true;
}

namespace {

inline double clipped(double g, double clip) { return clip <= 0 ? g : g > clip ? clip : g < -clip ? -clip : g; }

inline double noiseScale(const SamplerInstruction& ins, int kind, const SamplerSchedule& first, const SamplerSchedule& second, int64_t t) {
  (void)ins;
  return kind == 0 ? first.at(t) : std::sqrt(2 * first.at(t) * second.at(t));
}

template <class T>
class Loop {
 public:
  Loop(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& s)
      : prog_(program), run_(run), s_(s), C_(run.chains), D_(run.dimension),
        drawChains_(std::max<int64_t>(8, std::min<int64_t>(CHAIN_BLOCK, DRAW_SCRATCH / std::max<int64_t>(D_, 1)))),
        x0_(size_t(C_ * D_)), p0_(size_t(C_ * D_)), g0_(size_t(C_ * D_)), E0_(size_t(C_)), logForward_(size_t(C_)),
        scratch_(size_t(((C_ + CHAIN_BLOCK - 1) / CHAIN_BLOCK) * drawChains_ * std::max<int64_t>(D_, 1))), session_(run.exe) {
    feeds_.assign(run.feeds.size(), nullptr);
    for (size_t i = 0; i < run.feeds.size(); i++) feeds_[i] = static_cast<const T*>(run.feeds[i]);
    feeds_[size_t(run.xFeed)] = s.x;
    const size_t outputs = size_t(std::max(run.energyOutput, run.gradientOutput) + 1);
    outputs_.assign(outputs, nullptr);
    outputs_[size_t(run.energyOutput)] = s.energy;
    outputs_[size_t(run.gradientOutput)] = s.gradient;
    options_.threads = run.threads;
    options_.cancel = run.cancel;
    bool metropolis = false;
    for (const SamplerInstruction& ins : program.instructions) metropolis = metropolis || ins.op == S_PROPOSE || ins.op == S_ACCEPT;
    gradientOnly_ = run.gradientExe != nullptr && !metropolis;
    if (gradientOnly_) {
      gradientSession_.reset(new SessionLease<T>(run.gradientExe));
      gradientOutputs_.assign(1, s.gradient);
      gradientOptions_ = options_;
    }
  }

  bool run(std::string& error) {
    for (int64_t t = run_.from; t < run_.to; t++) {
      if (cancelled()) {
        error = "cancelled";
        return false;
      }
      const uint64_t base = uint64_t(t) * uint64_t(prog_.drawsPerStep);
      const auto& code = prog_.instructions;
      for (size_t pc = 0; pc < code.size(); pc++) {
        const SamplerInstruction& ins = code[pc];
        if (ins.op == S_SKIP) {
          if ((t + 1) % int64_t(ins.p1) != 0) pc += size_t(ins.p2);
          continue;
        }
        // A drift and the noise right after it: one pass over the chains instead of two (each chain's
        // arithmetic is unchanged: x − h·g rounded, then + σ·z rounded).
        if (ins.op == S_DRIFT && pc + 1 < code.size() && code[pc + 1].op == S_NOISE) {
          if (!driftThenNoise(ins, code[pc + 1], t, base, error)) return false;
          pc++;
          continue;
        }
        if (!execute(ins, t, base, error)) return false;
      }
    }
    if (!refreshAll(error)) return false;
    if (pendingCheck_) chains([](int64_t, double*) {});
    return true;
  }

 private:
  bool cancelled() const { return run_.cancel != nullptr && *run_.cancel != 0; }

  // fn(c, z) for every alive chain c, chains in fixed blocks spread over the pool. When `draw` ≥ 0, z is
  // chain c's draws draw … draw + D − 1 (normals), or its draw `draw` (Kind::LogUniform), made for runs of
  // drawChains_ chains at a time in SIMD lanes (for every chain, alive or not: the draws are pure functions
  // of the chain's stream and cost less in lanes than a gather).
  template <class F>
  void chains(F&& fn, normals::Kind kind = normals::Kind::Normal, int64_t draw = -1) {
    const int tasks = int((C_ + CHAIN_BLOCK - 1) / CHAIN_BLOCK);
    const int64_t stride = kind == normals::Kind::Normal ? D_ : 1;
    const bool check = pendingCheck_;
    pendingCheck_ = false;
    Pool::shared().run(tasks, run_.threads, [&](int task) {
      double* z = scratch_.data() + size_t(task) * size_t(drawChains_ * std::max<int64_t>(D_, 1));
      const int64_t end = std::min(C_, (task + 1) * CHAIN_BLOCK);
      for (int64_t begin = task * CHAIN_BLOCK; begin < end; begin += drawChains_) {
        const int64_t stop = std::min(end, begin + drawChains_);
        if (draw >= 0) normals::acrossStreams(kind, run_.seed, uint64_t(begin), stop - begin, uint64_t(draw), stride, z, stride);
        for (int64_t c = begin; c < stop; c++) {
          // The check a refresh left for this pass: the chain's state is still what the executor saw.
          if (check && s_.alive[c] && !finiteChain(c)) s_.alive[c] = 0;
          if (s_.alive[c]) fn(c, z + (c - begin) * stride);
        }
      }
    });
  }

  // The energy is judged only when it belongs to x (after a gradient-only evaluation it does not).
  bool finiteChain(int64_t c) const {
    if (s_.fresh[0] && !std::isfinite(double(s_.energy[c]))) return false;
    for (int64_t j = c * D_; j < (c + 1) * D_; j++)
      if (!std::isfinite(double(s_.x[j])) || !std::isfinite(double(s_.gradient[j]))) return false;
    return true;
  }

  // Makes energy and gradient current. Chains that became non-finite are marked dead by the next pass
  // over the chains (chains() does the check before anything else touches the chain), which saves a
  // pass of its own; within a proposal they are judged at the accept instead.
  //
  // Between snapshots a program without a Metropolis test needs only the gradient: with a gradient tape it
  // evaluates that alone (fresh[0] stays 0: the energy is stale) and the energy with it at the end.
  bool refresh(std::string& error) {
    if (s_.fresh[0] || gradientFresh_) return true;
    if (!gradientOnly_) return refreshAll(error);
    if (!(*gradientSession_)->run(feeds_.data(), gradientOutputs_.data(), gradientOptions_, error)) return false;
    gradientOptions_.onlyChangedFeed = run_.xFeed;  // from its second run on the session keeps its packed weights
    gradientFresh_ = true;
    if (!inProposal_) pendingCheck_ = true;
    return true;
  }

  bool refreshAll(std::string& error) {
    if (s_.fresh[0]) return true;
    if (!session_->run(feeds_.data(), outputs_.data(), options_, error)) return false;
    options_.onlyChangedFeed = run_.xFeed;
    s_.fresh[0] = 1;
    if (!inProposal_) pendingCheck_ = true;
    return true;
  }

  // x has changed: energy and gradient no longer belong to it.
  void moved() {
    s_.fresh[0] = 0;
    gradientFresh_ = false;
  }

  bool driftThenNoise(const SamplerInstruction& drift, const SamplerInstruction& noise, int64_t t, uint64_t base, std::string& error) {
    if (!refresh(error)) return false;
    T* x = s_.x;
    const T* g = s_.gradient;
    const int64_t D = D_;
    const double h = drift.A.at(t), clip = drift.p1;
    const double sigma = noiseScale(noise, noise.noiseKind, noise.A, noise.B, t);
    const bool record = noise.flag != 0;
    chains([&](int64_t c, const double* z) {
      double squares = 0;
      for (int64_t j = 0; j < D; j++) {
        const T moved = T(double(x[c * D + j]) - h * clipped(double(g[c * D + j]), clip));
        x[c * D + j] = T(double(moved) + sigma * z[j]);
        squares += z[j] * z[j];
      }
      if (record) logForward_[size_t(c)] = -0.5 * squares;
    }, normals::Kind::Normal, int64_t(base) + noise.draw);
    moved();
    return true;
  }

  bool execute(const SamplerInstruction& ins, int64_t t, uint64_t base, std::string& error) {
    T* x = s_.x;
    T* p = s_.p;
    T* g = s_.gradient;
    const int64_t D = D_;
    switch (ins.op) {
      case S_DRIFT: {
        if (!refresh(error)) return false;
        const double h = ins.A.at(t);
        const double clip = ins.p1;
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) x[j] = T(double(x[j]) - h * clipped(double(g[j]), clip));
        });
        moved();
        return true;
      }
      case S_NOISE: {
        const double sigma = noiseScale(ins, ins.noiseKind, ins.A, ins.B, t);
        const bool record = ins.flag != 0;
        chains([&](int64_t c, const double* z) {
          double squares = 0;
          for (int64_t j = 0; j < D; j++) {
            x[c * D + j] = T(double(x[c * D + j]) + sigma * z[j]);
            squares += z[j] * z[j];
          }
          if (record) logForward_[size_t(c)] = -0.5 * squares;
        }, normals::Kind::Normal, int64_t(base) + ins.draw);
        moved();
        return true;
      }
      case S_CLAMP: {
        const double low = ins.p1, high = ins.p2;
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) {
            const double v = double(x[j]);
            x[j] = T(v < low ? low : v > high ? high : v);
          }
        });
        moved();
        return true;
      }
      case S_MOMENTUM: {
        const double a = ins.flag == 0 ? 0 : std::exp(-ins.p1 * ins.A.at(t));
        const double b = std::sqrt(ins.B.at(t) * (1 - a * a));
        chains([&](int64_t c, const double* z) { for (int64_t j = 0; j < D; j++) p[c * D + j] = T(a * double(p[c * D + j]) + b * z[j]); },
               normals::Kind::Normal, int64_t(base) + ins.draw);
        return true;
      }
      case S_KICK: {
        if (!refresh(error)) return false;
        const double h = ins.A.at(t);
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) p[j] = T(double(p[j]) - h * double(g[j]));
        });
        return true;
      }
      case S_MOVE: {
        const double h = ins.A.at(t);
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) x[j] = T(double(x[j]) + h * double(p[j]));
        });
        moved();
        return true;
      }
      case S_LEAPFROG: {
        if (!refresh(error)) return false;
        const double h = ins.A.at(t);
        const double half = 0.5 * h;
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) {
            p[j] = T(double(p[j]) - half * double(g[j]));
            x[j] = T(double(x[j]) + h * double(p[j]));
          }
        });
        moved();
        if (!refresh(error)) return false;
        chains([&](int64_t c, double*) {
          for (int64_t j = c * D; j < (c + 1) * D; j++) p[j] = T(double(p[j]) - half * double(g[j]));
        });
        return true;
      }
      case S_PROPOSE: {
        if (!refresh(error)) return false;
        std::copy(x, x + C_ * D, x0_.begin());
        std::copy(p, p + C_ * D, p0_.begin());
        std::copy(g, g + C_ * D, g0_.begin());
        std::copy(s_.energy, s_.energy + C_, E0_.begin());
        std::fill(logForward_.begin(), logForward_.end(), 0.0);
        inProposal_ = true;
        return true;
      }
      case S_ACCEPT: {
        if (!refresh(error)) return false;
        inProposal_ = false;
        const double T_ = ins.A.at(t);
        const double h = ins.flag == 1 ? ins.B.at(t) : 0;
        const double clip = ins.p1;
        const double sigma = ins.flag == 1 ? noiseScale(ins, ins.noiseKind, ins.C, ins.D, t) : 1;
        T* E = s_.energy;
        chains([&](int64_t c, const double* logU) {
          double logAlpha = -(double(E[c]) - double(E0_[size_t(c)])) / T_;
          if (ins.flag == 1) {
            double squares = 0;
            for (int64_t j = c * D; j < (c + 1) * D; j++) {
              const double r = double(x0_[size_t(j)]) - (double(x[j]) - h * clipped(double(g[j]), clip));
              squares += r * r;
            }
            logAlpha += -squares / (2 * sigma * sigma) - logForward_[size_t(c)];
          } else if (ins.flag == 2) {
            double kinetic = 0;
            for (int64_t j = c * D; j < (c + 1) * D; j++) {
              const double pj = double(p[j]), qj = double(p0_[size_t(j)]);
              kinetic += 0.5 * (pj * pj - qj * qj);
            }
            logAlpha -= kinetic / T_;
          }
          s_.proposed[c] += 1;
          if (*logU < logAlpha) {
            s_.accepted[c] += 1;
            if (!finiteChain(c)) s_.alive[c] = 0;
          } else {
            const double flip = ins.flag == 2 ? -1 : 1;
            E[c] = E0_[size_t(c)];
            for (int64_t j = c * D; j < (c + 1) * D; j++) {
              x[j] = x0_[size_t(j)];
              g[j] = g0_[size_t(j)];
              p[j] = T(flip * double(p0_[size_t(j)]));
            }
          }
        }, normals::Kind::LogUniform, int64_t(base) + ins.draw);
        return true;
      }
      default:
        return true;
    }
  }

  const SamplerProgram& prog_;
  const SamplerRun& run_;
  SamplerState<T>& s_;
  const int64_t C_, D_;
  const int64_t drawChains_;  // chains per batch of draws
  std::vector<T> x0_, p0_, g0_, E0_;
  std::vector<double> logForward_, scratch_;
  SessionLease<T> session_;
  std::vector<const T*> feeds_;
  std::vector<T*> outputs_;
  RunOptions options_;
  std::unique_ptr<SessionLease<T>> gradientSession_;  // the gradient tape's, when gradientOnly_
  std::vector<T*> gradientOutputs_;
  RunOptions gradientOptions_;  // its own: onlyChangedFeed speaks of that session's previous run
  bool gradientOnly_ = false;
  bool gradientFresh_ = false;  // the gradient (not the energy) belongs to x
  bool inProposal_ = false;
  bool pendingCheck_ = false;  // a refresh's non-finite check, for the next pass over the chains
};

}  // namespace

template <class T>
bool runSampler(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& state, std::string& error) {
  try {
    Loop<T> loop(program, run, state);
    return loop.run(error);
  } catch (const std::bad_alloc&) {
    error = "out of memory allocating the sampler's buffers";
    return false;
  }
}

template bool runSampler<float>(const SamplerProgram&, const SamplerRun&, SamplerState<float>&, std::string&);
template bool runSampler<double>(const SamplerProgram&, const SamplerRun&, SamplerState<double>&, std::string&);

}  // namespace hb
