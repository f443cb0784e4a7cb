// The op table: every op the native executor runs, one entry each, with the traits the decoder, the
// planner and the addon's `ops()` read from it. JavaScript encodes an op by the code this table gives its
// name (src/backend/encode.ts asks the addon), so codes never leave the addon and no list anywhere else
// has to follow the order of this one. The IR's registry (src/ir/ops) must hold the same names and kinds:
// spec/backend/ops.spec.ts compares the two.
//
// Adding an op: its enumerator and its entry here, its kernel (a case of unaryKernel in kernels_elementwise.h,
// or a function of withBinary below), the IR op in src/ir/ops, and their specs (docs/ir.md).
#pragma once

namespace hb {

enum Op : int {
  NEG, EXP, LOG, SQRT, SQUARE, SIN, COS, TANH, SIGMOID, SOFTPLUS, SILU, RELU, ABS, SIGN, POW,
  ADD, SUB, MUL, DIV, MATMUL, SUM, LOGSUMEXP, RESHAPE, BROADCAST, TRANSPOSE, SLICE, CONCAT, OP_COUNT
};

// unary and binary: elementwise (binary ops broadcast); reduction: along `axes`; layout: moves elements.
enum class OpKind : int { UNARY, BINARY, MATMUL, REDUCTION, LAYOUT };
constexpr int VARIADIC = -1;  // arity of an op that takes one or more operands (concat)
constexpr int MAX_ATTRIBUTES = 3;

struct OpTraits {
  Op op;
  const char* name;  // the IR's name of the op
  OpKind kind;
  int arity;
  // The attributes it reads, in the order the encoding carries them (program.cc knows each name's form).
  const char* attributes[MAX_ATTRIBUTES];
};

inline constexpr OpTraits OP_TRAITS[] = {
    {NEG, "neg", OpKind::UNARY, 1, {}},
    {EXP, "exp", OpKind::UNARY, 1, {}},
    {LOG, "log", OpKind::UNARY, 1, {}},
    {SQRT, "sqrt", OpKind::UNARY, 1, {}},
    {SQUARE, "square", OpKind::UNARY, 1, {}},
    {SIN, "sin", OpKind::UNARY, 1, {}},
    {COS, "cos", OpKind::UNARY, 1, {}},
    {TANH, "tanh", OpKind::UNARY, 1, {}},
    {SIGMOID, "sigmoid", OpKind::UNARY, 1, {}},
    {SOFTPLUS, "softplus", OpKind::UNARY, 1, {}},
    {SILU, "silu", OpKind::UNARY, 1, {}},
    {RELU, "relu", OpKind::UNARY, 1, {}},
    {ABS, "abs", OpKind::UNARY, 1, {}},
    {SIGN, "sign", OpKind::UNARY, 1, {}},
    {POW, "pow", OpKind::UNARY, 1, {"exponent"}},
    {ADD, "add", OpKind::BINARY, 2, {}},
    {SUB, "sub", OpKind::BINARY, 2, {}},
    {MUL, "mul", OpKind::BINARY, 2, {}},
    {DIV, "div", OpKind::BINARY, 2, {}},
    {MATMUL, "matmul", OpKind::MATMUL, 2, {}},
    {SUM, "sum", OpKind::REDUCTION, 1, {"keepDims", "axes"}},
    {LOGSUMEXP, "logsumexp", OpKind::REDUCTION, 1, {"keepDims", "axes"}},
    // reshape and broadcast read no attribute: the target is the result's shape
    {RESHAPE, "reshape", OpKind::LAYOUT, 1, {}},
    {BROADCAST, "broadcast", OpKind::LAYOUT, 1, {}},
    {TRANSPOSE, "transpose", OpKind::LAYOUT, 1, {"perm"}},
    {SLICE, "slice", OpKind::LAYOUT, 1, {"axis", "start", "end"}},
    {CONCAT, "concat", OpKind::LAYOUT, VARIADIC, {"axis"}},
};

// The table is indexed by code: entry i describes op i, and every op has one.
constexpr bool opTableInOrder() {
  for (int i = 0; i < OP_COUNT; i++)
    if (OP_TRAITS[i].op != i) return false;
  return sizeof(OP_TRAITS) / sizeof(OP_TRAITS[0]) == OP_COUNT;
}
static_assert(opTableInOrder(), "OP_TRAITS must hold one entry per op, entry i for op i");

inline const OpTraits& traitsOf(int op) { return OP_TRAITS[op]; }
inline const char* opName(int op) { return op >= 0 && op < OP_COUNT ? OP_TRAITS[op].name : "?"; }
inline bool isUnary(int op) { return OP_TRAITS[op].kind == OpKind::UNARY; }
inline bool isBinary(int op) { return OP_TRAITS[op].kind == OpKind::BINARY; }
inline bool isElementwise(int op) { return isUnary(op) || isBinary(op); }

// Calls f with the arithmetic of binary op `op` as a generic callable (applied to scalars and to vectors
// of the kernels alike): the one definition of each binary op's arithmetic.
template <class F>
inline void withBinary(int op, F f) {
  switch (op) {
    case ADD: return f([](auto u, auto v) { return u + v; });
    case SUB: return f([](auto u, auto v) { return u - v; });
    case MUL: return f([](auto u, auto v) { return u * v; });
    case DIV: return f([](auto u, auto v) { return u / v; });
  }
}

}  // namespace hb
