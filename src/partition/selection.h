// PartitionSelection: which partitions of a table an operation takes (dropping partitions,
// backing them up), in no dialect's form (spec/partitioning.md, "Selecting partitions"):
//   - all of them;
//   - paths, one component per level ("/20170807/0_50");
//   - filters: values per level, each selecting the partition that holds it;
//   - names of first-level partitions (Doris's `PARTITION (p1, p2)`): a RANGE or LIST level's
//     own names, or, on a level without names, its path components ("20170807", "0_50").
// The script dialect's `partition` argument becomes one with FromValue; the SQL dialect builds
// one from its partition list. Immutable value; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "partition/partition_scheme.h"

namespace strata {

class PartitionSelection {
 public:
  enum class Kind : uint8_t { kAll, kPaths, kFilters, kNames };

  static PartitionSelection All() { return PartitionSelection(Kind::kAll); }
  static PartitionSelection Paths(std::vector<std::string> paths);
  // One filter per level. A single filter applies to the first level (the others: all). Several
  // filters on a one-level scheme select the union of their values (the script's tuple of
  // values), and then none may be nullopt.
  static PartitionSelection Filters(std::vector<LevelFilter> levels);
  static PartitionSelection Names(std::vector<std::string> names);
  // The `partition` argument of the script's dropPartition and backup: a STRING scalar or
  // vector whose elements begin with '/' is paths; otherwise filter values, a scalar, vector or
  // pair for the first level, or a tuple with one element per level (VOID = all). InvalidArgument
  // for a value that can be neither (a dictionary, a table).
  static Result<PartitionSelection> FromValue(const Value& value);

  Kind kind() const { return kind_; }
  bool is_all() const { return kind_ == Kind::kAll; }
  const std::vector<std::string>& paths() const { return strings_; }  // kPaths
  const std::vector<std::string>& names() const { return strings_; }  // kNames
  const std::vector<LevelFilter>& filters() const { return filters_; }
  // For messages and a call's identity: the value as the user gave it (FromValue), or
  // "partitions p1, p2" / "paths /a, /b" / "all partitions".
  const std::string& text() const { return text_; }

 private:
  explicit PartitionSelection(Kind kind);
  Kind kind_;
  std::vector<std::string> strings_;
  std::vector<LevelFilter> filters_;
  std::string text_;
};

// The paths of `existing_paths` (in their order) that `selection` selects. Paths are validated
// (InvalidArgument naming a malformed one) and select only partitions that exist; filters are
// resolved by the scheme (InvalidArgument for a value of the wrong type or a wrong level count);
// a name that names no partition of the scheme's first level is NotFound naming it and the
// level's names.
Result<std::vector<std::string>> ResolveSelection(const PartitionScheme& scheme,
                                                  const PartitionSelection& selection,
                                                  const std::vector<std::string>& existing_paths);

}  // namespace strata
