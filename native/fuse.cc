// Fusion inside row segments (plan.h): elementwise instructions hoisted next to the run of their shape,
// runs fused into groups that go tile by tile, and chains inside groups that keep values in registers.
#include <algorithm>

#include "kernels.h"
#include "plan.h"

namespace hb {

namespace {

// The kind of operand `j` of instruction `pi` in a fused group over `shape`, or false when it does not fit.
bool fusedOperand(const PlannedInstruction& pi, int j, const Shape& shape, int64_t rowLen, FusedOperand& out) {
  const Shape& s = pi.ins->argShapes[j];
  out.value = pi.args[j];
  out.scratch = -1;
  if (pi.sliced[j] && s == shape) out.kind = FusedOperand::ROWS;
  else if (sizeOf(s) == 1) out.kind = FusedOperand::SCALAR;
  else if (!pi.sliced[j] && sizeOf(s) == rowLen && (s.size() < shape.size() || s[0] == 1)) out.kind = FusedOperand::ONE_ROW;
  else return false;
  return true;
}

// An elementwise instruction every operand of which fits a fused group over its own shape.
bool fusible(const Plan& p, int i) {
  const PlannedInstruction& pi = p.instrs[i];
  if (!isElementwise(pi.ins->op)) return false;
  const int64_t rowLen = p.batch > 0 ? sizeOf(pi.ins->shape) / p.batch : 0;
  FusedOperand f;
  for (size_t j = 0; j < pi.args.size(); j++)
    if (!fusedOperand(pi, int(j), pi.ins->shape, rowLen, f)) return false;
  return true;
}

// Ops of a group that can run as one chain: each one reads the previous one's value once, as an operand,
// so that the running value stays in registers; values that other ops read as well are stored on the way
// (tee). Any op the chain kernel has a step for (chainHandles); a row-shaped operand needs rows that are
// whole blocks of the chain kernel. Runs longer than CHAIN_MAX_STEPS are split.
void chains(const Plan& p, Group& g, const std::vector<std::vector<int>>& consumers) {
  auto chainable = [&](const FusedOp& op) {
    if (!chainHandles(p.instrs[op.instr].ins->op)) return false;
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

// The group of `members` (consecutive fusible instructions over one shape): a value read only inside the
// group lives in a scratch tile.
Group groupOf(Plan& p, const std::vector<int>& members, const std::vector<std::vector<int>>& consumers, const std::vector<char>& isOutput) {
  Group g;
  const Shape& shape = p.instrs[members[0]].ins->shape;
  g.rowLen = p.batch > 0 ? sizeOf(shape) / p.batch : 0;
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
      fusedOperand(pi, j, shape, g.rowLen, op.args[j]);
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
  return g;
}

}  // namespace

// Elementwise ops whose operands are all ready at an earlier run of elementwise ops of their shape move
// to the end of that run, where they join its fused group. In a gradient the derivative of an activation
// needs only forward values (σ·(1 + z·(1 − σ)) for SiLU): computed beside them, it is one value kept for
// the backward pass instead of two, and the backward group shrinks to the product with the incoming
// gradient. The same ops on the same operands: the same bits. Buffers are assigned per step afterwards,
// so the order inside a segment is free up to dependences.
void hoistElementwise(Plan& p) {
  for (Step& step : p.steps) {
    if (!step.segment) continue;
    std::vector<int>& order = step.instrs;
    for (size_t x = 0; x < order.size(); x++) {
      const int i = order[x];
      if (!fusible(p, i)) continue;
      // The latest producer of an operand inside this segment.
      int last = -1;
      for (size_t y = 0; y < x; y++)
        for (int a : p.instrs[i].args)
          if (p.instrs[order[y]].out == a) last = std::max(last, int(y));
      if (last < 0) continue;
      const Shape& shape = p.instrs[i].ins->shape;
      auto member = [&](size_t y) { return fusible(p, order[y]) && p.instrs[order[y]].ins->shape == shape; };
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
        p.groups.push_back(groupOf(p, members, consumers, isOutput));
        step.items.push_back(-int(p.groups.size()));
      }
      members.clear();
    };
    for (int i : step.instrs) {
      if (!fusible(p, i)) {
        close();
        step.items.push_back(i);
        continue;
      }
      if (!members.empty() && p.instrs[members[0]].ins->shape != p.instrs[i].ins->shape) close();
      members.push_back(i);
    }
    close();
  }
}

}  // namespace hb
