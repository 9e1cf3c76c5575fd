#include "base/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace strata {

namespace {

void AdviseHugePages(void* data, size_t bytes) {
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  const auto start = reinterpret_cast<uintptr_t>(data);
  const uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (start + bytes) & ~(kHugePage - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

void* AllocateMaybeHuge(size_t bytes) {
  void* data = std::malloc(bytes == 0 ? 1 : bytes);
  if (data != nullptr && bytes >= kHugePageAdviceBytesMin) AdviseHugePages(data, bytes);
  return data;
}

}  // namespace strata
