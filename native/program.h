// A tape decoded from its flat numeric encoding (written by src/backend/encode.ts) and validated
// completely: the addon never trusts what JavaScript hands it, so every index, extent and shape rule is
// checked here again before any kernel runs.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ops.h"

namespace hb {

using Shape = std::vector<int64_t>;
int64_t sizeOf(const Shape& s);
std::string showShape(const Shape& s);

struct Feed { int slot; bool input; Shape shape; };
struct Constant { int slot; Shape shape; std::vector<double> value; };
struct Instruction {
  int op;
  std::vector<int> args;
  std::vector<Shape> argShapes;
  int out;
  Shape shape;
  // Attributes, by the names of OpTraits::attributes (program.cc reads each name into its field).
  double exponent = 0;         // pow
  std::vector<int> axes;       // sum, logsumexp (sorted, distinct)
  bool keepDims = false;       // sum, logsumexp
  std::vector<int> perm;       // transpose
  int axis = 0, start = 0, end = 0;  // slice (axis, start, end), concat (axis)
};
struct Output { int slot; Shape shape; };

struct Program {
  std::vector<int64_t> slots;
  std::vector<Feed> feeds;
  std::vector<Constant> constants;
  std::vector<Instruction> instructions;
  std::vector<Output> outputs;
};

// Decodes and validates; on failure returns false with `error` naming the place and the problem.
bool decodeProgram(const double* data, size_t length, Program& out, std::string& error);

// How the decoder reads the attribute of that name (OpTraits::attributes): "number" (one finite number),
// "flag" (0 or 1), "index" (one integer) or "indices" (every number after it); null when it has no
// reader for the name. The addon reports it with each op (addon.cc, ops()).
const char* attributeForm(const char* name);

}  // namespace hb
