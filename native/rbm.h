// rbmFit: whole epochs of Bernoulli RBM training (PCD-k / CD-k with SGD) in one call (native/rbm.cc).
#pragma once
#include <napi.h>

namespace hb {
void registerRbm(Napi::Env env, Napi::Object exports);
}
