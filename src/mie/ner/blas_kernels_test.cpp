// The BLAS kernel selection of mie/core/blas_kernels.h in a process that loads torch (and OpenBLAS).
#include "mie/core/blas_kernels.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>

namespace mie {

TEST(BlasKernels, TorchProcessRunsKernelsForThisCpuAndMatrixProductsStayExact) {
  const bool user_choice = std::getenv("OPENBLAS_CORETYPE") != nullptr;
  const BlasKernels k = use_cpu_blas_kernels();
  if (k.before.empty()) GTEST_SKIP() << "torch here does not use OpenBLAS";
  ASSERT_FALSE(k.now.empty());
  if (!user_choice) {
    EXPECT_EQ(blas_core_override(k.now), "") << "still on " << k.now;
  }
  torch::manual_seed(3);
  const auto a = torch::randn({67, 70});
  const auto b = torch::randn({70, 33});
  const auto fast = torch::mm(a, b);  // float sgemm through the selected kernels
  const auto exact = torch::mm(a.to(torch::kDouble), b.to(torch::kDouble));
  EXPECT_LT((fast.to(torch::kDouble) - exact).abs().max().item<double>(), 1e-3);
}

}  // namespace mie
