// Planning a tape (plan.h): values classified row-local or whole, instructions grouped into stages of
// whole steps and row segments, fusion (fuse.cc), block sizes and buffers.
#include <algorithm>
#include <limits>

#include "plan.h"

namespace hb {

namespace {

const int NEVER = std::numeric_limits<int>::max();
// Elements one block of a segment should touch, so that a block's values stay in the L2 cache.
// (Smaller blocks also even out the last blocks' imbalance between threads.)
const int64_t BLOCK_ELEMENTS = 1 << 15;

bool rowLocal(const Plan& p, const Instruction& ins, const std::vector<int>& args, std::vector<char>& sliced) {
  const int64_t B = p.batch;
  if (B < 0 || ins.shape.empty() || ins.shape[0] != B) return false;
  auto isRows = [&](int j) { return p.values[args[j]].rows; };
  sliced.assign(args.size(), 1);
  const size_t rank = ins.shape.size();
  if (isUnary(ins.op)) return isRows(0);
  if (isBinary(ins.op)) {
    bool any = false;
    for (size_t j = 0; j < args.size(); j++) {
      const Shape& s = ins.argShapes[j];
      bool full = s.size() == rank && s[0] == B;
      if (isRows(int(j))) {
        if (!full) return false;
        any = true;
      }
      sliced[j] = full;
    }
    return any;
  }
  switch (ins.op) {
    case MATMUL:
      // x·W, and x·W + b where a bias was folded in (biasIntoMatmul): W and b whole, x by rows.
      for (size_t j = 1; j < args.size(); j++) sliced[j] = 0;
      return isRows(0) && !isRows(1) && (args.size() < 3 || !isRows(2));
    case SUM:
    case LOGSUMEXP:
      return isRows(0) && (ins.axes.empty() || ins.axes[0] != 0);
    case RESHAPE:
      return isRows(0) && !ins.argShapes[0].empty() && ins.argShapes[0][0] == B;
    case BROADCAST: {
      // Also a value without the batch axis stretched over the batch (ones·w in a derivative): each block
      // writes its own rows of it, and what reads it can stay in the segment.
      const Shape& s = ins.argShapes[0];
      if (isRows(0)) return s.size() == rank;
      sliced[0] = 0;
      return s.size() < rank || s[0] == 1;
    }
    case TRANSPOSE:
      return isRows(0) && ins.perm[0] == 0;
    case SLICE:
      return isRows(0) && ins.axis != 0;
    case CONCAT: {
      if (ins.axis == 0) return false;
      bool any = false;
      for (size_t j = 0; j < args.size(); j++) any = any || isRows(int(j));
      return any;
    }
  }
  return false;
}

// Builds a plan in the order of `analyse`; the vectors are per value (slotValue per slot, stageOf and
// dead per planned instruction).
struct Planner {
  Plan& p;
  std::vector<int> slotValue;  // slot → the value it holds now
  // Stages: whole steps of stage s run before row segment s. A value is readable by row code from
  // stage rowsAt, by whole-array code from stage onceAt.
  std::vector<int> rowsAt, onceAt, stageOf;
  std::vector<int> producerOf;  // value → the planned instruction that computes it (−1: a feed or constant)
  std::vector<char> dead;       // per planned instruction: not run (its work is folded into a matmul)

  explicit Planner(Plan& plan) : p(plan) {}

  int addValue(Value v, uint64_t feeds) {
    p.values.push_back(std::move(v));
    p.feedsOf.push_back(feeds);
    return int(p.values.size()) - 1;
  }

  void leaves(const Program& prog) {
    for (const Feed& f : prog.feeds)
      if (f.input && !f.shape.empty()) {
        p.batch = f.shape[0];
        break;
      }
    slotValue.assign(prog.slots.size(), -1);
    for (size_t i = 0; i < prog.feeds.size(); i++) {
      const Feed& f = prog.feeds[i];
      bool rows = f.input && !f.shape.empty() && f.shape[0] == p.batch;
      slotValue[f.slot] = addValue({FEED, int(i), f.shape, sizeOf(f.shape), rows}, i < 63 ? uint64_t(1) << i : ~uint64_t(0));
    }
    for (size_t i = 0; i < prog.constants.size(); i++) {
      const Constant& c = prog.constants[i];
      slotValue[c.slot] = addValue({CONSTANT, int(i), c.shape, sizeOf(c.shape), false}, 0);
    }
    rowsAt.assign(p.values.size(), 0);
    onceAt.assign(p.values.size(), 0);
  }

  void instruction(const Instruction& ins) {
    if (ins.op == -1) {
      slotValue[ins.out] = slotValue[ins.args[0]];
      return;
    }
    PlannedInstruction pi;
    pi.ins = &ins;
    for (int a : ins.args) pi.args.push_back(slotValue[a]);
    pi.rows = rowLocal(p, ins, pi.args, pi.sliced);
    if (!pi.rows) pi.sliced.assign(pi.args.size(), 0);
    int stage = 0;
    uint64_t feeds = 0;
    for (int a : pi.args) {
      stage = std::max(stage, pi.rows ? rowsAt[a] : onceAt[a]);
      feeds |= p.feedsOf[a];
    }
    pi.out = addValue({TEMP, -1, ins.shape, sizeOf(ins.shape), pi.rows}, feeds);
    rowsAt.push_back(stage);
    onceAt.push_back(pi.rows ? stage + 1 : stage);
    slotValue[ins.out] = pi.out;
    stageOf.push_back(stage);
    producerOf.resize(p.values.size(), -1);
    producerOf[pi.out] = int(p.instrs.size());
    p.instrs.push_back(std::move(pi));
    // Transcendental unary ops cost about eight simple ones.
    double n = double(sizeOf(ins.shape));
    p.work += ins.op == MATMUL ? 2.0 * n * double(ins.argShapes[0][1]) : n * (isUnary(ins.op) && ins.op != NEG ? 8 : 1);
  }

  // A matmul whose B is the transpose of a matrix (Wᵀ in every derivative through a linear layer) packs
  // its panels from W with swapped strides, the same values; the transpose itself is not run when
  // nothing else reads it, which takes a serial pass over W off every call.
  void packTransposes() {
    std::vector<char> needed(p.values.size(), 0);
    dead.assign(p.instrs.size(), 0);
    for (PlannedInstruction& pi : p.instrs)
      for (size_t j = 0; j < pi.args.size(); j++) {
        int w = producerOf[pi.args[j]];
        const Instruction* t = w >= 0 ? p.instrs[w].ins : nullptr;
        if (pi.ins->op == MATMUL && j == 1 && t != nullptr && t->op == TRANSPOSE && t->shape.size() == 2 && t->perm[0] == 1) pi.transposedFrom = p.instrs[w].args[0];
        else needed[pi.args[j]] = 1;
      }
    for (int o : p.outputs) needed[o] = 1;
    for (size_t i = 0; i < p.instrs.size(); i++)
      if (p.instrs[i].ins->op == TRANSPOSE && !needed[p.instrs[i].out]) {
        dead[i] = 1;
        p.values[p.instrs[i].out].kind = SCRATCH;  // no buffer
      }
  }

  // A narrow matmul by rows whose A is a product u ⊙ v of two row values, read by nothing else (the
  // gradient of a 2-D input: (t ⊙ σ')·W1ᵀ), multiplies u and v as it loads its rows: the product's pass,
  // which writes a [B,k] value and reads it back, is not run.
  void foldProducts() {
    std::vector<int> readers(p.values.size(), 0);
    for (const PlannedInstruction& pi : p.instrs)
      for (int a : pi.args) readers[a]++;
    for (int o : p.outputs) readers[o]++;
    for (size_t i = 0; i < p.instrs.size(); i++) {
      PlannedInstruction& pi = p.instrs[i];
      if (pi.ins->op != MATMUL || !pi.rows || pi.ins->shape[1] > 4) continue;
      const int w = producerOf[pi.args[0]];
      if (w < 0 || dead[w] || readers[pi.args[0]] != 1 || stageOf[w] != stageOf[i]) continue;
      const PlannedInstruction& pw = p.instrs[w];
      const Shape& as = pi.ins->argShapes[0];
      if (pw.ins->op != MUL || !pw.rows || pw.ins->argShapes[0] != as || pw.ins->argShapes[1] != as || !pw.sliced[0] || !pw.sliced[1]) continue;
      pi.productOf[0] = pw.args[0];
      pi.productOf[1] = pw.args[1];
      dead[w] = 1;
      p.values[pi.args[0]].kind = SCRATCH;
    }
  }

  // Per stage: its whole steps, then its row segment.
  void steps() {
    int stages = 0;
    for (int s : stageOf) stages = std::max(stages, s + 1);
    for (int s = 0; s < stages; s++) {
      for (size_t i = 0; i < p.instrs.size(); i++)
        if (stageOf[i] == s && !p.instrs[i].rows && !dead[i]) p.steps.push_back({false, {int(i)}, 0, {}});
      Step seg{true, {}, 0, {}};
      for (size_t i = 0; i < p.instrs.size(); i++)
        if (stageOf[i] == s && p.instrs[i].rows && !dead[i]) seg.instrs.push_back(int(i));
      if (!seg.instrs.empty()) p.steps.push_back(std::move(seg));
    }
  }
};

// A fixed function of the tape (never of the thread count): about BLOCK_ELEMENTS per block, a multiple
// of 24 rows so that the matmul tiles (12, 6 or 4 rows) divide it.
void chooseBlockRows(Plan& p) {
  for (Step& step : p.steps) {
    if (!step.segment) continue;
    int64_t rowElements = 0;
    for (int i : step.instrs)
      if (p.values[p.instrs[i].out].kind != SCRATCH) rowElements += rowSize(p.values[p.instrs[i].out], p.batch);
    int64_t rows = BLOCK_ELEMENTS / std::max<int64_t>(rowElements, 1);
    step.blockRows = std::max<int64_t>(24, std::min<int64_t>(1032, rows / 24 * 24));
  }
}

// Per value, the last step that reads it (NEVER for outputs).
std::vector<int> lastReads(const Plan& p) {
  std::vector<int> last(p.values.size(), -1);
  auto read = [&](int v, int s) { last[v] = std::max(last[v], s); };
  for (size_t s = 0; s < p.steps.size(); s++)
    for (int i : p.steps[s].instrs) {
      const PlannedInstruction& pi = p.instrs[i];
      for (int a : pi.args) read(a, int(s));
      if (pi.transposedFrom >= 0) read(pi.transposedFrom, int(s));
      for (int u : pi.productOf)
        if (u >= 0) read(u, int(s));
    }
  for (int o : p.outputs) last[o] = NEVER;
  return last;
}

// Buffers by liveness over steps: inside a segment blocks run concurrently, so a buffer is reused only
// by a later step than the one that last reads it. Each value takes the smallest free buffer that holds it.
void assignBuffers(Plan& p) {
  const std::vector<int> lastStep = lastReads(p);
  std::vector<int> freeList;
  for (size_t s = 0; s < p.steps.size(); s++) {
    std::vector<int> born;
    for (int i : p.steps[s].instrs) {
      Value& v = p.values[p.instrs[i].out];
      if (v.kind == SCRATCH) continue;
      int best = -1;
      for (size_t j = 0; j < freeList.size(); j++) {
        int64_t cap = p.buffers[freeList[j]];
        if (cap >= v.size && (best < 0 || cap < p.buffers[freeList[best]])) best = int(j);
      }
      if (best >= 0) {
        v.index = freeList[best];
        freeList.erase(freeList.begin() + best);
      } else {
        p.buffers.push_back(v.size);
        v.index = int(p.buffers.size()) - 1;
      }
      born.push_back(p.instrs[i].out);
    }
    for (size_t v = 0; v < p.values.size(); v++) {
      if (p.values[v].kind != TEMP || p.values[v].index < 0) continue;
      bool bornHere = std::find(born.begin(), born.end(), int(v)) != born.end();
      if (lastStep[v] == int(s) || (bornHere && lastStep[v] < 0)) freeList.push_back(p.values[v].index);
    }
  }
}

}  // namespace

std::unique_ptr<Plan> analyse(const Program& prog) {
  auto plan = std::make_unique<Plan>();
  Plan& p = *plan;
  Planner planner(p);
  planner.leaves(prog);
  int slots = int(prog.slots.size());
  rewrite(prog, p.rewritten, slots, p.batch);
  planner.slotValue.resize(slots, -1);
  for (const Instruction& ins : p.rewritten) planner.instruction(ins);
  for (const Output& o : prog.outputs) p.outputs.push_back(planner.slotValue[o.slot]);
  planner.packTransposes();
  planner.foldProducts();
  planner.steps();
  hoistElementwise(p);
  fuse(p);
  chooseBlockRows(p);
  assignBuffers(p);
  return plan;
}

}  // namespace hb
