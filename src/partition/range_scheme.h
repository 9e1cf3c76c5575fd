// RangeScheme (RANGE): n strictly increasing boundaries make n-1 partitions [b[i], b[i+1]),
// named `<low>_<high>` (`0_50`, `20170101_20170201`). Rows outside [b[0], b[n-1]) are rejected.
// Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "partition/single_level_scheme.h"

namespace strata {

class RangeScheme final : public SingleLevelScheme {
 public:
  // Bound on the boundaries of one scheme.
  static constexpr size_t kBoundaryCountMax = 1'000'001;

  // `scheme`: a vector of at least 2 strictly increasing boundaries. InvalidArgument naming
  // the problem (see PartitionScheme::Make).
  static Result<std::unique_ptr<PartitionScheme>> Make(const Value& scheme);
  // Reads what ToJson wrote; Corruption naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  PartitionType type() const override { return PartitionType::kRange; }
  nlohmann::json ToJson() const override;
  std::string Describe() const override;

  std::unique_ptr<SingleLevelScheme> CloneLevel() const override;
  Result<LevelIds> Locate(const Column& column, size_t position) const override;
  std::string ComponentName(uint32_t id) const override { return components_[id]; }
  Status CheckComponent(std::string_view component) const override;
  void SelectComponent(const Scalar& value, ComponentSet* selected) const override;
  bool ComponentAlwaysMatches(std::string_view component,
                              const LevelPredicate& predicate) const override;
  bool ComponentMayMatch(std::string_view component,
                         const LevelPredicate& predicate) const override;

 private:
  explicit RangeScheme(Column boundaries);
  static Result<std::unique_ptr<RangeScheme>> FromBoundaries(const Column& boundaries);
  size_t range_count() const { return components_.size(); }
  // The range holding `value` (of the level type), or nullopt.
  std::optional<uint32_t> FindRange(const Scalar& value) const;
  template <typename T>
  Status LocateIntegers(const std::vector<T>& values, size_t position,
                        std::vector<uint32_t>* ids) const;
  Status LocateStrings(const std::vector<std::string>& values, size_t position,
                       std::vector<uint32_t>* ids) const;
  Status FitsNoRange(const Scalar& value, size_t position) const;

  Column boundaries_;
  std::vector<int64_t> int_boundaries_;  // integer and temporal levels
  std::vector<std::string> components_;  // per range
  std::unordered_map<std::string, uint32_t> range_of_component_;
};

}  // namespace strata
