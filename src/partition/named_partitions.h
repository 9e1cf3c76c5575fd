// Named partitions (Doris's `PARTITION p1 VALUES LESS THAN (...)` / `VALUES IN (...)`): building
// a scheme whose first level is named RANGE or LIST partitions, adding and dropping one, and
// listing them. A named partition's path component is its name (`/p1/Key3`), so adding or
// dropping a partition never renames the others. Stateless functions; thread-safe. Schemes
// are returned as new objects owned by the caller; the arguments are never changed.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "partition/partition_scheme.h"
#include "types/scalar.h"

namespace strata {

// Bound on the named partitions of one level.
inline constexpr size_t kNamedPartitionCountMax = 100'000;

// A named RANGE partition [low, high); nullopt low: unbounded below (Doris's first LESS THAN);
// nullopt high: MAXVALUE.
struct NamedRange {
  std::string name;
  std::optional<Scalar> low;
  std::optional<Scalar> high;
};

// A named LIST partition: the rows whose value is one of `values`.
struct NamedList {
  std::string name;
  std::vector<Scalar> values;
};

// One named partition of a scheme's first level, for SHOW PARTITIONS / SHOW CREATE TABLE.
// RANGE: `low`/`high` as in NamedRange, `values` empty; LIST: `values`, no bounds.
struct NamedPartition {
  std::string name;
  PartitionType type;
  std::optional<Scalar> low, high;
  std::vector<Scalar> values;
};

// A one-level RANGE scheme of `type` (CHAR, SHORT, INT, LONG, DATE, MONTH, TIME, MINUTE,
// SECOND, DATETIME) with the given named ranges, in any order; they may leave gaps, and a row
// in a gap fits no partition. Bounds of another type are converted when exact (an INT bound of
// a LONG level, a midnight DATETIME bound of a DATE level). InvalidArgument naming the problem:
// no ranges, a bad or repeated name (names that differ only in case count as repeated), a NULL
// or unconvertible bound, low >= high, two overlapping ranges (naming both), a string type.
Result<std::unique_ptr<PartitionScheme>> MakeNamedRanges(Type type, std::vector<NamedRange> ranges);

// A one-level LIST scheme of `type` (the RANGE types, SYMBOL, STRING) with the given named
// lists, kept in the given order. InvalidArgument naming the problem: no lists, a list without
// values, a NULL or unconvertible value, a value in two lists (naming the value and both
// partitions), a bad or repeated name.
Result<std::unique_ptr<PartitionScheme>> MakeNamedLists(Type type, std::vector<NamedList> lists);

// A copy of `scheme` (single-level named RANGE/LIST, or COMPO whose first level is one) with one
// more / one fewer partition at its first level; other levels unchanged, and every other
// partition keeps its name and so its path. Errors as for MakeNamedRanges/MakeNamedLists
// (an overlap names the new partition first); AlreadyExists when the name is taken;
// InvalidArgument when the first level is not named partitions of that kind.
// (Doris's `ADD PARTITION p VALUES LESS THAN (x)` continues from the highest upper bound:
// the caller passes that bound, from NamedPartitionsOf, as `low`.)
Result<std::unique_ptr<PartitionScheme>> AddNamedRange(const PartitionScheme& scheme,
                                                       NamedRange range);
Result<std::unique_ptr<PartitionScheme>> AddNamedList(const PartitionScheme& scheme,
                                                      NamedList list);
// NotFound naming `name` and (some of) the partitions there are when no partition has that name;
// InvalidArgument when it is the last one (a partitioned table keeps at least one partition) or
// the first level is not named.
Result<std::unique_ptr<PartitionScheme>> DropNamedPartition(const PartitionScheme& scheme,
                                                            std::string_view name);

// The first level's named partitions, in order (ranges by low bound; lists as declared). Empty
// if the first level is not named.
std::vector<NamedPartition> NamedPartitionsOf(const PartitionScheme& scheme);

// A named partition as messages show it: "p1 [MINVALUE, 2020.02.01)", "p_cn ('Beijing', 'x')".
std::string DescribeNamedPartition(const NamedPartition& partition);

// Whether two named partitions hold the same values (list values in any order).
bool SameNamedPartition(const NamedPartition& a, const NamedPartition& b);

}  // namespace strata
