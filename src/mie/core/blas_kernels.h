// mie/core/blas_kernels.h — make OpenBLAS run the kernels this CPU supports.
//
//   int main(int argc, char** argv) {
//     mie::BlasKernels k = mie::use_cpu_blas_kernels();   // first thing, before any thread starts
//     std::cerr << k.before << " -> " << k.now << "\n";    // e.g. "Prescott -> SkylakeX"
//
// Debian's OpenBLAS (DYNAMIC_ARCH) chooses its kernels from the CPUID model when it loads. A CPU it
// does not recognise, such as a cloud vCPU that reports only "Intel(R) Xeon(R) Processor", gets the
// generic Prescott (SSE3) kernels even when it has AVX2, FMA and AVX-512: every torch matrix product
// then runs 2-2.5x slower (docs/RESULTS.md, "OpenBLAS kernels"). This reselects the kernels from the
// instruction sets the CPU reports (__builtin_cpu_supports), as OPENBLAS_CORETYPE would.
//
// Nothing changes when: OPENBLAS_CORETYPE is set (the user's choice wins), OpenBLAS is not the loaded
// BLAS, it already runs a core with AVX2 kernels, or the CPU lacks AVX2+FMA. The symbols are looked up
// with dlsym, so there is no link dependency on OpenBLAS.
// Thread safety: call once from main before any BLAS call or thread; not safe to call concurrently.
#pragma once

#include <string>

namespace mie {

struct BlasKernels {
  std::string before;  // OpenBLAS's core name at start ("" when OpenBLAS is not loaded)
  std::string now;     // the core name after selection (== before when nothing changed)
};

// The core to force for a CPU on which OpenBLAS reports `corename`, or "" to leave it. Pure function.
std::string blas_core_override(const std::string& corename, bool avx2_fma, bool avx512_skx);
// The same for this CPU's instruction sets (AVX2+FMA; AVX-512 F/BW/DQ/VL).
std::string blas_core_override(const std::string& corename);

// Applies blas_core_override to this process (see above) and reports what it did.
BlasKernels use_cpu_blas_kernels();

// OpenBLAS's current core name, or "" when OpenBLAS is not loaded.
std::string blas_core_name();

}  // namespace mie
