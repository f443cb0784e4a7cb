// sampleAsync: runs a sampler program for steps from … to − 1 on a worker thread and resolves when done.
// Every argument is checked here; past this file the loop trusts what it is given.
//
// sampleAsync(handle, dtype, program: Float64Array, drawsPerStep, feeds: TypedArray[] (the tape's feeds in
//   order; the entry at xFeed is ignored: the state's x is fed there), xFeed, energyOutput, gradientOutput,
//   state: [x, p, energy, gradient (dtype arrays), alive: Uint8Array, proposed: Float64Array,
//   accepted: Float64Array, fresh: Int32Array(1)], seed, from, to, threads, cancel: Int32Array,
//   gradientHandle (−1, or a tape with the same feeds whose one output is the gradient)) → Promise
#include "sampler_addon.h"

#include <cmath>
#include <string>
#include <vector>

#include "normals.h"
#include "sampler.h"

namespace hb {
namespace {

constexpr double MAX_INTEGER = 9007199254740991.0;  // 2^53 − 1

struct Args {
  SamplerProgram program;
  SamplerRun run;
  bool float32 = false;
  std::vector<void*> state;  // x, p, energy, gradient, alive, proposed, accepted, fresh
  std::vector<Napi::Reference<Napi::Value>> keep;
};

bool integer(const Napi::Value& v, const std::string& what, double lo, double hi, double& out, std::string& error) {
  if (!v.IsNumber()) {
    error = what + ": expected a number";
    return false;
  }
  out = v.As<Napi::Number>().DoubleValue();
  if (!(out >= lo && out <= hi && out == std::floor(out))) {
    error = what + ": expected an integer in [" + std::to_string((long long)lo) + ", " + std::to_string((long long)hi) + "], got " + std::to_string(out);
    return false;
  }
  return true;
}

// A typed array of the given type and length, borrowed where it sits (kept alive by a reference).
bool borrow(const Napi::Value& v, napi_typedarray_type type, const char* typeName, size_t length, const std::string& what, Args& args, void*& out, std::string& error) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    error = what + ": expected a " + typeName;
    return false;
  }
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  if (t.ElementLength() != length) {
    error = what + ": has " + std::to_string(t.ElementLength()) + " values; expected " + std::to_string(length);
    return false;
  }
  uint8_t* base = static_cast<uint8_t*>(t.ArrayBuffer().Data());
  if (base == nullptr && length > 0) {
    error = what + ": its buffer is detached";
    return false;
  }
  out = base + t.ByteOffset();
  args.keep.push_back(Napi::Persistent(v));
  return true;
}

bool parse(const Napi::CallbackInfo& info, Args& a, std::string& error) {
  if (info.Length() != 15) {
    error = "sampleAsync: expected 15 arguments, got " + std::to_string(info.Length());
    return false;
  }
  double handle, drawsPerStep, xFeed, eOut, gOut, seed, from, to, threads;
  if (!integer(info[0], "sampleAsync: handle", 0, 1e9, handle, error)) return false;
  a.run.exe = findExecutable(int(handle));
  if (!a.run.exe) {
    error = "sampleAsync: handle " + std::to_string(int64_t(handle)) + " is not a loaded tape";
    return false;
  }
  std::string dtype = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (dtype != "float32" && dtype != "float64") {
    error = "sampleAsync: dtype must be 'float32' or 'float64'";
    return false;
  }
  a.float32 = dtype == "float32";
  const napi_typedarray_type ft = a.float32 ? napi_float32_array : napi_float64_array;
  const char* fname = a.float32 ? "Float32Array" : "Float64Array";
  const Program& tape = a.run.exe->program();
  if (!integer(info[3], "sampleAsync: drawsPerStep", 0, 1e9, drawsPerStep, error)) return false;
  if (!integer(info[5], "sampleAsync: xFeed", 0, double(tape.feeds.size()) - 1, xFeed, error)) return false;
  if (!integer(info[6], "sampleAsync: energyOutput", 0, double(tape.outputs.size()) - 1, eOut, error)) return false;
  if (!integer(info[7], "sampleAsync: gradientOutput", 0, double(tape.outputs.size()) - 1, gOut, error)) return false;
  const Shape& xs = tape.feeds[size_t(xFeed)].shape;
  if (xs.empty() || eOut == gOut) {
    error = "sampleAsync: the x feed must be batched and the energy and gradient outputs distinct";
    return false;
  }
  const int64_t chains = xs[0], total = sizeOf(xs), dimension = total / std::max<int64_t>(chains, 1);
  if (chains < 1 || tape.outputs[size_t(eOut)].shape != Shape{chains} || tape.outputs[size_t(gOut)].shape != xs) {
    error = "sampleAsync: the tape's energy output must have shape [" + std::to_string(chains) + "] and its gradient the shape of x, " + showShape(xs);
    return false;
  }
  a.run.xFeed = int(xFeed);
  a.run.energyOutput = int(eOut);
  a.run.gradientOutput = int(gOut);
  a.run.chains = chains;
  a.run.dimension = dimension;
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    error = "sampleAsync: program must be a Float64Array";
    return false;
  }
  Napi::Float64Array prog = info[2].As<Napi::Float64Array>();
  if (!decodeSampler(prog.Data(), prog.ElementLength(), int64_t(drawsPerStep), dimension, a.program, error)) {
    error = "sampleAsync: " + error;
    return false;
  }
  if (!info[4].IsArray() || info[4].As<Napi::Array>().Length() != tape.feeds.size()) {
    error = "sampleAsync: feeds: expected an array of " + std::to_string(tape.feeds.size()) + " typed arrays";
    return false;
  }
  Napi::Array feeds = info[4].As<Napi::Array>();
  a.run.feeds.assign(tape.feeds.size(), nullptr);
  for (uint32_t i = 0; i < feeds.Length(); i++) {
    if (int(i) == a.run.xFeed) continue;
    void* ptr;
    if (!borrow(feeds.Get(i), ft, fname, size_t(sizeOf(tape.feeds[i].shape)), "sampleAsync: feeds[" + std::to_string(i) + "]", a, ptr, error)) return false;
    a.run.feeds[i] = ptr;
  }
  if (!info[8].IsArray() || info[8].As<Napi::Array>().Length() != 8) {
    error = "sampleAsync: state: expected [x, p, energy, gradient, alive, proposed, accepted, fresh]";
    return false;
  }
  Napi::Array st = info[8].As<Napi::Array>();
  const char* names[] = {"x", "p", "energy", "gradient", "alive", "proposed", "accepted", "fresh"};
  const size_t lengths[] = {size_t(total), size_t(total), size_t(chains), size_t(total), size_t(chains), size_t(chains), size_t(chains), 1};
  a.state.assign(8, nullptr);
  for (uint32_t i = 0; i < 8; i++) {
    napi_typedarray_type type = i < 4 ? ft : i == 4 ? napi_uint8_array : i < 7 ? napi_float64_array : napi_int32_array;
    const char* tn = i < 4 ? fname : i == 4 ? "Uint8Array" : i < 7 ? "Float64Array" : "Int32Array";
    if (!borrow(st.Get(i), type, tn, lengths[i], std::string("sampleAsync: state.") + names[i], a, a.state[i], error)) return false;
  }
  if (!integer(info[9], "sampleAsync: seed", 0, MAX_INTEGER, seed, error) || !integer(info[10], "sampleAsync: from", 0, MAX_INTEGER, from, error) ||
      !integer(info[11], "sampleAsync: to", from, MAX_INTEGER, to, error) || !integer(info[12], "sampleAsync: threads", 1, 1024, threads, error))
    return false;
  if (drawsPerStep > 0 && (to + 1) > MAX_INTEGER / drawsPerStep) {
    error = "sampleAsync: step " + std::to_string(to) + " × " + std::to_string(drawsPerStep) + " draws passes 2^53";
    return false;
  }
  a.run.seed = uint64_t(seed);
  a.run.from = int64_t(from);
  a.run.to = int64_t(to);
  a.run.threads = int(threads);
  void* cancel;
  if (!borrow(info[13], napi_int32_array, "Int32Array", 1, "sampleAsync: cancel", a, cancel, error)) return false;
  a.run.cancel = static_cast<const volatile int32_t*>(cancel);
  double gradientHandle;
  if (!integer(info[14], "sampleAsync: gradientHandle", -1, 1e9, gradientHandle, error)) return false;
  if (gradientHandle >= 0) {
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
  }
  return true;
}

template <class T>
bool runWith(Args& a, std::string& error) {
  SamplerState<T> s{static_cast<T*>(a.state[0]), static_cast<T*>(a.state[1]), static_cast<T*>(a.state[2]), static_cast<T*>(a.state[3]),
                    static_cast<uint8_t*>(a.state[4]), static_cast<double*>(a.state[5]), static_cast<double*>(a.state[6]), static_cast<int32_t*>(a.state[7])};
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
  if (!integer(info[2], "seed", 0, MAX_INTEGER, seed, error) || !integer(info[3], "firstStream", 0, MAX_INTEGER, first, error) ||
      !integer(info[4], "start", 0, MAX_INTEGER, start, error) || !integer(info[5], "count", 1, 1e6, count, error))
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

}  // namespace

void registerSampler(Napi::Env env, Napi::Object exports) {
  exports.Set("sampleAsync", Napi::Function::New(env, SampleAsync));
  exports.Set("drawsAcrossStreams", Napi::Function::New(env, DrawsAcrossStreams));
}

}  // namespace hb
