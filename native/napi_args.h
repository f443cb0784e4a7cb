// The addon's argument checks, one definition each (addon.cc, sampler_addon.cc and rbm.cc word their own
// messages around them): an integer in a range, and a typed array of a given type and length borrowed
// where it sits.
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

namespace hb {

// v as an integer in [lo, hi]; false and the error (naming `what`) otherwise.
inline bool integerValue(const Napi::Value& v, const std::string& what, double lo, double hi, double& out, std::string& error) {
  if (!v.IsNumber()) {
    error = what + ": expected a number";
    return false;
  }
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= lo && x <= hi && x == std::floor(x))) {
    error = what + ": expected an integer in [" + std::to_string((long long)lo) + ", " + std::to_string((long long)hi) + "], got " + std::to_string(x);
    return false;
  }
  out = x;
  return true;
}

// The address of a typed array's first element (its buffer's data plus byteOffset), for an ArrayBuffer and a
// SharedArrayBuffer alike; nullptr for a detached buffer. TypedArray::ArrayBuffer() cannot be used: it wraps
// a SharedArrayBuffer as an ArrayBuffer whose Data() fails and throws, and the caller's own error, thrown
// next, then aborts the process.
inline uint8_t* elementData(const Napi::TypedArray& t) {
  void* data = nullptr;
  if (napi_get_typedarray_info(t.Env(), t, nullptr, nullptr, &data, nullptr, nullptr) != napi_ok) return nullptr;
  return static_cast<uint8_t*>(data);
}

// Why a typed array could not be borrowed: not of the type, not of the length, or detached.
enum class ArrayFault { NONE, TYPE, LENGTH, DETACHED };

// The data of typed array v where it sits (ArrayBuffer data plus byteOffset), when v is of `type` and has
// `length` elements (any length when length < 0); nullptr and the fault otherwise. The caller keeps v alive
// (a persistent reference) for as long as native code uses the data.
inline uint8_t* typedData(const Napi::Value& v, napi_typedarray_type type, int64_t length, ArrayFault& fault) {
  fault = ArrayFault::NONE;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    fault = ArrayFault::TYPE;
    return nullptr;
  }
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  if (length >= 0 && int64_t(t.ElementLength()) != length) {
    fault = ArrayFault::LENGTH;
    return nullptr;
  }
  uint8_t* data = elementData(t);
  if (data == nullptr && t.ElementLength() > 0) {
    fault = ArrayFault::DETACHED;
    return nullptr;
  }
  return data;
}

}  // namespace hb
