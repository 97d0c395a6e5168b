#include "mie/core/blas_kernels.h"

#include <dlfcn.h>

#include <cstdlib>
#include <set>

namespace mie {
namespace {

template <class F>
F blas_symbol(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

std::string blas_core_override(const std::string& corename, bool avx2_fma, bool avx512_skx) {
  // OpenBLAS's names for cores whose kernels predate AVX2 (its fallbacks for unknown CPUs among them).
  static const std::set<std::string> old_cores = {
      "Unknown", "Katmai",    "Coppermine", "Northwood",     "Prescott", "Banias",    "Atom",
      "Core2",   "Penryn",    "Dunnington", "Nehalem",       "Sandybridge", "Athlon", "Opteron",
      "Opteron(SSE3)", "Barcelona", "Bobcat", "Bulldozer", "Piledriver", "Steamroller"};
  if (corename.empty() || !old_cores.count(corename)) return "";
  if (avx512_skx) return "SkylakeX";
  if (avx2_fma) return "Haswell";
  return "";
}

std::string blas_core_name() {
  auto corename = blas_symbol<char* (*)()>("openblas_get_corename");
  if (!corename) return "";
  const char* s = corename();
  return s ? s : "";
}

std::string blas_core_override(const std::string& corename) {
  __builtin_cpu_init();
  const bool avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool skx = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  return blas_core_override(corename, avx2_fma, skx);
}

BlasKernels use_cpu_blas_kernels() {
  BlasKernels k;
  k.before = k.now = blas_core_name();
  if (k.before.empty() || std::getenv("OPENBLAS_CORETYPE")) return k;
  const std::string core = blas_core_override(k.before);
  if (core.empty()) return k;
  auto quit = blas_symbol<void (*)()>("gotoblas_dynamic_quit");
  auto init = blas_symbol<void (*)()>("gotoblas_dynamic_init");
  // The kernel table must be in this build of OpenBLAS (gotoblas_SKYLAKEX, gotoblas_HASWELL).
  const char* table = core == "SkylakeX" ? "gotoblas_SKYLAKEX" : "gotoblas_HASWELL";
  if (!quit || !init || !dlsym(RTLD_DEFAULT, table)) return k;
  // gotoblas_dynamic_init reads OPENBLAS_CORETYPE, as at load time; quit clears the current choice.
  setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
  quit();
  init();
  k.now = blas_core_name();
  return k;
}

}  // namespace mie
