// bench/bench_main.h — MIE_BENCHMARK_MAIN(): BENCHMARK_MAIN() with the BLAS kernels mie's CLI uses.
//
//   MIE_BENCHMARK_MAIN();   // in place of BENCHMARK_MAIN()
//
// Selects OpenBLAS's kernels for this CPU first (mie/core/blas_kernels.h) and keeps freed heap memory
// (mie/core/heap.h), as `mie` does, and records both in the benchmark context ("openblas_kernels",
// "keep_freed_heap"), so the figures are the CLI's.
#pragma once

#include <benchmark/benchmark.h>

#include "mie/core/blas_kernels.h"
#include "mie/core/heap.h"

#define MIE_BENCHMARK_MAIN()                                                               \
  int main(int argc, char** argv) {                                                        \
    const mie::BlasKernels blas = mie::use_cpu_blas_kernels();                             \
    benchmark::AddCustomContext("openblas_kernels",                                        \
                                blas.now.empty() ? "OpenBLAS not loaded"                   \
                                                 : blas.now + " (OpenBLAS chose " + blas.before + ")"); \
    benchmark::AddCustomContext("keep_freed_heap", mie::keep_freed_heap() ? "yes" : "no (malloc options set)"); \
    benchmark::Initialize(&argc, argv);                                                    \
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;                      \
    benchmark::RunSpecifiedBenchmarks();                                                   \
    benchmark::Shutdown();                                                                 \
    return 0;                                                                              \
  }                                                                                        \
  int main(int, char**)
