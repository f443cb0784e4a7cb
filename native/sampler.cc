// Decoding a sampler program through the handler table, and running it (the loop is sampler_loop.h, the
// handlers sampler_blocks.cc).
#include "sampler.h"

#include <cmath>
#include <stdexcept>

#include "sampler_loop.h"

namespace hb {

namespace {
enum ScheduleKind { CONSTANT, LINEAR, GEOMETRIC, COSINE };  // the codes of samplerScheduleKinds()
enum NoiseKind { SCALE, LANGEVIN };                         // the codes of samplerNoiseKinds()
}  // namespace

const std::vector<std::string>& samplerScheduleKinds() {
  static const std::vector<std::string> kinds = {"constant", "linear", "geometric", "cosine"};
  return kinds;
}

const std::vector<std::string>& samplerNoiseKinds() {
  static const std::vector<std::string> kinds = {"scale", "langevin"};
  return kinds;
}

double SamplerSchedule::at(int64_t step) const {
  if (kind == CONSTANT) return a;
  const double f = steps <= 1 ? 1 : double(std::min<double>(double(step), steps - 1)) / (steps - 1);
  switch (kind) {
    case LINEAR: return a + (b - a) * f;
    case GEOMETRIC: return a * std::pow(b / a, f);
    default: return b + (a - b) * 0.5 * (1 + std::cos(3.141592653589793 * f));
  }
}

double SamplerNoise::at(int64_t step) const { return kind == SCALE ? first.at(step) : std::sqrt(2 * first.at(step) * second.at(step)); }

int fieldWidth(FieldKind kind) {
  switch (kind) {
    case FieldKind::Schedule: return 4;
    case FieldKind::Noise: return 9;
    default: return 1;
  }
}

const char* fieldKindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::Number: return "number";
    case FieldKind::Choice: return "choice";
    case FieldKind::Schedule: return "schedule";
    default: return "noise";
  }
}

SamplerRecord::SamplerRecord(const double* data, const std::vector<SamplerField>& fields, std::string where, int64_t dimension, int64_t drawsPerStep)
    : data_(data), fields_(fields), where_(std::move(where)), dimension_(dimension), drawsPerStep_(drawsPerStep) {}

void SamplerRecord::fail(const std::string& message) {
  if (error_.empty()) error_ = where_ + ": " + message;
}

void SamplerRecord::failField(const char* name, const std::string& message) { fail(std::string(name) + ": " + message); }

// The field's numbers; a handler asking for a field it does not declare is a bug in the table.
const double* SamplerRecord::at(const char* name, FieldKind kind) {
  for (const SamplerField& f : fields_)
    if (f.name == name && f.kind == kind) return data_ + f.offset;
  throw std::logic_error(where_ + ": the handler reads an undeclared " + fieldKindName(kind) + " field '" + name + "'");
}

double SamplerRecord::number(const char* name) {
  const double v = *at(name, FieldKind::Number);
  if (!std::isfinite(v)) failField(name, "expected a finite number, got " + std::to_string(v));
  return v;
}

double SamplerRecord::nonNegative(const char* name) {
  const double v = *at(name, FieldKind::Number);
  if (!(std::isfinite(v) && v >= 0)) failField(name, "expected a number ≥ 0, got " + std::to_string(v));
  return v;
}

int64_t SamplerRecord::integer(const char* name, int64_t low, int64_t high) {
  const double v = *at(name, FieldKind::Number);
  if (!(v >= double(low) && v <= double(high) && v == std::floor(v))) {
    failField(name, "expected an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "], got " + std::to_string(v));
    return low;
  }
  return int64_t(v);
}

int SamplerRecord::choice(const char* name) {
  const double v = *at(name, FieldKind::Choice);
  for (const SamplerField& f : fields_)
    if (f.name == name && v >= 0 && v < double(f.choices.size()) && v == std::floor(v)) return int(v);
  failField(name, "expected the code of one of its choices, got " + std::to_string(v));
  return 0;
}

namespace {
SamplerSchedule scheduleAt(const double* r, bool& ok) {
  SamplerSchedule s;
  s.kind = int(r[0]);
  s.a = r[1];
  s.b = r[2];
  s.steps = r[3];
  ok = r[0] == s.kind && s.kind >= 0 && s.kind < int(samplerScheduleKinds().size()) && std::isfinite(s.a) && std::isfinite(s.b) && s.steps >= 1 && s.steps == std::floor(s.steps);
  return s;
}
}  // namespace

SamplerSchedule SamplerRecord::schedule(const char* name) {
  bool ok = false;
  const SamplerSchedule s = scheduleAt(at(name, FieldKind::Schedule), ok);
  if (!ok) failField(name, "malformed schedule");
  return s;
}

SamplerNoise SamplerRecord::noise(const char* name) {
  const double* r = at(name, FieldKind::Noise);
  SamplerNoise n;
  bool first = false, second = false;
  n.kind = int(r[0]);
  n.first = scheduleAt(r + 1, first);
  n.second = scheduleAt(r + 5, second);
  if (!(r[0] == n.kind && n.kind >= 0 && n.kind < int(samplerNoiseKinds().size()) && first && second)) failField(name, "malformed noise scale");
  return n;
}

SamplerMetric SamplerRecord::metric(const char* kind, const char* at) {
  SamplerMetric m;
  m.kind = choice(kind);
  const double offset = *this->at(at, FieldKind::Number);
  if (m.kind == SamplerMetric::IDENTITY) return m;
  const double n = m.kind == SamplerMetric::DIAGONAL ? double(dimension_) : double(dimension_) * double(dimension_);
  if (!(offset >= 0 && offset == std::floor(offset) && offset + 2 * n <= double(metricLength))) {
    failField(at, "a metric of " + std::to_string(int64_t(2 * n)) + " numbers at " + std::to_string(int64_t(offset)) + " outside the metric table's " + std::to_string(metricLength));
    return SamplerMetric{};
  }
  m.inverse = metricTable + size_t(offset);
  m.factor = m.inverse + size_t(n);
  return m;
}

int64_t SamplerRecord::draw(const char* name, int64_t count) {
  const double v = *at(name, FieldKind::Number);
  if (!(v >= 0 && v == std::floor(v) && std::fmod(v, 2) == 0 && v + double(count) <= double(drawsPerStep_))) {
    failField(name, "draw offset " + std::to_string(v) + " outside the step's " + std::to_string(drawsPerStep_) + " draws");
    return 0;
  }
  return int64_t(v);
}

bool decodeSampler(const double* data, size_t length, int64_t drawsPerStep, int64_t dimension, SamplerProgram& out, std::string& error, const double* metric,
                   size_t metricLength) {
  const std::vector<SamplerHandler>& handlers = samplerHandlers();
  const size_t size = size_t(samplerRecordSize());
  if (length % size != 0) {
    error = "program: length " + std::to_string(length) + " is not a multiple of " + std::to_string(size);
    return false;
  }
  if (!(drawsPerStep >= 0 && drawsPerStep % 2 == 0)) {
    error = "program: drawsPerStep must be even and ≥ 0";
    return false;
  }
  const size_t n = length / size;
  out.instructions.clear();
  out.drawsPerStep = drawsPerStep;
  bool proposalOpen = false;
  for (size_t i = 0; i < n; i++) {
    const double* r = data + i * size;
    const std::string at = "program: instruction " + std::to_string(i);
    if (!(r[0] >= 0 && r[0] < double(handlers.size()) && r[0] == std::floor(r[0]))) {
      error = at + ": unknown op " + std::to_string(r[0]);
      return false;
    }
    const SamplerHandler& h = handlers[size_t(r[0])];
    SamplerRecord record(r, h.fields, at + " (" + h.name + ")", dimension, drawsPerStep);
    record.index = i;
    record.count = n;
    record.proposalOpen = &proposalOpen;
    record.metricTable = metric;
    record.metricLength = metricLength;
    std::unique_ptr<SamplerInstruction> ins;
    try {
      ins = h.decode(record);
    } catch (const std::logic_error& e) {
      error = e.what();
      return false;
    }
    if (ins == nullptr) {
      error = record.error();
      return false;
    }
    ins->op = h.name;
    out.needsEnergy = out.needsEnergy || ins->needsEnergy();
    out.instructions.push_back(std::move(ins));
  }
  if (proposalOpen) {
    error = "program: a proposal without an accept";
    return false;
  }
  for (size_t i = 0; i < n; i++) out.instructions[i]->link(i + 1 < n ? out.instructions[i + 1].get() : nullptr);
  return true;
}

template <class T>
bool runSampler(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& state, std::string& error) {
  try {
    SamplerLoop<T> loop(program, run, state);
    return loop.run(error);
  } catch (const std::bad_alloc&) {
    error = "out of memory allocating the sampler's buffers";
    return false;
  }
}

template bool runSampler<float>(const SamplerProgram&, const SamplerRun&, SamplerState<float>&, std::string&);
template bool runSampler<double>(const SamplerProgram&, const SamplerRun&, SamplerState<double>&, std::string&);

}  // namespace hb
