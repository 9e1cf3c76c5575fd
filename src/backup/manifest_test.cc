#include "backup/manifest.h"

#include <gtest/gtest.h>

namespace strata {
namespace {
TEST(ManifestTest, Placeholder) {}
}  // namespace
}  // namespace strata
