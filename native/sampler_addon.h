// The sampler's N-API entry point, registered by addon.cc.
#pragma once
#include <napi.h>

namespace hb {
void registerSampler(Napi::Env env, Napi::Object exports);
}
