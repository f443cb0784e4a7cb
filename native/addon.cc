// N-API entry points. Every argument is checked here (JavaScript callers may be hostile: the fuzz test
// calls these directly); past this file the executor trusts what it is given. Each failure is a JS error
// that says which argument is wrong and what was expected.
#include <napi.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "executor.h"
#include "kernels.h"
#include "napi_args.h"
#include "philox.h"
#include "sampler_addon.h"
#include "rbm.h"

namespace {

using hb::RunOptions;

Napi::Value fail(Napi::Env env, const std::string& message, bool range = false) {
  if (range) Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
  else Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool integerArg(const Napi::CallbackInfo& info, size_t i, const char* what, double lo, double hi, double& out, std::string& error) {
  if (info.Length() > i) return hb::integerValue(info[i], what, lo, hi, out, error);
  error = std::string(what) + ": expected a number";
  return false;
}

Napi::Value Version(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), 1); }

Napi::Value Isa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), hb::isaName()); }

Napi::Value HardwareThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), std::max(1u, std::thread::hardware_concurrency()));
}

const char* kindName(hb::OpKind kind) {
  switch (kind) {
    case hb::OpKind::UNARY: return "unary";
    case hb::OpKind::BINARY: return "binary";
    case hb::OpKind::MATMUL: return "matmul";
    case hb::OpKind::REDUCTION: return "reduction";
    case hb::OpKind::LAYOUT: return "layout";
  }
  return "?";
}

// ops() → [{ name, kind, arity, attributes: [{ name, form }] }]: the op table (ops.h) in code order.
// JavaScript encodes an op as the position of its name here (src/backend/encode.ts); arity is a count
// or 'variadic', form one of 'number', 'flag', 'index', 'indices' (program.h, attributeForm).
Napi::Value Ops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 0) return fail(env, "ops: expected no arguments, got " + std::to_string(info.Length()));
  Napi::Array table = Napi::Array::New(env, hb::OP_COUNT);
  for (int i = 0; i < hb::OP_COUNT; i++) {
    const hb::OpTraits& t = hb::traitsOf(i);
    Napi::Array attributes = Napi::Array::New(env);
    for (const char* name : t.attributes) {
      if (name == nullptr) break;
      const char* form = hb::attributeForm(name);
      Napi::Object a = Napi::Object::New(env);
      a.Set("name", name);
      a.Set("form", form == nullptr ? "unknown" : form);
      attributes.Set(attributes.Length(), a);
    }
    Napi::Object op = Napi::Object::New(env);
    op.Set("name", t.name);
    op.Set("kind", kindName(t.kind));
    if (t.arity == hb::VARIADIC) op.Set("arity", "variadic");
    else op.Set("arity", t.arity);
    op.Set("attributes", attributes);
    table.Set(uint32_t(i), op);
  }
  return table;
}

// load(hash: string, encoded: Float64Array) → handle
Napi::Value Load(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2) return fail(env, "load: expected 2 arguments (hash, encoded tape), got " + std::to_string(info.Length()));
  if (!info[0].IsString()) return fail(env, "load: hash must be a string");
  std::string hash = info[0].As<Napi::String>().Utf8Value();
  if (hash.size() != 64) return fail(env, "load: hash must be 64 hex digits (a SHA-256), got " + std::to_string(hash.size()) + " characters");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    return fail(env, "load: encoded tape must be a Float64Array");
  Napi::Float64Array enc = info[1].As<Napi::Float64Array>();
  std::string error;
  int handle;
  try {
    handle = hb::loadExecutable(hash, enc.Data(), enc.ElementLength(), error);
  } catch (const std::bad_alloc&) {
    return fail(env, "load: out of memory reading the tape", true);
  }
  if (handle < 0) return fail(env, "load: " + error, true);
  return Napi::Number::New(env, handle);
}

// shapes(handle) → { feeds: number[][], outputs: number[][], batch }: what a loaded tape expects.
Napi::Value Shapes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double handle;
  std::string error;
  if (info.Length() != 1 || !integerArg(info, 0, "shapes: handle", 0, 1e9, handle, error)) return fail(env, error.empty() ? "shapes: expected 1 argument (handle)" : error, true);
  auto exe = hb::findExecutable(int(handle));
  if (!exe) return fail(env, "shapes: handle " + std::to_string(int64_t(handle)) + " is not a loaded tape", true);
  auto list = [&](auto const& items) {
    Napi::Array a = Napi::Array::New(env, items.size());
    for (size_t i = 0; i < items.size(); i++) {
      Napi::Array s = Napi::Array::New(env, items[i].shape.size());
      for (size_t j = 0; j < items[i].shape.size(); j++) s.Set(uint32_t(j), double(items[i].shape[j]));
      a.Set(uint32_t(i), s);
    }
    return a;
  };
  Napi::Object r = Napi::Object::New(env);
  r.Set("feeds", list(exe->program().feeds));
  r.Set("outputs", list(exe->program().outputs));
  r.Set("batch", double(exe->batch()));
  return r;
}

// Everything a run needs, checked and resolved from the JS arguments.
struct RunArgs {
  std::shared_ptr<const hb::Executable> exe;
  bool float32 = false;
  std::vector<void*> feeds, outputs;
  RunOptions options;
  std::vector<Napi::Reference<Napi::Value>> keep;  // keeps borrowed arrays alive while native code runs
};

template <class Item>
bool arrayOf(Napi::Env env, Napi::Value v, const char* what, const std::vector<Item>& items, bool float32,
             std::vector<void*>& out, RunArgs& args, bool keep, std::string& error) {
  const size_t expected = items.size();
  if (!v.IsArray()) {
    error = std::string(what) + ": expected an array of typed arrays";
    return false;
  }
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() != expected) {
    error = std::string(what) + ": expected " + std::to_string(expected) + " arrays, got " + std::to_string(a.Length());
    return false;
  }
  for (uint32_t i = 0; i < expected; i++) {
    Napi::Value e = a.Get(i);
    std::string at = std::string(what) + "[" + std::to_string(i) + "]";
    hb::ArrayFault fault;
    const size_t n = size_t(hb::sizeOf(items[i].shape));
    uint8_t* data = hb::typedData(e, float32 ? napi_float32_array : napi_float64_array, int64_t(n), fault);
    if (fault == hb::ArrayFault::TYPE) error = at + ": expected a " + (float32 ? "Float32Array" : "Float64Array") + " (dtype " + (float32 ? "float32" : "float64") + ")";
    if (fault == hb::ArrayFault::LENGTH) error = at + ": has " + std::to_string(e.As<Napi::TypedArray>().ElementLength()) + " values; shape " + hb::showShape(items[i].shape) + " needs " + std::to_string(n);
    if (fault == hb::ArrayFault::DETACHED) error = at + ": its buffer is detached";
    if (fault != hb::ArrayFault::NONE) return false;
    out.push_back(data);
    // An async run must keep the arrays alive; a synchronous one runs while the caller holds them.
    if (keep) args.keep.push_back(Napi::Persistent(e));
  }
  (void)env;
  return true;
}

// (handle, dtype, feeds, outputs, threads, blockRows[, cancel])
bool parseRun(const Napi::CallbackInfo& info, const char* name, bool async, RunArgs& r, std::string& error) {
  Napi::Env env = info.Env();
  size_t want = async ? 7 : 6;
  std::string n(name);
  if (info.Length() != want) {
    error = n + ": expected " + std::to_string(want) + " arguments, got " + std::to_string(info.Length());
    return false;
  }
  double handle, threads, blockRows;
  if (!integerArg(info, 0, (n + ": handle").c_str(), 0, 1e9, handle, error)) return false;
  r.exe = hb::findExecutable(int(handle));
  if (!r.exe) {
    error = n + ": handle " + std::to_string(int64_t(handle)) + " is not a loaded tape";
    return false;
  }
  std::string dtype = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (dtype != "float32" && dtype != "float64") {
    error = n + ": dtype must be 'float32' or 'float64'";
    return false;
  }
  r.float32 = dtype == "float32";
  const hb::Program& prog = r.exe->program();
  if (!arrayOf(env, info[2], (n + ": feeds").c_str(), prog.feeds, r.float32, r.feeds, r, async, error)) return false;
  if (!arrayOf(env, info[3], (n + ": outputs").c_str(), prog.outputs, r.float32, r.outputs, r, async, error)) return false;
  if (!integerArg(info, 4, (n + ": threads").c_str(), 0, 1024, threads, error)) return false;
  if (!integerArg(info, 5, (n + ": blockRows").c_str(), 0, 2147483647.0, blockRows, error)) return false;
  r.options.threads = int(threads);
  r.options.blockRows = int(blockRows);
  if (async) {
    Napi::Value c = info[6];
    if (!c.IsTypedArray() || c.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array || c.As<Napi::TypedArray>().ElementLength() < 1) {
      error = n + ": cancel must be an Int32Array of length at least 1";
      return false;
    }
    Napi::TypedArray t = c.As<Napi::TypedArray>();
    r.options.cancel = reinterpret_cast<const volatile int32_t*>(hb::elementData(t));
    r.keep.push_back(Napi::Persistent(c));
  }
  return true;
}

bool execute(RunArgs& r, std::string& error) {
  try {
    if (r.float32) {
      hb::SessionLease<float> s(r.exe);
      return s->run(reinterpret_cast<const float* const*>(r.feeds.data()), reinterpret_cast<float* const*>(r.outputs.data()), r.options, error);
    }
    hb::SessionLease<double> s(r.exe);
    return s->run(reinterpret_cast<const double* const*>(r.feeds.data()), reinterpret_cast<double* const*>(r.outputs.data()), r.options, error);
  } catch (const std::bad_alloc&) {
    error = "out of memory";
    return false;
  }
}

Napi::Value Run(const Napi::CallbackInfo& info) {
  RunArgs r;
  std::string error;
  if (!parseRun(info, "run", false, r, error)) return fail(info.Env(), error, error.find("has ") != std::string::npos);
  if (!execute(r, error)) return fail(info.Env(), "run: " + error, true);
  return info.Env().Undefined();
}

class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, RunArgs&& r) : Napi::AsyncWorker(env), args_(std::move(r)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    std::string error;
    if (!execute(args_, error)) SetError(error);
  }
  void OnOK() override {
    args_.keep.clear();
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    args_.keep.clear();
    std::string m = e.Message();
    Napi::Error err = Napi::Error::New(Env(), m == "cancelled" ? "run: cancelled" : "run: " + m);
    if (m == "cancelled") err.Set("name", Napi::String::New(Env(), "AbortError"));
    deferred_.Reject(err.Value());
  }

 private:
  RunArgs args_;
  Napi::Promise::Deferred deferred_;
};

Napi::Value RunAsync(const Napi::CallbackInfo& info) {
  RunArgs r;
  std::string error;
  if (!parseRun(info, "runAsync", true, r, error)) return fail(info.Env(), error, error.find("has ") != std::string::npos);
  auto* w = new RunWorker(info.Env(), std::move(r));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// draws(kind: 'uniform'|'normal', seed, stream, start, out: Float64Array|Float32Array): fills out.
Napi::Value Draws(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 5) return fail(env, "draws: expected 5 arguments (kind, seed, stream, start, out), got " + std::to_string(info.Length()));
  std::string kind = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "";
  if (kind != "uniform" && kind != "normal") return fail(env, "draws: kind must be 'uniform' or 'normal'");
  double seed, stream, start;
  std::string error;
  const double max = 9007199254740991.0;
  if (!integerArg(info, 1, "draws: seed", 0, max, seed, error) || !integerArg(info, 2, "draws: stream", 0, max, stream, error) ||
      !integerArg(info, 3, "draws: start", 0, max, start, error))
    return fail(env, error, true);
  if (!info[4].IsTypedArray()) return fail(env, "draws: out must be a Float64Array or Float32Array");
  Napi::TypedArray t = info[4].As<Napi::TypedArray>();
  size_t count = t.ElementLength();
  if (double(count) > max - start + 1) return fail(env, "draws: start + count passes 2^53", true);
  uint8_t* base = hb::elementData(t);
  if (base == nullptr && count > 0) return fail(env, "draws: out's buffer is detached");
  bool normal = kind == "normal";
  if (t.TypedArrayType() == napi_float64_array)
    hb::philox::draws(normal, uint64_t(seed), uint64_t(stream), uint64_t(start), count, reinterpret_cast<double*>(base));
  else if (t.TypedArrayType() == napi_float32_array)
    hb::philox::draws(normal, uint64_t(seed), uint64_t(stream), uint64_t(start), count, reinterpret_cast<float*>(base));
  else
    return fail(env, "draws: out must be a Float64Array or Float32Array");
  return env.Undefined();
}

// philox(counter: four uint32, key: two uint32) → Uint32Array(4)
Napi::Value Philox(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6) return fail(env, "philox: expected 6 arguments (four counter words, two key words)");
  double w[6];
  std::string error;
  for (int i = 0; i < 6; i++)
    if (!integerArg(info, i, i < 4 ? "philox: counter word" : "philox: key word", 0, 4294967295.0, w[i], error)) return fail(env, error, true);
  uint32_t out[4];
  hb::philox::block(uint32_t(w[0]), uint32_t(w[1]), uint32_t(w[2]), uint32_t(w[3]), uint32_t(w[4]), uint32_t(w[5]), out);
  Napi::Uint32Array r = Napi::Uint32Array::New(env, 4);
  for (int i = 0; i < 4; i++) r[i] = out[i];
  return r;
}

// fmaPeak(iterations, threads = 1) → { flops, seconds } of an FMA-throughput loop run on `threads` threads
// at once (the calling thread and threads − 1 started for it, one loop each): the wall time of all of them.
Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double iterations, threads = 1;
  std::string error;
  if (info.Length() < 1 || info.Length() > 2 || !integerArg(info, 0, "fmaPeak: iterations", 1, 1e10, iterations, error) ||
      (info.Length() == 2 && !integerArg(info, 1, "fmaPeak: threads", 1, 64, threads, error)))
    return fail(env, error.empty() ? "fmaPeak: expected 1 or 2 arguments" : error, true);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> others;
  std::vector<double> counts(size_t(threads), 0);
  for (int t = 1; t < int(threads); t++) others.emplace_back([&counts, t, iterations] { counts[size_t(t)] = hb::fmaProbe(int64_t(iterations)); });
  counts[0] = hb::fmaProbe(int64_t(iterations));
  for (std::thread& t : others) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double flops = 0;
  for (double c : counts) flops += c;
  Napi::Object r = Napi::Object::New(env);
  r.Set("flops", flops);
  r.Set("seconds", seconds);
  return r;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version));
  exports.Set("isa", Napi::Function::New(env, Isa));
  exports.Set("hardwareThreads", Napi::Function::New(env, HardwareThreads));
  exports.Set("ops", Napi::Function::New(env, Ops));
  exports.Set("load", Napi::Function::New(env, Load));
  exports.Set("shapes", Napi::Function::New(env, Shapes));
  exports.Set("run", Napi::Function::New(env, Run));
  exports.Set("runAsync", Napi::Function::New(env, RunAsync));
  exports.Set("draws", Napi::Function::New(env, Draws));
  exports.Set("philox", Napi::Function::New(env, Philox));
  exports.Set("fmaPeak", Napi::Function::New(env, FmaPeak));
  hb::registerSampler(env, exports);
  hb::registerRbm(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(heatbath, Init)
