// NamedRangeScheme (RANGE, named): disjoint named ranges [low, high) of an integer or temporal
// type, possibly unbounded below or above and with gaps between them (Doris's RANGE partitions).
// A partition's path component is its name. Rows that are NULL or fall in no range are
// rejected. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "partition/named_partitions.h"
#include "partition/single_level_scheme.h"

namespace strata {

class NamedRangeScheme final : public SingleLevelScheme {
 public:
  // `ranges` in any order, every bound of `type` (see MakeNamedRanges, which converts bounds);
  // InvalidArgument naming the problem. An overlap names the later-given range first.
  static Result<std::unique_ptr<NamedRangeScheme>> Make(Type type, std::vector<NamedRange> ranges);
  // Reads what ToJson wrote (a RANGE scheme JSON with "partitions"); Corruption naming the
  // problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  // The ranges, ascending by low bound (partition id order).
  const std::vector<NamedRange>& ranges() const { return ranges_; }

  PartitionType type() const override { return PartitionType::kRange; }
  nlohmann::json ToJson() const override;
  std::string Describe() const override;
  std::vector<std::string> partition_names() const override { return names_; }

  std::unique_ptr<SingleLevelScheme> CloneLevel() const override;
  Result<LevelIds> Locate(const Column& column, size_t position) const override;
  std::string ComponentName(uint32_t id) const override { return names_[id]; }
  Status CheckComponent(std::string_view component) const override;
  void SelectComponent(const Scalar& value, ComponentSet* selected) const override;
  bool ComponentMayMatch(std::string_view component,
                         const LevelPredicate& predicate) const override;
  bool ComponentAlwaysMatches(std::string_view component,
                              const LevelPredicate& predicate) const override;

 private:
  NamedRangeScheme(Type type, std::vector<NamedRange> sorted_ranges);
  // The range holding the level value `v`, or nullopt (a gap, or outside every range).
  std::optional<uint32_t> FindRange(int64_t v) const;
  template <typename T>
  Status LocateValues(const std::vector<T>& values, size_t position,
                      std::vector<uint32_t>* ids) const;
  Status FitsNoRange(const Scalar& value, size_t position) const;

  std::vector<NamedRange> ranges_;  // ascending by low
  std::vector<std::string> names_;  // per range
  // Inclusive level values of each range, clamped to the type's non-NULL values, so an
  // unbounded end is the type's least / greatest value and `high` never needs a "- 1" later.
  std::vector<int64_t> lows_, highs_;
  std::unordered_map<std::string, uint32_t> range_of_name_;
};

// "p1 [MIN, 2020.02.01)": a named range as messages show it.
std::string DescribeNamedRange(const NamedRange& range);

}  // namespace strata
