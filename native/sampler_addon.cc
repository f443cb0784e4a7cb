// sampleAsync(call) runs a sampler program for steps from … to − 1 on a worker thread and resolves when
// done; samplerInstructions() reports the handler table (names in code order, each record's fields).
// Every argument is checked here; past this file the loop trusts what it is given.
//
// call: { handle, gradientHandle (−1, or a tape with the same feeds whose one output is the gradient),
//   dtype, program: Float64Array, drawsPerStep, feeds: (TypedArray | null)[] (the tape's feeds in order;
//   the entry at xFeed is ignored: the state's position is fed there), xFeed, energyOutput, gradientOutput,
//   state: { position, momentum, energy, gradient (dtype arrays), alive: Uint8Array, proposed: Float64Array,
//   accepted: Float64Array (both may be empty: not kept), trees: Float64Array [chains × 5], fresh: Int32Array(1) },
//   firstChain (optional: the stream of chain 0, when the state is one block of a larger set of chains), seed,
//   from, to, threads, cancel: Int32Array(1), metric?: Float64Array (the program's metric table: its mass matrices),
//   record?: { every, chains, first, position, energy, gradient (dtype arrays), alive: Uint8Array, proposed,
//   accepted, trees: Float64Array (each may be empty: not recorded) }: the chains after every `every` steps
//   from `from` and at `to`, slot k of each array holding `chains` chains, this call's from chain `first` on }
#include "sampler_addon.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "napi_args.h"
#include "normals.h"
#include "sampler.h"

namespace hb {
namespace {

constexpr double MAX_INTEGER = 9007199254740991.0;  // 2^53 − 1

struct Args {
  SamplerProgram program;
  SamplerRun run;
  bool float32 = false;
  std::vector<void*> state;  // position, momentum, energy, gradient, alive, proposed, accepted, trees, fresh
  std::vector<double> counts[3];  // proposed, accepted and NUTS tree sums when the caller keeps none
  std::vector<Napi::Reference<Napi::Value>> keep;
};

// A typed array of the given type and length, borrowed where it sits (kept alive by a reference).
bool borrow(const Napi::Value& v, napi_typedarray_type type, const char* typeName, size_t length, const std::string& what, Args& args, void*& out, std::string& error) {
  ArrayFault fault;
  uint8_t* data = typedData(v, type, int64_t(length), fault);
  if (fault == ArrayFault::TYPE) error = what + ": expected a " + typeName;
  if (fault == ArrayFault::LENGTH) error = what + ": has " + std::to_string(v.As<Napi::TypedArray>().ElementLength()) + " values; expected " + std::to_string(length);
  if (fault == ArrayFault::DETACHED) error = what + ": its buffer is detached";
  if (fault != ArrayFault::NONE) return false;
  out = data;
  args.keep.push_back(Napi::Persistent(v));
  return true;
}

// The dtype's typed array type and name.
struct Dtype {
  napi_typedarray_type type;
  const char* name;
};
Dtype dtypeOf(const Args& a) { return a.float32 ? Dtype{napi_float32_array, "Float32Array"} : Dtype{napi_float64_array, "Float64Array"}; }

// The tapes: the energy-and-gradient tape and its outputs, the x feed (batched: its leading extent is
// the chains), and the optional gradient-only tape with the same feeds.
bool parseTapes(const Napi::Object& o, Args& a, std::string& error) {
  double handle, xFeed, eOut, gOut, gradientHandle;
  if (!integerValue(o.Get("handle"), "sampleAsync: handle", 0, 1e9, handle, error)) return false;
  a.run.exe = findExecutable(int(handle));
  if (!a.run.exe) {
    error = "sampleAsync: handle " + std::to_string(int64_t(handle)) + " is not a loaded tape";
    return false;
  }
  const Program& tape = a.run.exe->program();
  if (!integerValue(o.Get("xFeed"), "sampleAsync: xFeed", 0, double(tape.feeds.size()) - 1, xFeed, error)) return false;
  if (!integerValue(o.Get("energyOutput"), "sampleAsync: energyOutput", 0, double(tape.outputs.size()) - 1, eOut, error)) return false;
  if (!integerValue(o.Get("gradientOutput"), "sampleAsync: gradientOutput", 0, double(tape.outputs.size()) - 1, gOut, error)) return false;
  const Shape& xs = tape.feeds[size_t(xFeed)].shape;
  if (xs.empty() || eOut == gOut) {
    error = "sampleAsync: the x feed must be batched and the energy and gradient outputs distinct";
    return false;
  }
  const int64_t chains = xs[0], total = sizeOf(xs);
  if (chains < 1 || tape.outputs[size_t(eOut)].shape != Shape{chains} || tape.outputs[size_t(gOut)].shape != xs) {
    error = "sampleAsync: the tape's energy output must have shape [" + std::to_string(chains) + "] and its gradient the shape of x, " + showShape(xs);
    return false;
  }
  a.run.xFeed = int(xFeed);
  a.run.energyOutput = int(eOut);
  a.run.gradientOutput = int(gOut);
  a.run.chains = chains;
  a.run.dimension = total / chains;
  if (!integerValue(o.Get("gradientHandle"), "sampleAsync: gradientHandle", -1, 1e9, gradientHandle, error)) return false;
  if (gradientHandle < 0) return true;
  a.run.gradientExe = findExecutable(int(gradientHandle));
  if (!a.run.gradientExe) {
    error = "sampleAsync: gradientHandle " + std::to_string(int64_t(gradientHandle)) + " is not a loaded tape";
    return false;
  }
  const Program& g = a.run.gradientExe->program();
  bool same = g.feeds.size() == tape.feeds.size();
  for (size_t i = 0; same && i < g.feeds.size(); i++) same = g.feeds[i].shape == tape.feeds[i].shape;
  if (!same || g.outputs.size() != 1 || g.outputs[0].shape != xs) {
    error = "sampleAsync: the gradient tape must take the energy tape's feeds and give one output of the shape of x, " + showShape(xs);
    return false;
  }
  return true;
}

bool parseDtype(const Napi::Object& o, Args& a, std::string& error) {
  const Napi::Value v = o.Get("dtype");
  const std::string dtype = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (dtype != "float32" && dtype != "float64") {
    error = "sampleAsync: dtype must be 'float32' or 'float64'";
    return false;
  }
  a.float32 = dtype == "float32";
  return true;
}

// The encoded program, decoded and checked through the handler table.
bool parseProgram(const Napi::Object& o, Args& a, std::string& error) {
  double drawsPerStep;
  if (!integerValue(o.Get("drawsPerStep"), "sampleAsync: drawsPerStep", 0, 1e9, drawsPerStep, error)) return false;
  const Napi::Value v = o.Get("program");
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    error = "sampleAsync: program must be a Float64Array";
    return false;
  }
  Napi::Float64Array prog = v.As<Napi::Float64Array>();
  // The metric table (optional: a program without a mass matrix has none), borrowed for the run.
  const Napi::Value m = o.Get("metric");
  void* metric = nullptr;
  size_t metricLength = 0;
  if (!m.IsUndefined()) {
    metricLength = m.IsTypedArray() ? m.As<Napi::TypedArray>().ElementLength() : 0;
    if (!borrow(m, napi_float64_array, "Float64Array", metricLength, "sampleAsync: metric", a, metric, error)) return false;
  }
  if (!decodeSampler(prog.Data(), prog.ElementLength(), int64_t(drawsPerStep), a.run.dimension, a.program, error, static_cast<const double*>(metric), metricLength)) {
    error = "sampleAsync: " + error;
    return false;
  }
  return true;
}

// The tape's feeds other than x, in the run's dtype.
bool parseFeeds(const Napi::Object& o, Args& a, std::string& error) {
  const Program& tape = a.run.exe->program();
  const Napi::Value v = o.Get("feeds");
  if (!v.IsArray() || v.As<Napi::Array>().Length() != tape.feeds.size()) {
    error = "sampleAsync: feeds: expected an array of " + std::to_string(tape.feeds.size()) + " typed arrays";
    return false;
  }
  Napi::Array feeds = v.As<Napi::Array>();
  const Dtype d = dtypeOf(a);
  a.run.feeds.assign(tape.feeds.size(), nullptr);
  a.run.feedSizes.assign(tape.feeds.size(), 0);
  for (uint32_t i = 0; i < feeds.Length(); i++) {
    if (int(i) == a.run.xFeed) continue;
    void* ptr;
    if (!borrow(feeds.Get(i), d.type, d.name, size_t(sizeOf(tape.feeds[i].shape)), "sampleAsync: feeds[" + std::to_string(i) + "]", a, ptr, error)) return false;
    a.run.feeds[i] = ptr;
    a.run.feedSizes[i] = sizeOf(tape.feeds[i].shape);
  }
  return true;
}

// A typed array a call reads or writes, by name; an optional one may be given empty (not kept).
struct Entry {
  const char* name;
  napi_typedarray_type type;
  const char* typeName;
  size_t length;
  bool optional;
};

// Borrows o's arrays by the table into out (nullptr for an optional array given empty).
bool borrowEntries(const Napi::Object& o, const std::string& where, const std::vector<Entry>& entries, Args& a, std::vector<void*>& out, std::string& error) {
  out.assign(entries.size(), nullptr);
  for (size_t i = 0; i < entries.size(); i++) {
    const Entry& e = entries[i];
    const Napi::Value given = o.Get(e.name);
    if (e.optional && given.IsTypedArray() && given.As<Napi::TypedArray>().TypedArrayType() == e.type && given.As<Napi::TypedArray>().ElementLength() == 0) continue;
    if (!borrow(given, e.type, e.typeName, e.length, where + "." + e.name, a, out[i], error)) return false;
  }
  return true;
}

// The chains' state, by name.
bool parseState(const Napi::Object& o, Args& a, std::string& error) {
  const Napi::Value v = o.Get("state");
  if (!v.IsObject() || v.IsArray()) {
    error = "sampleAsync: state: expected { position, momentum, energy, gradient, alive, proposed, accepted, trees, fresh }";
    return false;
  }
  const Dtype d = dtypeOf(a);
  const size_t chains = size_t(a.run.chains), total = size_t(a.run.chains * a.run.dimension);
  // Proposal counts (and NUTS tree sums) given as empty arrays are not kept: a program without a Metropolis
  // test (or a NUTS block) has none to report, and its caller need not hold those numbers a chain for them.
  // The run counts into scratch.
  const std::vector<Entry> entries = {{"position", d.type, d.name, total, false},       {"momentum", d.type, d.name, total, false},
                                      {"energy", d.type, d.name, chains, false},        {"gradient", d.type, d.name, total, false},
                                      {"alive", napi_uint8_array, "Uint8Array", chains, false}, {"proposed", napi_float64_array, "Float64Array", chains, true},
                                      {"accepted", napi_float64_array, "Float64Array", chains, true}, {"trees", napi_float64_array, "Float64Array", chains * size_t(TREE_COLUMNS), true},
                                      {"fresh", napi_int32_array, "Int32Array", 1, false}};
  if (!borrowEntries(v.As<Napi::Object>(), "sampleAsync: state", entries, a, a.state, error)) return false;
  for (size_t i = 5; i < 8; i++) {
    if (a.state[i] != nullptr) continue;
    a.counts[i - 5].assign(entries[i].length, 0.0);
    a.state[i] = a.counts[i - 5].data();
  }
  return true;
}

// The seed, the steps from … to − 1 (their draw indices below 2^53), the threads and the cancel flag.
bool parseSteps(const Napi::Object& o, Args& a, std::string& error) {
  double seed, from, to, threads, firstChain = 0;
  if (!o.Get("firstChain").IsUndefined() && !integerValue(o.Get("firstChain"), "sampleAsync: firstChain", 0, MAX_INTEGER - double(a.run.chains), firstChain, error)) return false;
  if (!integerValue(o.Get("seed"), "sampleAsync: seed", 0, MAX_INTEGER, seed, error) || !integerValue(o.Get("from"), "sampleAsync: from", 0, MAX_INTEGER, from, error) ||
      !integerValue(o.Get("to"), "sampleAsync: to", from, MAX_INTEGER, to, error) || !integerValue(o.Get("threads"), "sampleAsync: threads", 1, 1024, threads, error))
    return false;
  const double drawsPerStep = double(a.program.drawsPerStep);
  if (drawsPerStep > 0 && (to + 1) > MAX_INTEGER / drawsPerStep) {
    error = "sampleAsync: step " + std::to_string(to) + " × " + std::to_string(drawsPerStep) + " draws passes 2^53";
    return false;
  }
  a.run.seed = uint64_t(seed);
  a.run.firstChain = uint64_t(firstChain);
  a.run.from = int64_t(from);
  a.run.to = int64_t(to);
  a.run.threads = int(threads);
  void* cancel;
  if (!borrow(o.Get("cancel"), napi_int32_array, "Int32Array", 1, "sampleAsync: cancel", a, cancel, error)) return false;
  a.run.cancel = static_cast<const volatile int32_t*>(cancel);
  return true;
}

// The optional record: the chains at each snapshot of the call (every `every` steps from `from`, and at
// `to`), slot k of each array holding `chains` chains, the call's from chain `first` on.
bool parseRecord(const Napi::Object& o, Args& a, std::string& error) {
  const Napi::Value v = o.Get("record");
  if (v.IsUndefined()) return true;
  if (!v.IsObject() || v.IsArray()) {
    error = "sampleAsync: record: expected { every, chains, first, position, energy, gradient, alive, proposed, accepted, trees }";
    return false;
  }
  const Napi::Object r = v.As<Napi::Object>();
  double every, chains, first;
  if (!integerValue(r.Get("every"), "sampleAsync: record.every", 1, MAX_INTEGER, every, error) ||
      !integerValue(r.Get("chains"), "sampleAsync: record.chains", double(a.run.chains), MAX_INTEGER, chains, error) ||
      !integerValue(r.Get("first"), "sampleAsync: record.first", 0, chains - double(a.run.chains), first, error))
    return false;
  const double rows = std::ceil(double(a.run.to - a.run.from) / every) * chains;
  if (rows * double(std::max<int64_t>(a.run.dimension, TREE_COLUMNS)) > MAX_INTEGER) {
    error = "sampleAsync: record: " + std::to_string(rows) + " chains' snapshots pass 2^53 numbers";
    return false;
  }
  const Dtype d = dtypeOf(a);
  const size_t n = size_t(rows), total = n * size_t(a.run.dimension);
  const std::vector<Entry> entries = {{"position", d.type, d.name, total, false},          {"energy", d.type, d.name, n, false},
                                      {"gradient", d.type, d.name, total, false},          {"alive", napi_uint8_array, "Uint8Array", n, false},
                                      {"proposed", napi_float64_array, "Float64Array", n, true}, {"accepted", napi_float64_array, "Float64Array", n, true},
                                      {"trees", napi_float64_array, "Float64Array", n * size_t(TREE_COLUMNS), true}};
  std::vector<void*> out;
  if (!borrowEntries(r, "sampleAsync: record", entries, a, out, error)) return false;
  a.run.recording = SamplerRecording{int64_t(every), int64_t(chains), int64_t(first), out[0], out[1], out[2], static_cast<uint8_t*>(out[3]),
                                     static_cast<double*>(out[4]), static_cast<double*>(out[5]), static_cast<double*>(out[6])};
  return true;
}

bool parse(const Napi::CallbackInfo& info, Args& a, std::string& error) {
  if (info.Length() != 1 || !info[0].IsObject() || info[0].IsArray()) {
    error = "sampleAsync: expected one argument, an object { handle, program, state, seed, from, to, … }";
    return false;
  }
  const Napi::Object o = info[0].As<Napi::Object>();
  return parseTapes(o, a, error) && parseDtype(o, a, error) && parseProgram(o, a, error) && parseFeeds(o, a, error) && parseState(o, a, error) &&
         parseSteps(o, a, error) && parseRecord(o, a, error);
}

template <class T>
bool runWith(Args& a, std::string& error) {
  SamplerState<T> s{static_cast<T*>(a.state[0]), static_cast<T*>(a.state[1]), static_cast<T*>(a.state[2]), static_cast<T*>(a.state[3]),
                    static_cast<uint8_t*>(a.state[4]), static_cast<double*>(a.state[5]), static_cast<double*>(a.state[6]), static_cast<double*>(a.state[7]),
                    static_cast<int32_t*>(a.state[8])};
  return runSampler<T>(a.program, a.run, s, error);
}

class SampleWorker : public Napi::AsyncWorker {
 public:
  SampleWorker(Napi::Env env, std::unique_ptr<Args> a) : Napi::AsyncWorker(env), args_(std::move(a)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    std::string error;
    if (!(args_->float32 ? runWith<float>(*args_, error) : runWith<double>(*args_, error))) SetError(error);
  }
  void OnOK() override {
    args_->keep.clear();
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    args_->keep.clear();
    const std::string m = e.Message();
    Napi::Error err = Napi::Error::New(Env(), "sampleAsync: " + m);
    if (m == "cancelled") err.Set("name", Napi::String::New(Env(), "AbortError"));
    deferred_.Reject(err.Value());
  }

 private:
  std::unique_ptr<Args> args_;
  Napi::Promise::Deferred deferred_;
};

Napi::Value SampleAsync(const Napi::CallbackInfo& info) {
  auto a = std::make_unique<Args>();
  std::string error;
  if (!parse(info, *a, error)) {
    Napi::RangeError::New(info.Env(), error).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  auto* w = new SampleWorker(info.Env(), std::move(a));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// drawsAcrossStreams(kind: 'normal'|'uniform'|'logUniform', isa: 'auto'|'avx512'|'avx2'|'generic', seed,
//   firstStream, start, count, out: Float64Array) → the isa that ran: out[i·count + j] = draw start + j of
//   stream firstStream + i, for out.length / count streams. The tests' window on the sampler's batch draws.
Napi::Value DrawsAcrossStreams(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string error;
  auto fail = [&](const std::string& message) {
    Napi::RangeError::New(env, "drawsAcrossStreams: " + message).ThrowAsJavaScriptException();
    return env.Undefined();
  };
  if (info.Length() != 7) return fail("expected 7 arguments (kind, isa, seed, firstStream, start, count, out), got " + std::to_string(info.Length()));
  const std::string kind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (kind != "normal" && kind != "uniform" && kind != "logUniform") return fail("kind must be 'normal', 'uniform' or 'logUniform'");
  std::string isa = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (isa == "auto") isa = normals::isa();
  double seed, first, start, count;
  if (!integerValue(info[2], "seed", 0, MAX_INTEGER, seed, error) || !integerValue(info[3], "firstStream", 0, MAX_INTEGER, first, error) ||
      !integerValue(info[4], "start", 0, MAX_INTEGER, start, error) || !integerValue(info[5], "count", 1, 1e6, count, error))
    return fail(error);
  if (!info[6].IsTypedArray() || info[6].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) return fail("out must be a Float64Array");
  Napi::Float64Array out = info[6].As<Napi::Float64Array>();
  const size_t streams = out.ElementLength() / size_t(count);
  if (out.ElementLength() % size_t(count) != 0) return fail("out has " + std::to_string(out.ElementLength()) + " values, not a multiple of count " + std::to_string(int64_t(count)));
  if (count > MAX_INTEGER - start + 1 || double(streams) > MAX_INTEGER - first + 1) return fail("the last draw index or stream passes 2^53");
  const normals::Kind k = kind == "normal" ? normals::Kind::Normal : kind == "uniform" ? normals::Kind::Uniform : normals::Kind::LogUniform;
  if (!normals::acrossStreamsWith(isa.c_str(), k, uint64_t(seed), uint64_t(first), int64_t(streams), uint64_t(start), int64_t(count), out.Data(), int64_t(count)))
    return fail("isa '" + isa + "' is not available on this machine (expected 'auto', 'avx512', 'avx2' or 'generic')");
  return Napi::String::New(env, isa);
}

// samplerInstructions() → { recordSize, schedules, noiseScales, instructions: [{ name, fields: [{ name,
//   kind, offset, choices? }] }] }: the handler table in code order, for TypeScript to encode by.
Napi::Value SamplerInstructions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto strings = [&](const std::vector<std::string>& names) {
    Napi::Array out = Napi::Array::New(env, names.size());
    for (size_t i = 0; i < names.size(); i++) out.Set(uint32_t(i), Napi::String::New(env, names[i]));
    return out;
  };
  const std::vector<SamplerHandler>& handlers = samplerHandlers();
  Napi::Array instructions = Napi::Array::New(env, handlers.size());
  for (size_t i = 0; i < handlers.size(); i++) {
    Napi::Array fields = Napi::Array::New(env, handlers[i].fields.size());
    for (size_t j = 0; j < handlers[i].fields.size(); j++) {
      const SamplerField& f = handlers[i].fields[j];
      Napi::Object field = Napi::Object::New(env);
      field.Set("name", f.name);
      field.Set("kind", fieldKindName(f.kind));
      field.Set("offset", f.offset);
      if (f.kind == FieldKind::Choice) field.Set("choices", strings(f.choices));
      fields.Set(uint32_t(j), field);
    }
    Napi::Object ins = Napi::Object::New(env);
    ins.Set("name", handlers[i].name);
    ins.Set("fields", fields);
    instructions.Set(uint32_t(i), ins);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("recordSize", samplerRecordSize());
  out.Set("schedules", strings(samplerScheduleKinds()));
  out.Set("noiseScales", strings(samplerNoiseKinds()));
  out.Set("instructions", instructions);
  return out;
}

}  // namespace

void registerSampler(Napi::Env env, Napi::Object exports) {
  exports.Set("samplerInstructions", Napi::Function::New(env, SamplerInstructions));
  exports.Set("sampleAsync", Napi::Function::New(env, SampleAsync));
  exports.Set("drawsAcrossStreams", Napi::Function::New(env, DrawsAcrossStreams));
}

}  // namespace hb
