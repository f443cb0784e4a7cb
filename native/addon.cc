// The native executor lands with the native-executor issue; until then the addon only reports its version
// so that the loader in src/backend can be built and tested.
#include <napi.h>

static Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), 0);
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::Function::New(env, Version));
  return exports;
}

NODE_API_MODULE(heatbath, Init)
