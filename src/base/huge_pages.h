// Transparent huge pages for large buffers. Where the kernel's THP mode is "madvise" (Debian's
// default), memory is faulted in 4 KiB at a time unless a region asks for 2 MiB pages; a
// column buffer of hundreds of MB then costs tens of thousands of page faults, which measured
// as half of an INSERT ... SELECT of 16 M rows on a virtual machine (bench/README.md).
#pragma once

#include <cstddef>

namespace strata {

// Allocations at least this large are worth a madvise call.
inline constexpr size_t kHugePageAdviceBytesMin = size_t{4} << 20;

// Asks the kernel to back the 2 MiB-aligned part of [data, data + bytes) with huge pages when
// it is first touched. Only a hint: errors (no THP, an old kernel) are ignored.
void AdviseHugePages(void* data, size_t bytes);

// malloc(bytes), advised onto huge pages when at least kHugePageAdviceBytesMin; the strata
// binary's operator new (cli/main.cc). Free with free().
void* AllocateMaybeHuge(size_t bytes);

}  // namespace strata
