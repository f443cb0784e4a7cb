#include "executor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <atomic>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <new>
#include <thread>
#include <type_traits>

#include "kernels.h"
#include "pool.h"

namespace hb {

// ---------------------------------------------------------------- plan

namespace {
enum ValueKind { FEED, CONSTANT, TEMP, SCRATCH };  // SCRATCH: lives only in a fused group's tiles
const int NEVER = std::numeric_limits<int>::max();
// Buffers of one workspace may total at most this many elements (a hostile tape cannot ask for more).
const int64_t MAX_WORKSPACE = int64_t(1) << 28;
// Elements one block of a segment should touch, so that a block's values stay in the L2 cache.
// (Smaller blocks also even out the last blocks' imbalance between threads.)
const int64_t BLOCK_ELEMENTS = 1 << 15;
// Rows per task of a matmul outside segments, and elements per task of a large elementwise op.
const int64_t MATMUL_ROWS = 64;
const int64_t CHUNK = 1 << 15;
}  // namespace

struct Value {
  ValueKind kind;
  int index;  // feed or constant index, or buffer index for TEMP
  Shape shape;
  int64_t size;
  bool rows;  // row-local in the batch (its row i depends on row i of the batched inputs only)
};

struct Step {
  bool segment;                // a row-local segment (run block by block) or one whole instruction
  std::vector<int> instrs;     // indices into Plan::instrs
  int64_t blockRows = 0;
  std::vector<int> items;      // segment: an instruction index, or −(g + 1) for fused group g
};

// A fused group: consecutive elementwise instructions of a segment over one shape, run tile by tile (a
// few rows at a time) so that values used only inside the group never leave the L1 cache.
struct FusedOperand {
  enum Kind { SCRATCH_TILE, ROWS, SCALAR, ONE_ROW } kind;  // ONE_ROW: a row-shaped value read for every row
  int value;
  int scratch;
};
struct FusedOp {
  int instr;
  int nargs;
  FusedOperand args[2];
  int outScratch;  // −1: written to the value's buffer
  int outValue;
  // A chain (KernelTable::chain): on its first op, the number of ops in it (≥ 2); −1 on the ops it
  // covers after the first; 0 for an op run by itself.
  int chain = 0;
  // In a chain, before its last op: the value is also stored (ops outside the chain, or later steps of
  // it as a side operand, read it).
  bool tee = false;
};
struct Group {
  std::vector<FusedOp> ops;
  int64_t rowLen = 0, tileRows = 1;
  int scratchCount = 0;
};

struct PlannedInstruction {
  const Instruction* ins;
  std::vector<int> args;       // value ids
  std::vector<char> sliced;    // per arg, in a segment: read the block's rows (else the whole value)
  int out;                     // value id
  bool rows;
  int transposedFrom = -1;     // a matmul whose B is Wᵀ of a matrix: W's value id (packed from W directly)
  int productOf[2] = {-1, -1};  // a matmul whose A is u ⊙ v read only by it: u and v (multiplied as it loads them)
};

struct Plan {
  int64_t batch = -1;
  std::vector<Value> values;
  std::vector<PlannedInstruction> instrs;
  std::vector<Step> steps;
  std::vector<int64_t> buffers;  // sizes of the TEMP buffers (in elements)
  std::vector<int> outputs;      // value ids
  std::vector<Group> groups;
  std::deque<Instruction> rewritten;  // the instructions the plan runs (see shareSigmoid)
  double work = 0;               // rough operation count, for the default thread count
  std::vector<uint64_t> feedsOf;  // per value: bit f set when it depends on feed f (feeds past 63: all bits)
  int64_t epilogueRows = 24;     // rows of a matmul, then of the fused group after it, in turn
};

namespace {

int64_t rowSize(const Value& v, int64_t batch) { return batch > 0 ? v.size / batch : 0; }

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

// The kind of operand `j` of instruction `pi` in a fused group over `shape`, or false when it does not fit.
bool fusedOperand(const Plan& p, const PlannedInstruction& pi, int j, const Shape& shape, int64_t rowLen, FusedOperand& out) {
  const Shape& s = pi.ins->argShapes[j];
  out.value = pi.args[j];
  out.scratch = -1;
  if (pi.sliced[j] && s == shape) out.kind = FusedOperand::ROWS;
  else if (sizeOf(s) == 1) out.kind = FusedOperand::SCALAR;
  else if (!pi.sliced[j] && sizeOf(s) == rowLen && (s.size() < shape.size() || s[0] == 1)) out.kind = FusedOperand::ONE_ROW;
  else return false;
  (void)p;
  return true;
}

// Ops of a group that can run as one chain: each one reads the previous one's value once, as an operand,
// so that the running value stays in registers; values that other ops read as well are stored on the way
// (tee). Any unary op or binary arithmetic; a row-shaped operand needs rows that are whole blocks of the
// chain kernel. Runs longer than CHAIN_MAX_STEPS are split.
void chains(const Plan& p, Group& g, const std::vector<std::vector<int>>& consumers) {
  auto chainable = [&](const FusedOp& op) {
    const int code = p.instrs[op.instr].ins->op;
    if (!isBinary(code) && !isUnary(code)) return false;
    for (int j = 0; j < op.nargs; j++)
      if (op.args[j].kind == FusedOperand::ONE_ROW && g.rowLen % CHAIN_BLOCK != 0) return false;
    return true;
  };
  auto links = [&](const FusedOp& prev, const FusedOp& cur) {
    int reads = 0;
    for (int j = 0; j < cur.nargs; j++) reads += cur.args[j].value == prev.outValue;
    return reads == 1;
  };
  for (size_t i = 0; i < g.ops.size();) {
    size_t end = i + 1;
    if (chainable(g.ops[i]))
      while (end < g.ops.size() && end - i < size_t(CHAIN_MAX_STEPS) && chainable(g.ops[end]) && links(g.ops[end - 1], g.ops[end])) end++;
    if (end - i >= 2) {
      g.ops[i].chain = int(end - i);
      for (size_t k = i + 1; k < end; k++) g.ops[k].chain = -1;
      for (size_t k = i; k + 1 < end; k++) {
        const int v = g.ops[k].outValue;
        g.ops[k].tee = g.ops[k].outScratch < 0 || consumers[v].size() != 1;
      }
    }
    i = end;
  }
}

// Elementwise ops whose operands are all ready at an earlier run of elementwise ops of their shape move
// to the end of that run, where they join its fused group. In a gradient the derivative of an activation
// needs only forward values (σ·(1 + z·(1 − σ)) for SiLU): computed beside them, it is one value kept for
// the backward pass instead of two, and the backward group shrinks to the product with the incoming
// gradient. The same ops on the same operands: the same bits. Buffers are assigned per step afterwards,
// so the order inside a segment is free up to dependences.
void hoistElementwise(Plan& p) {
  const int64_t B = p.batch;
  auto elementwise = [&](int i) { const int op = p.instrs[i].ins->op; return isUnary(op) || isBinary(op); };
  auto fits = [&](int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const int64_t rowLen = B > 0 ? sizeOf(pi.ins->shape) / B : 0;
    FusedOperand f;
    for (size_t j = 0; j < pi.args.size(); j++)
      if (!fusedOperand(p, pi, int(j), pi.ins->shape, rowLen, f)) return false;
    return true;
  };
  for (Step& step : p.steps) {
    if (!step.segment) continue;
    std::vector<int>& order = step.instrs;
    for (size_t x = 0; x < order.size(); x++) {
      const int i = order[x];
      if (!elementwise(i) || !fits(i)) continue;
      // The latest producer of an operand inside this segment.
      int last = -1;
      for (size_t y = 0; y < x; y++)
        for (int a : p.instrs[i].args)
          if (p.instrs[order[y]].out == a) last = std::max(last, int(y));
      if (last < 0) continue;
      const Shape& shape = p.instrs[i].ins->shape;
      auto member = [&](size_t y) { return elementwise(order[y]) && fits(order[y]) && p.instrs[order[y]].ins->shape == shape; };
      size_t end = size_t(last) + 1;
      if (!member(size_t(last)) && !(end < x && member(end))) continue;
      while (end < x && member(end)) end++;
      if (end >= x) continue;  // already in that run
      order.erase(order.begin() + long(x));
      order.insert(order.begin() + long(end), i);
    }
  }
}

void fuse(Plan& p) {
  const int64_t B = p.batch;
  std::vector<std::vector<int>> consumers(p.values.size());
  for (size_t i = 0; i < p.instrs.size(); i++)
    for (int a : p.instrs[i].args) consumers[a].push_back(int(i));
  std::vector<char> isOutput(p.values.size(), 0);
  for (int o : p.outputs) isOutput[o] = 1;
  for (Step& step : p.steps) {
    if (!step.segment) continue;
    std::vector<int> members;
    auto close = [&] {
      if (members.size() < 2) {
        for (int i : members) step.items.push_back(i);
      } else {
        Group g;
        const Shape& shape = p.instrs[members[0]].ins->shape;
        g.rowLen = B > 0 ? sizeOf(shape) / B : 0;
        // About 1024 elements a tile: a chain call has a fixed cost (its program, its scalars), and 512
        // measured 2–3% slower on an MLP gradient, 256 4% slower still; the scratch tiles stay in L1.
        g.tileRows = std::max<int64_t>(1, 1024 / std::max<int64_t>(g.rowLen, 1));
        std::vector<int> scratchOf(p.values.size(), -1);
        for (int i : members) {
          const PlannedInstruction& pi = p.instrs[i];
          FusedOp op;
          op.instr = i;
          op.nargs = int(pi.args.size());
          for (int j = 0; j < op.nargs; j++) {
            fusedOperand(p, pi, j, shape, g.rowLen, op.args[j]);
            int sc = scratchOf[pi.args[j]];
            if (sc >= 0) {
              op.args[j].kind = FusedOperand::SCRATCH_TILE;
              op.args[j].scratch = sc;
            }
          }
          bool internal = !isOutput[pi.out] && !consumers[pi.out].empty();
          for (int c : consumers[pi.out]) internal = internal && std::find(members.begin(), members.end(), c) != members.end();
          op.outValue = pi.out;
          op.outScratch = -1;
          if (internal) {
            op.outScratch = scratchOf[pi.out] = g.scratchCount++;
            p.values[pi.out].kind = SCRATCH;
          }
          g.ops.push_back(op);
        }
        chains(p, g, consumers);
        p.groups.push_back(std::move(g));
        step.items.push_back(-int(p.groups.size()));
      }
      members.clear();
    };
    for (int i : step.instrs) {
      const PlannedInstruction& pi = p.instrs[i];
      const Instruction& ins = *pi.ins;
      bool elementwise = isUnary(ins.op) || isBinary(ins.op);
      bool fits = elementwise;
      if (fits && !members.empty() && p.instrs[members[0]].ins->shape != ins.shape) {
        close();
      }
      int64_t rowLen = B > 0 ? sizeOf(ins.shape) / B : 0;
      FusedOperand scratch;
      for (size_t j = 0; fits && j < pi.args.size(); j++) fits = fusedOperand(p, pi, int(j), ins.shape, rowLen, scratch);
      if (fits) {
        members.push_back(i);
      } else {
        close();
        step.items.push_back(i);
      }
    }
    close();
  }
}

// A derivative of silu(x) = x·σ(x) needs σ(x) again: where a tape computes silu(v) and later sigmoid(v)
// of the same value, silu becomes σ(v) into a fresh slot and v·σ(v) (the same operations the silu kernel
// does, so the same bits), and the later sigmoid reads that slot instead of evaluating e^x a second time.
// op −1 marks such an alias (args[0] is the slot it stands for).
void shareSigmoid(const Program& prog, std::deque<Instruction>& out, int& slots) {
  using Key = std::pair<int, long>;  // a slot and how many times it had been written: one value
  std::vector<long> version(prog.slots.size(), 0);
  std::set<Key> sigmoidOf;
  for (const Instruction& ins : prog.instructions) {
    if (ins.op == SIGMOID) sigmoidOf.insert({ins.args[0], version[ins.args[0]]});
    version[ins.out]++;
  }
  std::fill(version.begin(), version.end(), 0);
  std::map<Key, int> held;  // value → the fresh slot holding its sigmoid
  for (const Instruction& ins : prog.instructions) {
    Key key{ins.args[0], version[ins.args[0]]};
    if (ins.op == SILU && sigmoidOf.count(key) && !held.count(key)) {
      int t = slots++;
      Instruction sigma = ins;
      sigma.op = SIGMOID;
      sigma.out = t;
      out.push_back(sigma);
      Instruction product = ins;
      product.op = MUL;
      product.args = {ins.args[0], t};
      product.argShapes = {ins.argShapes[0], ins.shape};
      out.push_back(product);
      held[key] = t;
    } else if (ins.op == SIGMOID && held.count(key)) {
      Instruction alias = ins;
      alias.op = -1;
      alias.args = {held[key]};
      out.push_back(alias);
    } else {
      out.push_back(ins);
    }
    version[ins.out]++;
  }
}

// A reshape that keeps the batch axis leading changes no element's place: its result becomes an alias of
// its operand (op −1, as in shareSigmoid), read in place by every consumer, each through its own argument
// shape, and no copy runs. Liveness follows, since aliases share the operand's value.
void aliasReshapes(std::deque<Instruction>& code, int64_t B) {
  if (B <= 0) return;
  for (Instruction& ins : code)
    if (ins.op == RESHAPE && !ins.shape.empty() && ins.shape[0] == B && !ins.argShapes[0].empty() && ins.argShapes[0][0] == B) ins.op = -1;
}

// Who produced each operand of the rewritten code and who reads each result, through the aliases (op −1)
// the rewrites leave: producer[i][j] is the instruction whose value operand j of i reads (−1: a feed or
// constant), readers[w] the (instruction, operand) pairs that read w's value, output[w] whether it is
// one of the program's outputs.
struct Dataflow {
  std::vector<std::vector<int>> producer;
  std::vector<std::vector<std::pair<int, int>>> readers;
  std::vector<char> output;
};

Dataflow dataflowOf(const Program& prog, const std::deque<Instruction>& code, int slots) {
  const size_t n = code.size();
  Dataflow d{std::vector<std::vector<int>>(n), std::vector<std::vector<std::pair<int, int>>>(n), std::vector<char>(n, 0)};
  std::vector<int> current(slots, -1);  // slot → the instruction whose value it holds
  for (size_t i = 0; i < n; i++) {
    const Instruction& ins = code[i];
    for (size_t j = 0; j < ins.args.size(); j++) {
      const int w = current[ins.args[j]];
      d.producer[i].push_back(w);
      if (w >= 0 && ins.op >= 0) d.readers[w].push_back({int(i), int(j)});
    }
    current[ins.out] = ins.op < 0 ? d.producer[i][0] : int(i);
  }
  for (const Output& o : prog.outputs)
    if (current[o.slot] >= 0) d.output[current[o.slot]] = 1;
  return d;
}

// m = x·W read only by z = m + b, with b a feed or constant of one row ([n] or [1, n]): the matmul takes b
// as a third operand and adds it as it stores its sums (KernelTable::gemm), and z becomes an alias of its
// result, so the pass that added the bias is gone. m + b is one rounding either way, so the bits are
// those of the separate add.
void biasIntoMatmul(const Program& prog, std::deque<Instruction>& code, int slots) {
  const size_t n = code.size();
  const Dataflow d = dataflowOf(prog, code, slots);
  std::vector<char> written(slots, 0);  // written by some instruction (not a feed or constant that stays)
  for (const Instruction& ins : code) written[ins.out] = 1;
  for (size_t j = 0; j < n; j++) {
    Instruction& add = code[j];
    if (add.op != ADD || add.shape.size() != 2) continue;
    for (int k = 0; k < 2; k++) {
      const int w = d.producer[j][k];
      if (w < 0 || code[w].op != MATMUL || code[w].args.size() != 2 || d.readers[w].size() != 1 || d.output[w] || code[w].shape != add.shape) continue;
      const int b = add.args[1 - k];
      const Shape& bs = add.argShapes[1 - k];
      const bool oneRow = (bs.size() == 1 && bs[0] == add.shape[1]) || (bs.size() == 2 && bs[0] == 1 && bs[1] == add.shape[1]);
      if (!oneRow || written[b] || add.argShapes[k] != add.shape) continue;
      code[w].args.push_back(b);
      code[w].argShapes.push_back(bs);
      const int mSlot = add.args[k];  // holds the matmul's value when the add runs
      add.op = -1;
      add.args = {mSlot};
      break;
    }
  }
}

// Values equal in every row of the batch (`ones·wᵀ` in the derivative of a sum through a linear layer:
// a broadcast of a value without the batch axis, then products and elementwise ops of such values) are
// computed once, as one row: their instructions get a leading extent of 1, and the elementwise ops that
// read them broadcast that row as they broadcast a bias. A full [B,…] pass written and read back per such
// value disappears; each element still comes from the same operations on the same operands (a matmul's
// sums do not depend on how many rows it is given), so the bits are unchanged. A value stays full when
// it is an output or something other than an elementwise op reads it.
void uniformRows(const Program& prog, std::deque<Instruction>& code, int slots, int64_t B) {
  if (B <= 1) return;
  const size_t n = code.size();
  const Dataflow d = dataflowOf(prog, code, slots);
  const auto& producer = d.producer;
  const auto& readers = d.readers;
  const auto& output = d.output;
  std::vector<char> uniform(n, 0);
  auto full = [&](const Shape& s, size_t rank) { return s.size() == rank && s[0] == B; };
  auto derives = [&](size_t i) {
    const Instruction& ins = code[i];
    const size_t rank = ins.shape.size();
    if (ins.op < 0 || rank == 0 || ins.shape[0] != B) return false;
    if (ins.op == BROADCAST) return ins.argShapes[0].size() < rank || ins.argShapes[0][0] == 1;
    if (ins.op == MATMUL || isUnary(ins.op)) return producer[i][0] >= 0 && uniform[producer[i][0]] != 0;
    if (!isBinary(ins.op)) return false;
    bool any = false;
    for (size_t j = 0; j < ins.args.size(); j++)
      if (full(ins.argShapes[j], rank)) {
        if (producer[i][j] < 0 || !uniform[producer[i][j]]) return false;
        any = true;
      }
    return any;
  };
  for (size_t i = 0; i < n; i++) uniform[i] = derives(i);
  // Demote until stable: a value read whole by anything but an elementwise op, or derived from a demoted one.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; i++) {
      if (!uniform[i]) continue;
      bool keep = !output[i] && derives(i);
      for (auto [c, j] : readers[i]) {
        const Instruction& r = code[c];
        // An elementwise op broadcasts the one row against another full operand; a uniform reader takes it whole.
        bool rowOperand = uniform[c] ? r.op != BROADCAST && (isBinary(r.op) || j == 0) : false;
        if (!uniform[c] && isBinary(r.op) && full(r.argShapes[j], r.shape.size()))
          for (size_t k = 0; k < r.args.size(); k++)
            rowOperand = rowOperand || (int(k) != j && full(r.argShapes[k], r.shape.size()) && (producer[c][k] < 0 || !uniform[producer[c][k]]));
        keep = keep && rowOperand;
      }
      if (!keep) {
        uniform[i] = 0;
        changed = true;
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (!uniform[i]) continue;
    code[i].shape[0] = 1;
    for (auto [c, j] : readers[i]) code[c].argShapes[j][0] = 1;
  }
}

std::unique_ptr<Plan> analyse(const Program& prog) {
  auto plan = std::make_unique<Plan>();
  Plan& p = *plan;
  for (const Feed& f : prog.feeds)
    if (f.input && !f.shape.empty()) {
      p.batch = f.shape[0];
      break;
    }
  int slotCount = int(prog.slots.size());
  shareSigmoid(prog, p.rewritten, slotCount);
  uniformRows(prog, p.rewritten, slotCount, p.batch);
  aliasReshapes(p.rewritten, p.batch);
  biasIntoMatmul(prog, p.rewritten, slotCount);
  std::vector<int> slotValue(slotCount, -1);
  for (size_t i = 0; i < prog.feeds.size(); i++) {
    const Feed& f = prog.feeds[i];
    bool rows = f.input && !f.shape.empty() && f.shape[0] == p.batch;
    p.values.push_back({FEED, int(i), f.shape, sizeOf(f.shape), rows});
    p.feedsOf.push_back(i < 63 ? uint64_t(1) << i : ~uint64_t(0));
    slotValue[f.slot] = int(p.values.size()) - 1;
  }
  for (size_t i = 0; i < prog.constants.size(); i++) {
    const Constant& c = prog.constants[i];
    p.values.push_back({CONSTANT, int(i), c.shape, sizeOf(c.shape), false});
    p.feedsOf.push_back(0);
    slotValue[c.slot] = int(p.values.size()) - 1;
  }
  // Stages: ONCE group g runs before row segment g. A value is readable by row code from stage rowsAt,
  // by whole-array code from stage onceAt.
  std::vector<int> rowsAt(p.values.size(), 0), onceAt(p.values.size(), 0);
  std::vector<int> stageOf;
  for (const Instruction& ins : p.rewritten) {
    if (ins.op == -1) {
      slotValue[ins.out] = slotValue[ins.args[0]];
      continue;
    }
    PlannedInstruction pi;
    pi.ins = &ins;
    for (int a : ins.args) pi.args.push_back(slotValue[a]);
    pi.rows = rowLocal(p, ins, pi.args, pi.sliced);
    if (!pi.rows) pi.sliced.assign(pi.args.size(), 0);
    int stage = 0;
    for (int a : pi.args) stage = std::max(stage, pi.rows ? rowsAt[a] : onceAt[a]);
    p.values.push_back({TEMP, -1, ins.shape, sizeOf(ins.shape), pi.rows});
    uint64_t feeds = 0;
    for (int a : pi.args) feeds |= p.feedsOf[a];
    p.feedsOf.push_back(feeds);
    int v = int(p.values.size()) - 1;
    rowsAt.push_back(stage);
    onceAt.push_back(pi.rows ? stage + 1 : stage);
    pi.out = v;
    slotValue[ins.out] = v;
    stageOf.push_back(stage);
    p.instrs.push_back(std::move(pi));
    double n = double(sizeOf(ins.shape));
    p.work += ins.op == MATMUL ? 2.0 * n * double(ins.argShapes[0][1]) : n * (ins.op <= POW && ins.op >= EXP ? 8 : 1);
  }
  for (const Output& o : prog.outputs) p.outputs.push_back(slotValue[o.slot]);
  // A matmul whose B is the transpose of a matrix (Wᵀ in every derivative through a linear layer) packs
  // its panels from W with swapped strides, the same values; the transpose itself is not run when
  // nothing else reads it, which takes a serial pass over W off every call.
  std::vector<int> producerOf(p.values.size(), -1);
  std::vector<char> needed(p.values.size(), 0), dead(p.instrs.size(), 0);
  for (size_t i = 0; i < p.instrs.size(); i++) {
    PlannedInstruction& pi = p.instrs[i];
    for (size_t j = 0; j < pi.args.size(); j++) {
      int w = producerOf[pi.args[j]];
      const Instruction* t = w >= 0 ? p.instrs[w].ins : nullptr;
      if (pi.ins->op == MATMUL && j == 1 && t != nullptr && t->op == TRANSPOSE && t->shape.size() == 2 && t->perm[0] == 1) pi.transposedFrom = p.instrs[w].args[0];
      else needed[pi.args[j]] = 1;
    }
    producerOf[pi.out] = int(i);
  }
  for (int o : p.outputs) needed[o] = 1;
  for (size_t i = 0; i < p.instrs.size(); i++)
    if (p.instrs[i].ins->op == TRANSPOSE && !needed[p.instrs[i].out]) {
      dead[i] = 1;
      p.values[p.instrs[i].out].kind = SCRATCH;  // no buffer
    }
  // A narrow matmul by rows whose A is a product u ⊙ v of two row values, read by nothing else (the
  // gradient of a 2-D input: (t ⊙ σ')·W1ᵀ), multiplies u and v as it loads its rows: the product's pass,
  // which writes a [B,k] value and reads it back, is not run.
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
  hoistElementwise(p);
  fuse(p);
  for (Step& step : p.steps) {
    if (!step.segment) continue;
    int64_t rowElements = 0;
    for (int i : step.instrs)
      if (p.values[p.instrs[i].out].kind != SCRATCH) rowElements += rowSize(p.values[p.instrs[i].out], p.batch);
    // A fixed function of the tape (never of the thread count): about BLOCK_ELEMENTS per block, a multiple
    // of 24 rows so that the matmul tiles (12, 6 or 4 rows) divide it.
    int64_t rows = BLOCK_ELEMENTS / std::max<int64_t>(rowElements, 1);
    step.blockRows = std::max<int64_t>(24, std::min<int64_t>(1032, rows / 24 * 24));
  }
  // Buffers by liveness over steps: inside a segment blocks run concurrently, so a buffer is reused
  // only by a later step than the one that last reads it.
  std::vector<int> lastStep(p.values.size(), -1), stepOfInstr(p.instrs.size(), 0);
  for (size_t s = 0; s < p.steps.size(); s++)
    for (int i : p.steps[s].instrs) {
      stepOfInstr[i] = int(s);
      for (int a : p.instrs[i].args) lastStep[a] = std::max(lastStep[a], int(s));
      if (p.instrs[i].transposedFrom >= 0) lastStep[p.instrs[i].transposedFrom] = std::max(lastStep[p.instrs[i].transposedFrom], int(s));
      for (int u : p.instrs[i].productOf)
        if (u >= 0) lastStep[u] = std::max(lastStep[u], int(s));
    }
  for (int o : p.outputs) lastStep[o] = NEVER;
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
  return plan;
}

// ---------------------------------------------------------------- kernels on shapes

std::vector<int64_t> stridesOf(const Shape& s) {
  std::vector<int64_t> r(s.size());
  int64_t acc = 1;
  for (size_t i = s.size(); i-- > 0;) {
    r[i] = acc;
    acc *= s[i];
  }
  return r;
}

std::vector<int64_t> broadcastStrides(const Shape& from, const Shape& to) {
  std::vector<int64_t> s = stridesOf(from), r(to.size(), 0);
  size_t off = to.size() - from.size();
  for (size_t i = off; i < to.size(); i++) r[i] = from[i - off] == 1 ? 0 : s[i - off];
  return r;
}

// Calls f(offsetA, offsetB, offsetOut, innerLength) for every run along the innermost axis.
template <class F>
void walkRuns(const Shape& shape, const std::vector<int64_t>& sa, const std::vector<int64_t>& sb, F f) {
  const size_t rank = shape.size();
  if (sizeOf(shape) == 0) return;
  if (rank == 0) return f(0, 0, 0, 1);
  int64_t inner = shape[rank - 1];
  std::vector<int64_t> index(rank, 0);
  int64_t oa = 0, ob = 0, oo = 0;
  for (;;) {
    f(oa, ob, oo, inner);
    oo += inner;
    size_t ax = rank - 1;
    for (;;) {
      if (ax == 0) return;
      ax--;
      index[ax]++;
      oa += sa[ax];
      ob += sb[ax];
      if (index[ax] < shape[ax]) break;
      oa -= sa[ax] * shape[ax];
      ob -= sb[ax] * shape[ax];
      index[ax] = 0;
    }
  }
}

// y = f(a, b) over the broadcast shape ys, with the last two axes as plain strided loops inside one walk
// over the others: a row-local [B,1,k] against a [1,m,k] constant walks B runs of m×k elements with
// the arithmetic inline, not B·m runs of k through the kernel table. Each element is the same single
// operation on the same operands as in any other walk, so the bits never depend on the path.
template <class T, class F>
void broadcastLoop(const T* a, const std::vector<int64_t>& sa, const T* b, const std::vector<int64_t>& sb, T* y, const Shape& ys, F f) {
  const size_t rank = ys.size();
  if (rank < 2) {
    const int64_t n = rank ? ys[0] : 1, a0 = rank ? sa[0] : 0, b0 = rank ? sb[0] : 0;
    for (int64_t i = 0; i < n; i++) y[i] = f(a[i * a0], b[i * b0]);
    return;
  }
  const int64_t n1 = ys[rank - 2], n0 = ys[rank - 1], inner = n1 * n0;
  const int64_t a1 = sa[rank - 2], a0 = sa[rank - 1], b1 = sb[rank - 2], b0 = sb[rank - 1];
  if (inner == 0) return;
  thread_local Shape outer;
  thread_local std::vector<int64_t> oa, ob;
  outer.assign(ys.begin(), ys.end() - 1);
  outer.back() = 1;
  oa.assign(sa.begin(), sa.end() - 1);
  oa.back() = 0;
  ob.assign(sb.begin(), sb.end() - 1);
  ob.back() = 0;
  // The last axis's extent, and each operand's stride along it where it is 0 or 1, as constants: the loop
  // over a row then unrolls into straight code with plain (or broadcast) loads.
  auto walk = [&](auto extent, auto strideA, auto strideB) {
    constexpr int64_t N0 = decltype(extent)::value, SA = decltype(strideA)::value, SB = decltype(strideB)::value;
    const int64_t m0 = N0 > 0 ? N0 : n0, s0 = SA >= 0 ? SA : a0, t0 = SB >= 0 ? SB : b0;
    // One operand's row repeated down the block against the other's contiguous block ([B,1,k] − [1,m,k]):
    // one flat loop over the block, the repeated row indexed modulo k (a constant), which vectorises.
    const bool rowA = N0 > 0 && SA == 1 && SB == 1 && a1 == 0 && b1 == N0;
    const bool rowB = N0 > 0 && SA == 1 && SB == 1 && b1 == 0 && a1 == N0;
    walkRuns(outer, oa, ob, [&](int64_t pa, int64_t pb, int64_t po, int64_t) {
      const T* ra = a + pa;
      const T* rb = b + pb;
      T* ry = y + po * inner;
      if (rowA || rowB) {
        // The repeated row as vectors (its pattern repeats every lcm(k, lanes) elements), against plain
        // vector loads of the other operand; lane by lane the same operation on the same operands.
        typedef T V __attribute__((vector_size(16)));
        typedef T U __attribute__((vector_size(16), aligned(sizeof(T))));
        constexpr int64_t L = int64_t(16 / sizeof(T));
        constexpr int64_t P = N0 > 0 && N0 % L == 0 ? N0 / L : 1;  // pattern vectors
        const T* row = rowA ? ra : rb;
        const T* full = rowA ? rb : ra;
        if (N0 > 0 && (N0 % L == 0 || L % N0 == 0) && inner % (P * L) == 0) {
          V pattern[P];
          for (int64_t v = 0; v < P; v++)
            for (int64_t l = 0; l < L; l++) pattern[v][l] = row[(v * L + l) % m0];
          for (int64_t i = 0; i < inner; i += P * L)
            for (int64_t v = 0; v < P; v++) {
              const V w = *reinterpret_cast<const U*>(full + i + v * L);
              *reinterpret_cast<U*>(ry + i + v * L) = rowA ? f(pattern[v], w) : f(w, pattern[v]);
            }
          return;
        }
        if (rowA)
          for (int64_t i = 0; i < inner; i++) ry[i] = f(ra[i % m0], rb[i]);
        else
          for (int64_t i = 0; i < inner; i++) ry[i] = f(ra[i], rb[i % m0]);
        return;
      }
      for (int64_t i1 = 0; i1 < n1; i1++) {
        const T* ua = ra + i1 * a1;
        const T* ub = rb + i1 * b1;
        T* uy = ry + i1 * m0;
        for (int64_t i0 = 0; i0 < m0; i0++) uy[i0] = f(ua[i0 * s0], ub[i0 * t0]);
      }
    });
  };
  using Any = std::integral_constant<int64_t, -1>;
  using Zero = std::integral_constant<int64_t, 0>;
  using One = std::integral_constant<int64_t, 1>;
  auto strides = [&](auto extent) {
    if (a0 == 1 && b0 == 1) return walk(extent, One(), One());
    if (a0 == 1 && b0 == 0) return walk(extent, One(), Zero());
    if (a0 == 0 && b0 == 1) return walk(extent, Zero(), One());
    if (a0 == 0 && b0 == 0) return walk(extent, Zero(), Zero());
    return walk(extent, Any(), Any());
  };
  switch (n0) {
    case 1: return walk(std::integral_constant<int64_t, 1>(), Any(), Any());
    case 2: return strides(std::integral_constant<int64_t, 2>());
    case 3: return strides(std::integral_constant<int64_t, 3>());
    case 4: return strides(std::integral_constant<int64_t, 4>());
    case 8: return strides(std::integral_constant<int64_t, 8>());
    default: return strides(Zero());
  }
}

template <class T>
void binaryShaped(const KernelTable<T>& K, int op, const T* a, const Shape& as, const T* b, const Shape& bs, T* y, const Shape& ys) {
  int64_t n = sizeOf(ys);
  if (as == bs) return K.binary(op, a, b, y, n, 0);
  if (sizeOf(bs) == 1 && as == ys) return K.binary(op, a, b, y, n, 1);
  if (sizeOf(as) == 1 && bs == ys) return K.binary(op, a, b, y, n, 2);
  thread_local std::vector<int64_t> sa, sb;
  sa = broadcastStrides(as, ys);
  sb = broadcastStrides(bs, ys);
  switch (op) {
    // Generic lambdas: broadcastLoop applies them to scalars and to vectors of T.
    case ADD: return broadcastLoop(a, sa, b, sb, y, ys, [](auto u, auto v) { return u + v; });
    case SUB: return broadcastLoop(a, sa, b, sb, y, ys, [](auto u, auto v) { return u - v; });
    case MUL: return broadcastLoop(a, sa, b, sb, y, ys, [](auto u, auto v) { return u * v; });
    case DIV: return broadcastLoop(a, sa, b, sb, y, ys, [](auto u, auto v) { return u / v; });
  }
}

// Reduced axes that form one contiguous range view x as [outer, R, inner] (y as [outer, inner]); each
// output still sums its R inputs in increasing order from 0, as the row-major walk of the reference does.
bool reductionRange(const Instruction& ins, const Shape& xs, int64_t& outer, int64_t& R, int64_t& inner) {
  if (ins.axes.empty() || ins.axes.back() - ins.axes.front() + 1 != int(ins.axes.size())) return false;
  outer = R = inner = 1;
  for (int i = 0; i < int(xs.size()); i++) {
    if (i < ins.axes.front()) outer *= xs[i];
    else if (i > ins.axes.back()) inner *= xs[i];
    else R *= xs[i];
  }
  return true;
}

// logsumexp over [outer, R, inner]: per output the maximum (NaN noted), Σ e^(x − m) in order, m + log Σ.
// float32 evaluates e^x and the final logarithms with the kernels' vectorised exp and log over a chunk
// of outputs at once (within 2.6 and 0.8 ulp); float64 keeps libm's exp and log, so its bits are unchanged.
template <class T>
void logsumexpRange(const KernelTable<T>& K, const T* x, T* y, int64_t outer, int64_t R, int64_t inner) {
  const int64_t per = R * inner;
  if (per == 0) {
    for (int64_t t = 0; t < outer * inner; t++) y[t] = -std::numeric_limits<T>::infinity();
    return;
  }
  const int64_t chunk = std::max<int64_t>(1, 512 / per);
  thread_local std::vector<T> mBuffer, dBuffer, eBuffer, sBuffer;
  thread_local std::vector<char> nanBuffer;
  mBuffer.resize(chunk * inner);
  sBuffer.resize(chunk * inner);
  nanBuffer.resize(chunk * inner);
  dBuffer.resize(chunk * per);
  eBuffer.resize(chunk * per);
  // Plain pointers: through the thread_local vectors every access would look the thread's block up again.
  T* const m = mBuffer.data();
  T* const s = sBuffer.data();
  T* const d = dBuffer.data();
  T* const e = eBuffer.data();  // the kernels' operands never alias their outputs
  char* const nan = nanBuffer.data();
  // RC: the reduced extent as a constant (0: not known), LAST: the last axis (inner 1). Constants let the
  // loops over a row unroll and the loops over outputs vectorise; every output still takes its maximum,
  // then adds its exponentials in order from 0.
  auto pass = [&](auto extent, auto lastAxis) {
    constexpr int64_t RC = decltype(extent)::value;
    constexpr bool LAST = decltype(lastAxis)::value;
    const int64_t r1 = RC > 0 ? RC : R, in = LAST ? 1 : inner;
    for (int64_t o0 = 0; o0 < outer; o0 += chunk) {
      const int64_t co = std::min(chunk, outer - o0);
      const T* xc = x + o0 * per;
      T* yc = y + o0 * in;
      if constexpr (LAST) {
        // The running maximum stays in a register.
        for (int64_t o = 0; o < co; o++) {
          T mo = -std::numeric_limits<T>::infinity();
          char no = 0;
          for (int64_t r = 0; r < r1; r++) {
            T v = xc[o * r1 + r];
            no |= char(v != v);
            mo = v > mo ? v : mo;
          }
          m[o] = mo;
          nan[o] = no;
        }
      } else {
        for (int64_t t = 0; t < co * in; t++) {
          m[t] = -std::numeric_limits<T>::infinity();
          nan[t] = 0;
        }
        for (int64_t o = 0; o < co; o++)
          for (int64_t r = 0; r < r1; r++)
            for (int64_t i = 0; i < in; i++) {
              T v = xc[(o * r1 + r) * in + i];
              int64_t t = o * in + i;
              nan[t] |= char(v != v);
              m[t] = v > m[t] ? v : m[t];
            }
      }
      for (int64_t o = 0; o < co; o++)
        for (int64_t r = 0; r < r1; r++)
          for (int64_t i = 0; i < in; i++) d[(o * r1 + r) * in + i] = xc[(o * r1 + r) * in + i] - m[o * in + i];
      if constexpr (std::is_same<T, float>::value) K.unary(EXP, 0, d, e, co * per);
      else
        for (int64_t j = 0; j < co * per; j++) e[j] = std::exp(d[j]);
      // The sum is only used where the maximum is finite (else the result is m or NaN), so it is taken
      // for every output without a branch.
      for (int64_t o = 0; o < co; o++)
        for (int64_t i = 0; i < in; i++) {
          T acc = T(0);
          for (int64_t r = 0; r < r1; r++) acc += e[(o * r1 + r) * in + i];
          s[o * in + i] = acc;
        }
      // The logarithms of the chunk's sums in one kernel call (vectorised in float32; libm in float64).
      K.unary(LOG, 0, s, d, co * in);
      for (int64_t t = 0; t < co * in; t++)
        yc[t] = nan[t] ? std::numeric_limits<T>::quiet_NaN() : std::isfinite(m[t]) ? m[t] + d[t] : m[t];
    }
  };
  using Last = std::true_type;
  if (inner != 1) return pass(std::integral_constant<int64_t, 0>(), std::false_type());
  switch (R) {
    case 2: return pass(std::integral_constant<int64_t, 2>(), Last());
    case 4: return pass(std::integral_constant<int64_t, 4>(), Last());
    case 8: return pass(std::integral_constant<int64_t, 8>(), Last());
    default: return pass(std::integral_constant<int64_t, 0>(), Last());
  }
}

template <class T>
void reduceShaped(const KernelTable<T>& K, int op, const Instruction& ins, const T* x, const Shape& xs, T* y, int64_t ySize) {
  int64_t outer, R, inner;
  if (reductionRange(ins, xs, outer, R, inner)) {
    if (op == LOGSUMEXP) {
      if (inner == 1 && K.logsumexpRows(x, y, outer, R)) return;
      return logsumexpRange(K, x, y, outer, R, inner);
    }
    // Each output adds its inputs in order from 0. A small inner extent (a constant, so the loops unroll)
    // keeps an output's partial sums in registers; a large one walks chunks of outputs that fit in L1 with
    // r outermost, vectorised across the outputs.
    auto run = [&](auto extent) {
      constexpr int64_t N = decltype(extent)::value;
      if constexpr (N == 1) {
        // The last axis: with a short reduced extent as a constant too, the loop over outputs vectorises
        // (interleaved loads), each lane adding its output's inputs in order from 0.
        auto last = [&](auto extent) {
          constexpr int64_t M = decltype(extent)::value;
          const int64_t r1 = M > 0 ? M : R;
          for (int64_t o = 0; o < outer; o++) {
            T acc = T(0);
            for (int64_t r = 0; r < r1; r++) acc += x[o * r1 + r];
            y[o] = acc;
          }
        };
        switch (R) {
          case 2: return last(std::integral_constant<int64_t, 2>());
          case 4: return last(std::integral_constant<int64_t, 4>());
          case 8: return last(std::integral_constant<int64_t, 8>());
          default: return last(std::integral_constant<int64_t, 0>());
        }
      } else if constexpr (N > 0) {
        for (int64_t o = 0; o < outer; o++) {
          const T* xo = x + o * R * N;
          T acc[N];
          for (int64_t i = 0; i < N; i++) acc[i] = T(0);
          for (int64_t r = 0; r < R; r++)
            for (int64_t i = 0; i < N; i++) acc[i] += xo[r * N + i];
          for (int64_t i = 0; i < N; i++) y[o * N + i] = acc[i];
        }
      } else {
        const int64_t chunk = std::max<int64_t>(1, 256 / std::max<int64_t>(inner, 1));
        for (int64_t o0 = 0; o0 < outer; o0 += chunk) {
          const int64_t co = std::min(chunk, outer - o0);
          const T* xc = x + o0 * R * inner;
          T* yc = y + o0 * inner;
          for (int64_t t = 0; t < co * inner; t++) yc[t] = T(0);
          for (int64_t r = 0; r < R; r++)
            for (int64_t o = 0; o < co; o++)
              for (int64_t i = 0; i < inner; i++) yc[o * inner + i] += xc[(o * R + r) * inner + i];
        }
      }
    };
    switch (inner) {
      case 1: run(std::integral_constant<int64_t, 1>()); break;
      case 2: run(std::integral_constant<int64_t, 2>()); break;
      case 3: run(std::integral_constant<int64_t, 3>()); break;
      case 4: run(std::integral_constant<int64_t, 4>()); break;
      case 8: run(std::integral_constant<int64_t, 8>()); break;
      default: run(std::integral_constant<int64_t, 0>()); break;
    }
    return;
  }
  const size_t rank = xs.size();
  std::vector<char> reduced(rank, 0);
  for (int a : ins.axes) reduced[a] = 1;
  // Output strides over the input's axes (0 along reduced axes): the same walk as the reference kernel,
  // so every output element sums its inputs in the same (row-major) order.
  Shape kept(rank);
  for (size_t i = 0; i < rank; i++) kept[i] = reduced[i] ? 1 : xs[i];
  std::vector<int64_t> os = stridesOf(kept);
  for (size_t i = 0; i < rank; i++)
    if (reduced[i]) os[i] = 0;
  std::vector<int64_t> none(rank, 0);
  if (op == SUM) {
    std::fill(y, y + ySize, T(0));
    int64_t k = 0;
    walkRuns(xs, os, none, [&](int64_t o, int64_t, int64_t, int64_t len) {
      int64_t step = rank ? os[rank - 1] : 0;
      if (step == 0) {
        T acc = y[o];
        for (int64_t j = 0; j < len; j++) acc += x[k + j];
        y[o] = acc;
      } else {
        for (int64_t j = 0; j < len; j++) y[o + j] += x[k + j];
      }
      k += len;
    });
    return;
  }
  // logsumexp: the maximum (NaN noted), then Σ e^(x − m), as the reference does.
  std::vector<T> m(ySize, -std::numeric_limits<T>::infinity());
  std::vector<char> nan(ySize, 0);
  int64_t k = 0;
  int64_t step = rank ? os[rank - 1] : 0;
  walkRuns(xs, os, none, [&](int64_t o, int64_t, int64_t, int64_t len) {
    for (int64_t j = 0; j < len; j++) {
      T v = x[k + j];
      int64_t t = o + j * step;
      if (v != v) nan[t] = 1;
      else if (v > m[t]) m[t] = v;
    }
    k += len;
  });
  std::fill(y, y + ySize, T(0));
  k = 0;
  walkRuns(xs, os, none, [&](int64_t o, int64_t, int64_t, int64_t len) {
    for (int64_t j = 0; j < len; j++) {
      int64_t t = o + j * step;
      if (std::isfinite(m[t])) y[t] += std::exp(x[k + j] - m[t]);
    }
    k += len;
  });
  for (int64_t t = 0; t < ySize; t++) y[t] = nan[t] ? std::numeric_limits<T>::quiet_NaN() : std::isfinite(m[t]) ? m[t] + std::log(y[t]) : m[t];
}

// Runs one instruction other than a matmul (the session runs those on their packed B) on the given
// operands (whole values or one block's rows).
template <class T>
void executeShaped(const KernelTable<T>& K, const Instruction& ins, const T* const* args, const Shape* argShapes, T* y, const Shape& ys) {
  int op = ins.op;
  int64_t n = sizeOf(ys);
  if (isUnary(op)) return K.unary(op, ins.exponent, args[0], y, n);
  if (isBinary(op)) return binaryShaped(K, op, args[0], argShapes[0], args[1], argShapes[1], y, ys);
  switch (op) {
    case SUM:
    case LOGSUMEXP:
      return reduceShaped(K, op, ins, args[0], argShapes[0], y, n);
    case RESHAPE:
      if (n) std::memcpy(y, args[0], sizeof(T) * n);
      return;
    case BROADCAST: {
      thread_local std::vector<int64_t> s;
      s = broadcastStrides(argShapes[0], ys);
      broadcastLoop(args[0], s, args[0], s, y, ys, [](auto u, auto) { return u; });
      return;
    }
    case TRANSPOSE: {
      if (ys.size() == 2 && ins.perm[0] == 1) {
        // Matrices (Wᵀ in every derivative) in 16×16 tiles, so that reads and writes both stay in cache lines.
        const int64_t rows = ys[0], cols = ys[1];
        const T* x = args[0];
        for (int64_t i0 = 0; i0 < rows; i0 += 16)
          for (int64_t j0 = 0; j0 < cols; j0 += 16)
            for (int64_t i = i0; i < std::min(rows, i0 + 16); i++)
              for (int64_t j = j0; j < std::min(cols, j0 + 16); j++) y[i * cols + j] = x[j * rows + i];
        return;
      }
      std::vector<int64_t> xs = stridesOf(argShapes[0]), s(ys.size()), none(ys.size(), 0);
      for (size_t i = 0; i < ys.size(); i++) s[i] = xs[ins.perm[i]];
      int64_t inner = ys.empty() ? 0 : s.back();
      const T* x = args[0];
      walkRuns(ys, s, none, [&](int64_t o, int64_t, int64_t k, int64_t len) {
        for (int64_t j = 0; j < len; j++) y[k + j] = x[o + j * inner];
      });
      return;
    }
    case SLICE: {
      const Shape& xs = argShapes[0];
      int64_t inner = 1, outer = 1;
      for (size_t i = ins.axis + 1; i < xs.size(); i++) inner *= xs[i];
      for (int i = 0; i < ins.axis; i++) outer *= xs[i];
      int64_t len = int64_t(ins.end - ins.start) * inner;
      for (int64_t o = 0; o < outer && len; o++) std::memcpy(y + o * len, args[0] + o * xs[ins.axis] * inner + ins.start * inner, sizeof(T) * len);
      return;
    }
    case CONCAT: {
      int64_t inner = 1, outer = 1;
      for (size_t i = ins.axis + 1; i < ys.size(); i++) inner *= ys[i];
      for (int i = 0; i < ins.axis; i++) outer *= ys[i];
      int64_t row = ys[ins.axis] * inner, at = 0;
      for (size_t j = 0; j < ins.args.size(); j++) {
        int64_t len = argShapes[j][ins.axis] * inner;
        for (int64_t o = 0; o < outer && len; o++) std::memcpy(y + o * row + at, args[j] + o * len, sizeof(T) * len);
        at += len;
      }
      return;
    }
  }
}

}  // namespace

// ---------------------------------------------------------------- executable

std::shared_ptr<Executable> Executable::create(const double* encoded, size_t length, std::string& error) {
  auto exe = std::shared_ptr<Executable>(new Executable());
  if (!decodeProgram(encoded, length, exe->program_, error)) return nullptr;
  exe->plan_ = analyse(exe->program_);
  int64_t total = 0;
  for (int64_t b : exe->plan_->buffers) total += b;
  for (const Constant& c : exe->program_.constants) total += sizeOf(c.shape);
  if (total > MAX_WORKSPACE) {
    error = "tape: needs " + std::to_string(total) + " elements of buffers; the limit is " + std::to_string(MAX_WORKSPACE);
    return nullptr;
  }
  return exe;
}

Executable::~Executable() = default;
int64_t Executable::batch() const { return plan_->batch; }

std::unique_ptr<Session<float>> Executable::takeSession32() const {
  std::lock_guard<std::mutex> g(lock_);
  if (idle32_.empty()) return nullptr;
  auto s = std::move(idle32_.back());
  idle32_.pop_back();
  return s;
}
std::unique_ptr<Session<double>> Executable::takeSession64() const {
  std::lock_guard<std::mutex> g(lock_);
  if (idle64_.empty()) return nullptr;
  auto s = std::move(idle64_.back());
  idle64_.pop_back();
  return s;
}
void Executable::giveBack(std::unique_ptr<Session<float>> s) const {
  std::lock_guard<std::mutex> g(lock_);
  if (idle32_.size() < 4) idle32_.push_back(std::move(s));
}
void Executable::giveBack(std::unique_ptr<Session<double>> s) const {
  std::lock_guard<std::mutex> g(lock_);
  if (idle64_.size() < 4) idle64_.push_back(std::move(s));
}

// ---------------------------------------------------------------- session

template <class T>
struct Session<T>::State {
  bool ready = false;
  std::vector<std::vector<T>> buffers;
  std::vector<std::vector<T>> constants;
  std::vector<std::vector<T>> packed;  // per instruction (matmul only)
  std::vector<char> packedOnce;        // per instruction: packed by an earlier run of this session
  std::vector<const T*> pointers;      // per value, for the current run
  // Per value packed from: its contents when last packed (empty until then), and whether this run found
  // them unchanged (−1: not yet looked at in this run).
  std::vector<std::vector<T>> packedFrom;
  std::vector<signed char> unchanged;
  std::vector<int> looked;  // the values whose `unchanged` this run set
};

template <class T>
Session<T>::Session(std::shared_ptr<const Executable> exe) : exe_(std::move(exe)), state_(new State()) {}
template <class T>
Session<T>::~Session() = default;

template <class T>
bool Session<T>::run(const T* const* feeds, T* const* outputs, const RunOptions& options, std::string& error) {
  const Plan& p = exe_->plan();
  const Program& prog = exe_->program();
  const KernelTable<T>& K = kernels<T>();
  State& st = *state_;
  if (!st.ready) {
    try {
      st.buffers.resize(p.buffers.size());
      for (size_t b = 0; b < p.buffers.size(); b++) st.buffers[b].assign(std::max<int64_t>(p.buffers[b], 1), T(0));
      for (const Constant& c : prog.constants) st.constants.emplace_back(c.value.begin(), c.value.end());
      st.packed.resize(p.instrs.size());
      st.packedOnce.assign(p.instrs.size(), 0);
      for (size_t i = 0; i < p.instrs.size(); i++) {
        const Instruction& ins = *p.instrs[i].ins;
        if (ins.op == MATMUL) st.packed[i].assign(std::max<int64_t>(packedSize(ins.argShapes[1][0], ins.argShapes[1][1], K.nr), 1), T(0));
      }
      st.pointers.assign(p.values.size(), nullptr);
      st.packedFrom.resize(p.values.size());
      st.unchanged.assign(p.values.size(), -1);
    } catch (const std::bad_alloc&) {
      st.buffers.clear();
      st.constants.clear();
      st.packed.clear();
      error = "out of memory allocating the executor's buffers";
      return false;
    }
    st.ready = true;
  }
  for (size_t v = 0; v < p.values.size(); v++) {
    const Value& val = p.values[v];
    st.pointers[v] = val.kind == FEED ? feeds[val.index] : val.kind == CONSTANT ? st.constants[val.index].data() : val.kind == TEMP ? st.buffers[val.index].data() : nullptr;
  }
  auto ptr = [&](int v) { return const_cast<T*>(st.pointers[v]); };
  for (int v : st.looked) st.unchanged[v] = -1;
  st.looked.clear();
  auto cancelled = [&] { return options.cancel != nullptr && *options.cancel != 0; };
  // Read once: glibc answers hardware_concurrency by reading sysfs, a system call per query.
  static const int hardware = int(std::max(1u, std::thread::hardware_concurrency()));
  int threads = options.threads > 0 ? options.threads : p.work > 4e5 ? hardware : 1;
  Pool& pool = Pool::shared();
  // Whether matmul i must pack its B on this run: not when the caller promised that B's feeds are
  // unchanged, nor when B's values are bitwise those it was last packed from (a model evaluated again
  // with the same weights). Repacking unchanged weights costs more than the pass itself on two threads:
  // the writes invalidate the lines the other core read them through. The comparison is made once per
  // source per run, before any pack of this run updates the copy.
  auto unchangedSince = [&](int source) {
    signed char& known = st.unchanged[source];
    if (known >= 0) return known == 1;
    const T* now = ptr(source);
    const size_t n = size_t(p.values[source].size);
    std::vector<T>& was = st.packedFrom[source];
    known = was.size() == n && std::memcmp(was.data(), now, sizeof(T) * n) == 0;
    st.looked.push_back(source);
    if (!known) {
      try {
        was.assign(now, now + n);
      } catch (const std::bad_alloc&) {
        std::vector<T>().swap(was);  // no copy: packed again next run
      }
    }
    return known == 1;
  };
  auto needsPack = [&](int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const int source = pi.transposedFrom >= 0 ? pi.transposedFrom : pi.args[1];
    const int changed = options.onlyChangedFeed;
    if (changed >= 0 && st.packedOnce[i] && !(p.feedsOf[source] & (changed < 63 ? uint64_t(1) << changed : ~uint64_t(0)))) return false;
    const bool same = unchangedSince(source);
    return !(st.packedOnce[i] && same);
  };
  auto pack = [&](int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const Shape& bs = pi.ins->argShapes[1];
    if (!needsPack(i)) return;
    st.packedOnce[i] = 1;
    if (pi.transposedFrom >= 0) K.packB(bs[0], bs[1], ptr(pi.transposedFrom), 1, bs[0], st.packed[i].data());
    else K.packB(bs[0], bs[1], ptr(pi.args[1]), bs[1], 1, st.packed[i].data());
  };
  // The operand of a fused op on the tile at row0.
  auto operandOf = [&](const Group& g, const FusedOperand& f, T* scratch, int64_t tileElements, int64_t row0) -> const T* {
    switch (f.kind) {
      case FusedOperand::SCRATCH_TILE: return scratch + f.scratch * tileElements;
      case FusedOperand::ROWS: return ptr(f.value) + row0 * g.rowLen;
      default: return ptr(f.value);
    }
  };
  // Ops o … o + chain − 1 of a group, one chain kernel call on a tile of len elements.
  auto runChain = [&](const Group& g, size_t o, T* scratch, int64_t tileElements, int64_t row0, int64_t len) {
    thread_local std::vector<ChainStep<T>> steps;
    const int count = g.ops[o].chain;
    steps.resize(size_t(count) + 1);
    auto kindOf = [](const FusedOperand& f) {
      return f.kind == FusedOperand::ONE_ROW ? ChainStep<T>::ROW : f.kind == FusedOperand::SCALAR ? ChainStep<T>::SCALAR : ChainStep<T>::ELEMENTS;
    };
    const FusedOp& first = g.ops[o];
    steps[0] = {0, kindOf(first.args[0]), true, operandOf(g, first.args[0], scratch, tileElements, row0)};
    for (int k = 0; k < count; k++) {
      const FusedOp& op = g.ops[o + size_t(k)];
      const Instruction& ins = *p.instrs[op.instr].ins;
      ChainStep<T>& st = steps[size_t(k) + 1];
      if (op.nargs == 1) {
        st = {ins.op, ChainStep<T>::NONE, true, nullptr};
        st.p = ins.exponent;
      } else {
        // The running value is operand 0 of the first op, and the previous op's value in the others.
        const int acc = k == 0 ? 0 : op.args[0].value == g.ops[o + size_t(k) - 1].outValue ? 0 : 1;
        const FusedOperand& side = op.args[1 - acc];
        st = {ins.op, kindOf(side), acc == 0, operandOf(g, side, scratch, tileElements, row0)};
      }
      if (op.tee) st.tee = op.outScratch >= 0 ? scratch + op.outScratch * tileElements : ptr(op.outValue) + row0 * g.rowLen;
    }
    const FusedOp& last = g.ops[o + size_t(count) - 1];
    T* y = last.outScratch >= 0 ? scratch + last.outScratch * tileElements : ptr(last.outValue) + row0 * g.rowLen;
    K.chain(steps.data(), count + 1, y, len, g.rowLen);
  };
  // A fused group on rows r0 … r0+nb−1, a tile of rows at a time; scratch tiles are per thread.
  auto runGroup = [&](const Group& g, int64_t r0, int64_t nb) {
    thread_local std::vector<T> scratch;
    const int64_t tileElements = g.tileRows * g.rowLen;
    if (scratch.size() < size_t(g.scratchCount * tileElements)) scratch.resize(g.scratchCount * tileElements);
    for (int64_t t0 = 0; t0 < nb; t0 += g.tileRows) {
      const int64_t rows = std::min(g.tileRows, nb - t0), len = rows * g.rowLen, row0 = r0 + t0;
      for (size_t o = 0; o < g.ops.size(); o++) {
        const FusedOp& op = g.ops[o];
        if (op.chain < 0) continue;
        if (op.chain > 0) {
          runChain(g, o, scratch.data(), tileElements, row0, len);
          continue;
        }
        const Instruction& ins = *p.instrs[op.instr].ins;
        const T* a[2];
        bool oneRow[2] = {false, false}, scalar[2] = {false, false};
        for (int j = 0; j < op.nargs; j++) {
          const FusedOperand& f = op.args[j];
          switch (f.kind) {
            case FusedOperand::SCRATCH_TILE: a[j] = scratch.data() + f.scratch * tileElements; break;
            case FusedOperand::ROWS: a[j] = ptr(f.value) + row0 * g.rowLen; break;
            case FusedOperand::SCALAR: a[j] = ptr(f.value); scalar[j] = true; break;
            case FusedOperand::ONE_ROW: a[j] = ptr(f.value); oneRow[j] = true; break;
          }
        }
        T* y = op.outScratch >= 0 ? scratch.data() + op.outScratch * tileElements : ptr(op.outValue) + row0 * g.rowLen;
        if (op.nargs == 1) {
          K.unary(ins.op, ins.exponent, a[0], y, len);
        } else if (!oneRow[0] && !oneRow[1] && !(scalar[0] && scalar[1])) {
          K.binary(ins.op, a[0], a[1], y, len, scalar[1] ? 1 : scalar[0] ? 2 : 0);
        } else {
          int mode = scalar[1] ? 1 : scalar[0] ? 2 : 0;
          for (int64_t r = 0; r < rows; r++) {
            const T* ra = oneRow[0] || scalar[0] ? a[0] : a[0] + r * g.rowLen;
            const T* rb = oneRow[1] || scalar[1] ? a[1] : a[1] + r * g.rowLen;
            if (scalar[0] && scalar[1])
              for (int64_t k = 0; k < g.rowLen; k++) K.binary(ins.op, ra, rb, y + r * g.rowLen + k, 1, 0);
            else
              K.binary(ins.op, ra, rb, y + r * g.rowLen, g.rowLen, mode);
          }
        }
      }
    }
  };
  for (const Step& step : p.steps) {
    if (cancelled()) {
      error = "cancelled";
      return false;
    }
    if (!step.segment) {
      int i = step.instrs[0];
      const PlannedInstruction& pi = p.instrs[i];
      const Instruction& ins = *pi.ins;
      T* y = ptr(pi.out);
      // The calling thread's list; the tasks below run on other threads too, so they read it through a pointer.
      thread_local std::vector<const T*> argList;
      argList.clear();
      for (int a : pi.args) argList.push_back(ptr(a));
      const T* const* args = argList.data();
      int64_t n = sizeOf(ins.shape);
      if (ins.op == MATMUL) {
        pack(i);
        int64_t m = ins.shape[0], cols = ins.shape[1], k = ins.argShapes[0][1];
        int tasks = int((m + MATMUL_ROWS - 1) / MATMUL_ROWS);
        pool.run(tasks, threads, [&](int t) {
          int64_t r0 = t * MATMUL_ROWS, rn = std::min(MATMUL_ROWS, m - r0);
          K.gemm(rn, cols, k, args[0] + r0 * k, k, st.packed[i].data(), y + r0 * cols, cols, pi.args.size() > 2 ? args[2] : nullptr);
        });
      } else if ((isUnary(ins.op) || (isBinary(ins.op) && ins.argShapes[0] == ins.argShapes[1])) && n > 2 * CHUNK) {
        int tasks = int((n + CHUNK - 1) / CHUNK);
        pool.run(tasks, threads, [&](int t) {
          int64_t o = t * CHUNK, len = std::min(CHUNK, n - o);
          if (isUnary(ins.op)) K.unary(ins.op, ins.exponent, args[0] + o, y + o, len);
          else K.binary(ins.op, args[0] + o, args[1] + o, y + o, len, 0);
        });
      } else {
        executeShaped<T>(K, ins, args, ins.argShapes.data(), y, ins.shape);
      }
      continue;
    }
    for (int i : step.instrs)
      if (p.instrs[i].ins->op == MATMUL) pack(i);
    const int64_t B = p.batch;
    int64_t blockRows = options.blockRows > 0 ? options.blockRows : step.blockRows;
    // Task indices are ints: a huge batch in tiny blocks gets larger blocks (the same bits either way).
    blockRows = std::max<int64_t>(blockRows, (B + (int64_t(1) << 30) - 1) >> 30);
    // On several threads the last blocks are halved (each still a multiple of 12 rows when the block is
    // of 24): the thread that finishes first then waits for at most half a block. Rows never depend on
    // the split, so neither do the bits.
    const int64_t half = threads > 1 && options.blockRows <= 0 && blockRows % 24 == 0 ? blockRows / 2 : blockRows;
    const int64_t headTasks = half < blockRows ? std::max<int64_t>(0, B - int64_t(threads) * blockRows) / blockRows : 0;
    const int64_t headRows = headTasks * blockRows;
    int tasks = int(headTasks + (B - headRows + half - 1) / half);
    std::atomic<bool> stopped{false};
    pool.run(tasks, threads, [&](int t) {
      if (stopped || cancelled()) {
        stopped = true;
        return;
      }
      const int64_t r0 = t < headTasks ? t * blockRows : headRows + (t - headTasks) * half;
      const int64_t nb = std::min(t < headTasks ? blockRows : half, B - r0);
      // Per-thread operand lists, reused from call to call so that a run allocates nothing once warm.
      thread_local std::vector<const T*> argList;
      thread_local std::vector<Shape> shapeList;
      thread_local Shape ys;
      for (size_t k = 0; k < step.items.size(); k++) {
        const int item = step.items[k];
        if (item < 0) {
          runGroup(p.groups[-item - 1], r0, nb);
          continue;
        }
        int i = item;
        const PlannedInstruction& pi = p.instrs[i];
        const Instruction& ins = *pi.ins;
        if (ins.op == MATMUL) {
          // A matmul in a segment reads its A by rows, its B (packed) and bias whole. When a fused group
          // follows it (bias, activation, a derivative's products), the two run interleaved, a few rows of
          // each in turn: the group reads the matmul's rows while they are in L1, not after the whole
          // block's output went out to L2. Both are row by row (the matmul's sums do not depend on the
          // rows it is given), so the bits are those of running them apart.
          const int64_t kk = ins.argShapes[0][1], cols = ins.shape[1];
          const T* bias = pi.args.size() > 2 ? ptr(pi.args[2]) : nullptr;
          auto rowsOf = [&](int64_t row0, int64_t rows) {
            T* y = ptr(pi.out) + row0 * cols;
            if (pi.productOf[0] >= 0)
              K.gemmProduct(rows, cols, kk, ptr(pi.productOf[0]) + row0 * kk, ptr(pi.productOf[1]) + row0 * kk, kk, st.packed[i].data(), y, cols, bias);
            else
              K.gemm(rows, cols, kk, ptr(pi.args[0]) + row0 * kk, kk, st.packed[i].data(), y, cols, bias);
          };
          if (k + 1 < step.items.size() && step.items[k + 1] < 0) {
            const Group& g = p.groups[-step.items[k + 1] - 1];
            for (int64_t s0 = 0; s0 < nb; s0 += p.epilogueRows) {
              const int64_t sn = std::min(p.epilogueRows, nb - s0);
              rowsOf(r0 + s0, sn);
              runGroup(g, r0 + s0, sn);
            }
            k++;
          } else {
            rowsOf(r0, nb);
          }
          continue;
        }
        size_t na = pi.args.size();
        if (argList.size() < na) argList.resize(na);
        if (shapeList.size() < na) shapeList.resize(na);
        const T** ap = argList.data();
        Shape* sp = shapeList.data();
        for (size_t j = 0; j < na; j++) {
          const Value& v = p.values[pi.args[j]];
          sp[j] = ins.argShapes[j];
          ap[j] = ptr(pi.args[j]);
          if (pi.sliced[j]) {
            ap[j] += r0 * rowSize(v, B);
            sp[j][0] = nb;
          }
        }
        ys = ins.shape;
        ys[0] = nb;
        T* y = ptr(pi.out) + r0 * rowSize(p.values[pi.out], B);
        executeShaped<T>(K, ins, ap, sp, y, ys);
      }
    });
    if (stopped || cancelled()) {
      error = "cancelled";
      return false;
    }
  }
  for (size_t o = 0; o < p.outputs.size(); o++) {
    int64_t n = sizeOf(prog.outputs[o].shape);
    if (n) std::memcpy(outputs[o], st.pointers[p.outputs[o]], sizeof(T) * n);
  }
  return true;
}

template class Session<float>;
template class Session<double>;

template <class T>
SessionLease<T>::SessionLease(std::shared_ptr<const Executable> exe) : exe_(std::move(exe)) {
  if constexpr (std::is_same<T, float>::value) session_ = exe_->takeSession32();
  else session_ = exe_->takeSession64();
  if (!session_) session_.reset(new Session<T>(exe_));
}
template <class T>
SessionLease<T>::~SessionLease() {
  exe_->giveBack(std::move(session_));
}
template class SessionLease<float>;
template class SessionLease<double>;

// ---------------------------------------------------------------- cache

namespace {
struct Entry {
  std::string hash;
  std::vector<double> encoded;
  std::shared_ptr<const Executable> exe;
};
std::mutex cacheLock;
std::vector<Entry> cache;  // handle = index
}  // namespace

int loadExecutable(const std::string& hash, const double* encoded, size_t length, std::string& error) {
  {
    std::lock_guard<std::mutex> g(cacheLock);
    for (size_t i = 0; i < cache.size(); i++)
      if (cache[i].hash == hash && cache[i].encoded.size() == length && std::memcmp(cache[i].encoded.data(), encoded, length * sizeof(double)) == 0) return int(i);
  }
  auto exe = Executable::create(encoded, length, error);
  if (!exe) return -1;
  std::lock_guard<std::mutex> g(cacheLock);
  cache.push_back({hash, std::vector<double>(encoded, encoded + length), exe});
  return int(cache.size()) - 1;
}

std::shared_ptr<const Executable> findExecutable(int handle) {
  std::lock_guard<std::mutex> g(cacheLock);
  if (handle < 0 || handle >= int(cache.size())) return nullptr;
  return cache[handle].exe;
}

}  // namespace hb
