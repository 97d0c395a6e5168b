// mie/core/heap.h — keep freed tensor memory in the process instead of handing it back to the kernel.
//
//   int main() { mie::keep_freed_heap(); ... }   // first thing, as `mie` and the benchmarks do
//
// glibc serves blocks above its mmap threshold with fresh mmap()s and trims the heap top once a few
// MB are free, so a network's multi-MB activations are page-faulted in anew on every forward pass
// (PP-OCRv3 at 736: 4 s of 26 s in the kernel). This raises the mmap threshold to 32 MiB (glibc's
// maximum) and the trim threshold to 512 MiB: freed activations are reused from the heap. The cost is
// resident memory that stays at its peak. It does nothing when the user set glibc's malloc options
// (GLIBC_TUNABLES or MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ / MALLOC_TOP_PAD_), and nothing
// on other C libraries. Returns whether it changed the settings.
// Thread safety: call once, early, before other threads allocate.
#pragma once

namespace mie {

bool keep_freed_heap();

}  // namespace mie
