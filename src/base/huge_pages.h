// Transparent huge pages for large buffers. Where the kernel's THP mode is "madvise" (Debian's
// default), memory is faulted in 4 KiB at a time unless a region asks for 2 MiB pages; a
// column buffer of hundreds of MB then costs tens of thousands of page faults, which measured
// as half of an INSERT ... SELECT of 16 M rows on a virtual machine (bench/README.md).
#pragma once

#include <cstddef>

namespace strata {

// Allocations at least this large are worth a madvise call.
inline constexpr size_t kHugePageAdviceBytesMin = size_t{4} << 20;

// malloc(bytes), with the 2 MiB-aligned part of the block advised onto huge pages (when first
// touched) if it is at least kHugePageAdviceBytesMin; only a hint, errors (no THP, an old
// kernel) are ignored. The strata binary's operator new (cli/main.cc). Free with free().
void* AllocateMaybeHuge(size_t bytes);

}  // namespace strata
