// ValueScheme (VALUE): one partition per distinct value, named by the value itself (`20170807`).
// The scheme grows: rows with a value it does not hold add a partition. Values keep first-seen
// order — the scheme argument's values, then new values in the order appends first bring them —
// and a partition's id is its position, so ids never change. Needs external locking for Split;
// const methods may run concurrently.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "partition/single_level_scheme.h"
#include "partition/value_index.h"

namespace strata {

class ValueScheme final : public SingleLevelScheme {
 public:
  // Bound on the partitions (values) of one scheme.
  static constexpr size_t kValueCountMax = 10'000'000;

  // `scheme`: a vector of values (a scalar counts as one); repeated values count once.
  // InvalidArgument naming the problem (see PartitionScheme::Make).
  static Result<std::unique_ptr<PartitionScheme>> Make(const Value& scheme);
  // Reads what ToJson wrote; Corruption naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  PartitionType type() const override { return PartitionType::kValue; }
  nlohmann::json ToJson() const override;
  std::string Describe() const override;
  // The scheme's values, in partition-id order.
  const Column& values() const { return values_; }

  std::unique_ptr<SingleLevelScheme> CloneLevel() const override;
  Result<LevelIds> Locate(const Column& column, size_t position) const override;
  bool Commit(const Column& column, const LevelIds& ids) override;
  std::string ComponentName(uint32_t id) const override;
  Status CheckComponent(std::string_view component) const override;
  bool AdmitComponent(std::string_view component) override;
  void SelectComponent(const Scalar& value, ComponentSet* selected) const override;
  bool ComponentAlwaysMatches(std::string_view component,
                              const LevelPredicate& predicate) const override;
  bool ComponentMayMatch(std::string_view component,
                         const LevelPredicate& predicate) const override;

 private:
  explicit ValueScheme(Type type) : SingleLevelScheme(type), values_(type), index_(type) {}
  static Result<std::unique_ptr<ValueScheme>> FromValues(const Column& values);
  // Row `row` of a located column as a value of the level type.
  Scalar LevelValueAt(const Column& column, size_t row) const;
  // Adds a value the scheme does not hold yet.
  void Add(const Scalar& value);

  Column values_;
  ValueIndex index_;  // value → position in values_
};

}  // namespace strata
