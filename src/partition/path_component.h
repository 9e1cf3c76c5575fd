// Path components: how one partition value is named in a partition path, and how paths split
// into components. The exact forms are docs/format/partition-paths.md (format version 1):
// integers in decimal, DATE `20170807`, MONTH `200001M`, other temporal types digits only,
// SYMBOL/STRING the value itself. Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/scalar.h"

namespace strata {

// The component naming the non-NULL `value` of a partition level type (CHAR, SHORT, INT, LONG,
// DATE, MONTH, TIME, MINUTE, SECOND, DATETIME, SYMBOL, STRING). `value` must be nameable
// (CheckNameable).
std::string FormatComponent(const Scalar& value);

// The inverse of FormatComponent: the value of `type` that `component` names, or nullopt if
// `component` is not the exact (canonical) component of such a value.
std::optional<Scalar> ParseComponent(std::string_view component, Type type);

// OK if `value` can name a directory: not NULL; strings without '/' or NUL and not "." or "..";
// dates within years 0000–9999; times of day within one day. Else InvalidArgument naming it.
Status CheckNameable(const Scalar& value);

// OK if `name` can name a RANGE or LIST partition (Doris's `p1`): a letter or '_', then letters,
// digits and '_', at most PartitionScheme::kPartitionNameMax bytes. Else InvalidArgument naming
// it and the rule. A named partition's path component is its name, and this rule keeps it a
// safe directory name: never empty, `.` or `..`, and without '/', NUL or other punctuation.
Status CheckPartitionName(std::string_view name);

// CheckPartitionName for each of `names`, and InvalidArgument naming a name given twice; names
// that differ only in case count as the same (Doris compares them so, and some file systems
// would put them in one directory).
Status CheckPartitionNames(const std::vector<std::string>& names);

// Splits "/20170807/0_50" into {"20170807", "0_50"}; nullopt unless the path begins with '/'
// and every component is non-empty.
std::optional<std::vector<std::string_view>> SplitPartitionPath(std::string_view path);

// The number in a numbered component such as "Key3" or "List0" (`prefix` then a canonical
// decimal below `count`), or nullopt.
std::optional<uint32_t> ParseNumberedComponent(std::string_view component, std::string_view prefix,
                                               size_t count);

// A value as messages show it: 150, 2017.08.07, 'IBM', NULL.
std::string DescribeValue(const Scalar& value);

}  // namespace strata
