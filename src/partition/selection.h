// The `partition` argument of dropPartition and backup (spec/partitioning.md, "Selecting
// partitions"): either paths ("/20170807/0_50", a STRING scalar or vector whose elements begin
// with '/') or filters (values of the partition columns).
#pragma once

#include <string>
#include <vector>

#include "partition/partition_scheme.h"

namespace strata {

// True if `selection` is given as paths: a string (or string vector) beginning with '/'.
bool IsPathSelection(const Value& selection);

// The paths of `existing_paths` (in their order) that `selection` selects. Paths are validated
// first (InvalidArgument naming a malformed one); filters are resolved by the scheme.
Result<std::vector<std::string>> ResolveSelection(const PartitionScheme& scheme,
                                                  const Value& selection,
                                                  const std::vector<std::string>& existing_paths);

}  // namespace strata
