// Whether data laid out by one partition scheme keeps its meaning under another: the check a
// restore into an existing database makes. A partition path names a RANGE or VALUE partition
// by its values, so such paths are checked one by one as they are admitted; a HASH path names
// a bucket and a LIST path a list by position, so those levels must be the same scheme or rows
// would land in partitions that do not hold them (and queries pruned by partition would miss
// them). A named RANGE/LIST path names a partition by its name, so partitions of one name must
// agree.
#pragma once

#include "partition/partition_scheme.h"

namespace strata {

// OK if `target` places every row of a partition laid out by `source` in the partition of the
// same path: the same number of levels, each of the same kind, and every HASH and LIST level
// the same (type, bucket count; the lists in the same order); named RANGE/LIST levels both named,
// of one type, and every partition name both have holding the same values there (a name only
// one has is refused as its paths are admitted). Otherwise FailedPrecondition
// saying which level differs and how, "in <target_name>" against "in <source_name>".
Status CheckSameLayout(const PartitionScheme& target, const std::string& target_name,
                       const PartitionScheme& source, const std::string& source_name);

}  // namespace strata
