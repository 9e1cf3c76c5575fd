// ListScheme (LIST): each partition `List<i>` (0-based) holds the rows whose value is in the
// scheme's i-th list of values; a value belongs to at most one list, and rows whose value is in
// no list are rejected. Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "partition/single_level_scheme.h"
#include "partition/value_index.h"

namespace strata {

class ListScheme final : public SingleLevelScheme {
 public:
  // Bound on the lists of one scheme.
  static constexpr size_t kListCountMax = 1'000'000;

  // `scheme`: a tuple of vectors (or scalars), one per list; or a vector, one value per list.
  // All values share one type (SYMBOL and STRING mix). InvalidArgument naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> Make(const Value& scheme);
  // Reads what ToJson wrote; Corruption naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  PartitionType type() const override { return PartitionType::kList; }
  nlohmann::json ToJson() const override;
  std::string Describe() const override;

  std::unique_ptr<SingleLevelScheme> CloneLevel() const override;
  Result<LevelIds> Locate(const Column& column, size_t position) const override;
  std::string ComponentName(uint32_t id) const override;
  Status CheckComponent(std::string_view component) const override;
  void SelectComponent(const Scalar& value, ComponentSet* selected) const override;
  bool ComponentMayMatch(std::string_view component,
                         const LevelPredicate& predicate) const override;
  // The lists, as "[[1, 2], [3]]" (the first few).
  std::string DescribeLists() const;

 private:
  explicit ListScheme(Type type) : SingleLevelScheme(type), index_(type) {}
  static Result<std::unique_ptr<ListScheme>> FromLists(std::vector<Column> lists);

  std::vector<Column> lists_;
  ValueIndex index_;  // value → list
};

}  // namespace strata
