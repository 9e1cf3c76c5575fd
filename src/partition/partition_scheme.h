// PartitionScheme: how a database splits rows into partitions, and how partitions are named,
// selected and pruned. One interface, one implementation per kind (ValueScheme, RangeScheme,
// HashScheme, ListScheme, CompoScheme); spec: ../shared/spec/partitioning.md and
// docs/format/partition-paths.md. Not thread-safe for mutation (Split may add VALUE
// partitions); const methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/column.h"
#include "types/value.h"

namespace strata {

enum class PartitionType : uint8_t { kValue = 1, kRange = 2, kHash = 3, kList = 4, kCompo = 5 };

// "VALUE", "RANGE", "HASH", "LIST", "COMPO".
const char* PartitionTypeName(PartitionType type);
// Case-insensitive inverse of PartitionTypeName.
std::optional<PartitionType> PartitionTypeFromName(std::string_view name);

// A condition on one level's column, for pruning (`date = 2017.08.07`, `ID < 50`, ...).
struct LevelPredicate {
  enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kBetween };
  Op op = Op::kEq;
  // kIn: any number of values; kBetween: [low, high] inclusive; otherwise exactly one.
  std::vector<Scalar> values;
};

// The filter of one level: the partitions that hold any of `values`; every partition of the
// level when nullopt.
using LevelFilter = std::optional<std::vector<Scalar>>;

// The rows of one append that land in one partition.
struct PartitionGroup {
  std::string path;            // "/20170807/0_50": one component per level, leading '/'
  std::vector<uint32_t> rows;  // ascending row indices into the appended table
};

class PartitionScheme {
 public:
  virtual ~PartitionScheme() = default;

  // Builds a single-level scheme from the arguments of `database(, TYPE, schemeArg)`:
  // VALUE a vector of values; RANGE a sorted vector of ≥ 2 boundaries; HASH a tuple/vector
  // `[type, bucketCount]` (the type given as its DolphinDB id, e.g. INT = 4); LIST a tuple of
  // vectors (or a vector: one value per list). Errors name the problem: unsorted boundaries,
  // FLOAT/DOUBLE values, an empty scheme, a bad bucket count.
  static Result<std::unique_ptr<PartitionScheme>> Make(PartitionType type, const Value& scheme);
  // Named RANGE and LIST partitions (Doris) are built by MakeNamedRanges / MakeNamedLists
  // (named_partitions.h); a name is at most kPartitionNameMax bytes.
  static constexpr size_t kPartitionNameMax = 64;
  // Builds a COMPO scheme of 2–3 single-level schemes (not COMPO themselves).
  static Result<std::unique_ptr<PartitionScheme>> MakeCompo(
      std::vector<std::unique_ptr<PartitionScheme>> levels);
  // Reads what ToJson wrote; Corruption naming the problem if it is malformed.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  virtual PartitionType type() const = 0;
  virtual std::unique_ptr<PartitionScheme> Clone() const = 0;
  // Lossless JSON form (for the catalog and backup manifests).
  virtual nlohmann::json ToJson() const = 0;
  // One line for printing a database handle: "COMPO(VALUE DATE 5 values, RANGE INT 2 ranges)".
  virtual std::string Describe() const = 0;

  // 1 for a single-level scheme, 2–3 for COMPO.
  virtual size_t level_count() const = 0;
  // The type of the values of level `level` (the scheme's type; HASH: the declared type).
  virtual Type level_type(size_t level) const = 0;

  // OK if a table column of `column_type` can be partitioned by level `level` (same type, or one
  // that converts: INT ↔ LONG ↔ SHORT ↔ CHAR, SYMBOL ↔ STRING, temporal → the level's temporal
  // type such as TIMESTAMP → DATE). Otherwise InvalidArgument naming both types.
  Status CheckColumnType(size_t level, Type column_type) const;

  // Assigns every row to a partition. `level_columns` holds the partition column of each level,
  // in level order, all of equal length; they are converted to the level types first. Groups
  // come out in ascending order of path. A value that fits no RANGE/LIST partition (or a NULL in
  // any level) fails the whole call with InvalidArgument naming the value and the column
  // position; nothing is changed then. VALUE levels add partitions for new values and set
  // `*scheme_changed` so the caller persists the scheme.
  virtual Result<std::vector<PartitionGroup>> Split(const std::vector<ColumnPtr>& level_columns,
                                                    bool* scheme_changed) = 0;

  // OK if `path` ("/20170807/0_50") has one component per level and each is a component this
  // scheme names; else InvalidArgument naming the path and what is wrong.
  virtual Status ValidatePath(std::string_view path) const = 0;
  // Makes `path` a partition of this scheme (restoring a backup into an existing database):
  // validates it as ValidatePath does, and a VALUE level that does not hold the path's value
  // adds it. Returns true if the scheme changed (the caller persists it).
  virtual Result<bool> AdmitPath(std::string_view path) = 0;

  // Filter resolution (spec "Selecting partitions", filter form): returns the paths of
  // `existing_paths` (in their order) that `filters` select: one filter per level, or one for
  // the first level only (the others: all); on a one-level scheme several filters select the
  // union of their values. Each value selects the partition that holds it. A wrong number of
  // filters, an all-filter among several on one level, or a value of the wrong type →
  // InvalidArgument naming it.
  virtual Result<std::vector<std::string>> SelectByFilter(
      const std::vector<LevelFilter>& filters,
      const std::vector<std::string>& existing_paths) const = 0;

  // Partition names. RANGE and LIST levels may name their partitions (Doris's `p1`), and then a
  // partition's path component is its name; a level without names is named by its components.
  // A name selects a partition of the first level (with every partition under it). The path
  // component of the first-level partition called `name`: `name` itself if the first level has
  // such a partition (or, unnamed, `name` is a valid component); nullopt if none.
  virtual std::optional<std::string> ComponentNamed(std::string_view name) const = 0;
  // The name of the first-level partition of `path` (its own name, or its path component).
  virtual std::string PartitionName(std::string_view path) const = 0;
  // The first level's partition names in partition order; empty when it has none.
  virtual std::vector<std::string> partition_names() const = 0;

  // Pruning: false only if no row of partition `path` can satisfy `predicate` on level
  // `level`'s column. Conservative: true whenever unsure (HASH with a range predicate, ...).
  virtual bool MayMatch(std::string_view path, size_t level,
                        const LevelPredicate& predicate) const = 0;

  // The converse, for skipping conditions: true only if every row of partition `path`
  // satisfies `predicate` on level `level`'s column, given that the column has exactly the
  // level's type (so no finer value, such as a TIMESTAMP in a DATE partition, hides inside).
  // False whenever unsure (HASH and LIST levels, predicate values that do not convert exactly).
  virtual bool AlwaysMatches(std::string_view path, size_t level,
                             const LevelPredicate& predicate) const = 0;
};

}  // namespace strata
