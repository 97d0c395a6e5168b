#include "mie/core/blas_kernels.h"

#include <gtest/gtest.h>

namespace mie {

TEST(BlasKernels, OldCoresAreUpgradedToWhatTheCpuSupports) {
  EXPECT_EQ(blas_core_override("Prescott", true, true), "SkylakeX");
  EXPECT_EQ(blas_core_override("Prescott", true, false), "Haswell");
  EXPECT_EQ(blas_core_override("Sandybridge", true, false), "Haswell");
  EXPECT_EQ(blas_core_override("Prescott", false, false), "");  // nothing better to run
}

TEST(BlasKernels, RecognisedModernCoresAndMissingBlasAreLeftAlone) {
  EXPECT_EQ(blas_core_override("Haswell", true, true), "");
  EXPECT_EQ(blas_core_override("SkylakeX", true, true), "");
  EXPECT_EQ(blas_core_override("Zen", true, false), "");
  EXPECT_EQ(blas_core_override("", true, true), "");
}

TEST(BlasKernels, SelectionIsIdempotentAndKeepsACoreName) {
  // The core tests do not load OpenBLAS: both names are "" and nothing changes. The CLI and the torch
  // benches print the core they run (mie --version, the benchmark context).
  BlasKernels first = use_cpu_blas_kernels();
  BlasKernels second = use_cpu_blas_kernels();
  EXPECT_EQ(second.before, first.now);
  EXPECT_EQ(second.now, first.now);
  EXPECT_EQ(blas_core_name(), first.now);
}

}  // namespace mie
