// The sampler loop and what it offers the instruction handlers (sampler_blocks.cc): passes over the
// chains, the energy and gradient kept current, and the state a Metropolis proposal saves.
//
// Each pass over the chains is split into fixed blocks of chains that the pool spreads over threads; a
// chain's arithmetic never depends on its block or thread, and its draws come from its own Philox stream,
// so any thread count gives the same bits. Handlers write their arithmetic in the same order as their
// reference steps (src/sampler/blocks/) so that float64 follows the reference to rounding.
#pragma once
#include <algorithm>
#include <cmath>

#include "normals.h"
#include "pool.h"
#include "sampler.h"
#include "sampler_rows.h"

namespace hb {

namespace sampler {
constexpr int64_t CHAIN_BLOCK = 128;
// Draws are made for up to this many numbers at a time (32 KiB), so that they are still in L1 when used.
constexpr int64_t DRAW_SCRATCH = 4096;

// Chains per task of a pass over the chains: CHAIN_BLOCK, or fewer (whole batches of draws) so that a
// few chains still make four tasks a thread: with 64 chains of 3072 coordinates a pass of one task left
// the second thread idle while it drew the normals. A chain's draws and arithmetic do not depend on its
// task, so neither do the bits.
inline int64_t eachBlockOf(int64_t chains, int64_t drawChains, int threads) {
  const int64_t perTask = (chains + 4 * std::max(threads, 1) - 1) / (4 * std::max(threads, 1));
  return std::max(drawChains, std::min(CHAIN_BLOCK, (perTask + drawChains - 1) / drawChains * drawChains));
}
}  // namespace sampler

template <class T>
class SamplerLoop {
 public:
  SamplerLoop(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& s)
      : chains(run.chains), dimension(run.dimension), state(s),
        x0(savedSize(program)), p0(savedSize(program)), g0(savedSize(program)), E0(size_t(chains)), logForward(size_t(chains)),
        prog_(program), run_(run),
        drawChains_(std::max<int64_t>(8, std::min<int64_t>(sampler::CHAIN_BLOCK, sampler::DRAW_SCRATCH / std::max<int64_t>(dimension, 1)))),
        eachBlock_(sampler::eachBlockOf(chains, drawChains_, run.threads)),
        scratch_(size_t(((chains + eachBlock_ - 1) / eachBlock_) * drawChains_ * std::max<int64_t>(dimension, 1))), session_(run.exe) {
    feeds_.assign(run.feeds.size(), nullptr);
    for (size_t i = 0; i < run.feeds.size(); i++) feeds_[i] = static_cast<const T*>(run.feeds[i]);
    feeds_[size_t(run.xFeed)] = s.x;
    const size_t outputs = size_t(std::max(run.energyOutput, run.gradientOutput) + 1);
    outputs_.assign(outputs, nullptr);
    outputs_[size_t(run.energyOutput)] = s.energy;
    outputs_[size_t(run.gradientOutput)] = s.gradient;
    options_.threads = run.threads;
    options_.cancel = run.cancel;
    gradientOnly_ = run.gradientExe != nullptr && !program.needsEnergy;
    if (gradientOnly_) {
      gradientSession_.reset(new SessionLease<T>(run.gradientExe));
      gradientOutputs_.assign(1, s.gradient);
      gradientOptions_ = options_;
    }
  }

  bool run(std::string& error) {
    const auto& code = prog_.instructions;
    const int64_t every = run_.recording.every;
    int64_t slot = 0;
    for (int64_t t = run_.from; t < run_.to; t++) {
      if (cancelled()) {
        error = "cancelled";
        return false;
      }
      const SamplerStep s{t, uint64_t(t) * uint64_t(prog_.drawsPerStep)};
      for (size_t pc = 0; pc < code.size();) {
        size_t next = pc + 1;
        if (!code[pc]->run(*this, s, next, error)) return false;
        pc = next;
      }
      // A snapshot inside the call settles the chains as the end of a call does, so the steps after it
      // make the bits a call starting there would.
      if (every > 0 && t + 1 < run_.to && (t + 1 - run_.from) % every == 0) {
        if (!settle(error)) return false;
        record(slot++);
      }
    }
    if (!settle(error)) return false;
    if (every > 0 && run_.to > run_.from) record(slot);
    return true;
  }

  // fn(c, z) for every alive chain c, chains in fixed blocks spread over the pool. When `draw` ≥ 0, z is
  // chain c's draws draw … draw + D − 1 (normals), or its draw `draw` (Kind::LogUniform), made for runs of
  // drawChains_ chains at a time in SIMD lanes (for every chain, alive or not: the draws are pure functions
  // of the chain's stream and cost less in lanes than a gather).
  template <class F>
  void each(F&& fn, normals::Kind kind = normals::Kind::Normal, int64_t draw = -1) {
    const int tasks = int((chains + eachBlock_ - 1) / eachBlock_);
    const int64_t stride = kind == normals::Kind::Normal ? dimension : 1;
    const bool check = pendingCheck_;
    pendingCheck_ = false;
    Pool::shared().run(tasks, run_.threads, [&](int task) {
      double* z = scratch_.data() + size_t(task) * size_t(drawChains_ * std::max<int64_t>(dimension, 1));
      const int64_t end = std::min(chains, (task + 1) * eachBlock_);
      for (int64_t begin = task * eachBlock_; begin < end; begin += drawChains_) {
        const int64_t stop = std::min(end, begin + drawChains_);
        if (draw >= 0) normals::acrossStreams(kind, run_.seed, stream(begin), stop - begin, uint64_t(draw), stride, z, stride);
        for (int64_t c = begin; c < stop; c++) {
          // The check a refresh left for this pass: the chain's state is still what the executor saw.
          if (check && state.alive[c] && !finiteChain(c)) state.alive[c] = 0;
          if (state.alive[c]) fn(c, z + (c - begin) * stride);
        }
      }
    });
  }

  // The energy is judged only when it belongs to x (after a gradient-only evaluation it does not).
  bool finiteChain(int64_t c) const {
    if (state.fresh[0] && !std::isfinite(double(state.energy[c]))) return false;
    return rows::allFinite(state.x + c * dimension, dimension) && rows::allFinite(state.gradient + c * dimension, dimension);
  }

  // Makes the gradient (and the energy, where the program needs it) current. Chains that became
  // non-finite are marked dead by the next pass over the chains (each() does the check before anything
  // else touches the chain), which saves a pass of its own; within a proposal they are judged at the
  // accept instead.
  //
  // Between snapshots a program without a Metropolis test needs only the gradient: with a gradient tape it
  // evaluates that alone (fresh[0] stays 0: the energy is stale) and the energy with it at the end.
  bool refresh(std::string& error) {
    if (state.fresh[0] || gradientFresh_) return true;
    if (!gradientOnly_) return refreshAll(error);
    if (!(*gradientSession_)->run(feeds_.data(), gradientOutputs_.data(), gradientOptions_, error)) return false;
    gradientOptions_.onlyChangedFeed = run_.xFeed;  // from its second run on the session keeps its packed weights
    gradientFresh_ = true;
    if (!inProposal) pendingCheck_ = true;
    return true;
  }

  // E and ∇E at `rows` positions packed in the first rows of x (a [chains × D] buffer) into the first rows
  // of energy and gradient, leaving the state alone. When rowsIndependent() only those rows are computed;
  // otherwise the executor computes every row, and x must hold a position for each.
  bool evaluateRows(const T* x, int64_t rows, T* energy, T* gradient, std::string& error) {
    rowFeeds_ = feeds_;
    rowFeeds_[size_t(run_.xFeed)] = x;
    rowOutputs_ = outputs_;
    rowOutputs_[size_t(run_.energyOutput)] = energy;
    rowOutputs_[size_t(run_.gradientOutput)] = gradient;
    RunOptions options = options_;
    options.rows = rows;
    if (!session_->run(rowFeeds_.data(), rowOutputs_.data(), options, error)) return false;
    options_.onlyChangedFeed = run_.xFeed;
    return true;
  }
  bool rowsIndependent() const { return run_.exe->rowsIndependent(); }

  // x has changed: energy and gradient no longer belong to it.
  void moved() {
    state.fresh[0] = 0;
    gradientFresh_ = false;
  }

  // The tape's feed i (a parameter, in the run's dtype) and its length, or null when there is none.
  const T* feed(int64_t i, int64_t& length) const {
    if (i < 0 || i >= int64_t(feeds_.size()) || i == run_.xFeed || size_t(i) >= run_.feedSizes.size()) return nullptr;
    length = run_.feedSizes[size_t(i)];
    return feeds_[size_t(i)];
  }
  uint64_t seed() const { return run_.seed; }
  // Chain c's Philox stream: its index among all the chains, not within this run's block.
  uint64_t stream(int64_t c) const { return run_.firstChain + uint64_t(c); }
  int threads() const { return run_.threads; }

  const int64_t chains, dimension;
  SamplerState<T>& state;
  // The state a Metropolis proposal (or an energy difference) saved, and the log density of its forward
  // move. Only instructions that need E save x, p and ∇E (propose, and flips judged by energy
  // differences), so a program without one (ULA) leaves them empty rather than zeroing three arrays the
  // size of the block of chains at every call.
  std::vector<T> x0, p0, g0, E0;
  std::vector<double> logForward;
  bool inProposal = false;

 private:
  bool cancelled() const { return run_.cancel != nullptr && *run_.cancel != 0; }

  // What a call leaves: E and ∇E current, and the chains that became non-finite marked dead.
  bool settle(std::string& error) {
    if (!refreshAll(error)) return false;
    if (pendingCheck_) each([](int64_t, const double*) {});
    return true;
  }

  // Copies the chains into slot `slot` of the recording.
  void record(int64_t slot) {
    const SamplerRecording& r = run_.recording;
    const int64_t at = slot * r.slotChains + r.first, D = dimension;
    std::copy(state.x, state.x + chains * D, static_cast<T*>(r.x) + at * D);
    std::copy(state.energy, state.energy + chains, static_cast<T*>(r.energy) + at);
    std::copy(state.gradient, state.gradient + chains * D, static_cast<T*>(r.gradient) + at * D);
    std::copy(state.alive, state.alive + chains, r.alive + at);
    if (r.proposed != nullptr) std::copy(state.proposed, state.proposed + chains, r.proposed + at);
    if (r.accepted != nullptr) std::copy(state.accepted, state.accepted + chains, r.accepted + at);
    if (r.trees != nullptr) std::copy(state.trees, state.trees + chains * TREE_COLUMNS, r.trees + at * TREE_COLUMNS);
  }
  size_t savedSize(const SamplerProgram& program) const { return program.needsEnergy ? size_t(chains * dimension) : 0; }

  bool refreshAll(std::string& error) {
    if (state.fresh[0]) return true;
    if (!session_->run(feeds_.data(), outputs_.data(), options_, error)) return false;
    options_.onlyChangedFeed = run_.xFeed;
    state.fresh[0] = 1;
    if (!inProposal) pendingCheck_ = true;
    return true;
  }

  const SamplerProgram& prog_;
  const SamplerRun& run_;
  const int64_t drawChains_;  // chains per batch of draws
  const int64_t eachBlock_;   // chains per task of each()
  std::vector<double> scratch_;
  SessionLease<T> session_;
  std::vector<const T*> feeds_, rowFeeds_;
  std::vector<T*> outputs_, rowOutputs_;
  RunOptions options_;
  std::unique_ptr<SessionLease<T>> gradientSession_;  // the gradient tape's, when gradientOnly_
  std::vector<T*> gradientOutputs_;
  RunOptions gradientOptions_;  // its own: onlyChangedFeed speaks of that session's previous run
  bool gradientOnly_ = false;
  bool gradientFresh_ = false;  // the gradient (not the energy) belongs to x
  bool pendingCheck_ = false;   // a refresh's non-finite check, for the next pass over the chains
};

// A handler's entry in the table: its name, fields and decode.
template <class H>
SamplerHandler handler() {
  return {H::name, H::fields(), &H::decode};
}

// The base of a handler's instruction: both dtypes' run() call the instruction's `step` template.
template <class Derived>
class SamplerHandlerOf : public SamplerInstruction {
 public:
  bool run(SamplerLoop<float>& loop, const SamplerStep& s, size_t& next, std::string& error) const override {
    return static_cast<const Derived&>(*this).step(loop, s, next, error);
  }
  bool run(SamplerLoop<double>& loop, const SamplerStep& s, size_t& next, std::string& error) const override {
    return static_cast<const Derived&>(*this).step(loop, s, next, error);
  }
};

}  // namespace hb
