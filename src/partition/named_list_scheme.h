// NamedListScheme (LIST, named): each partition holds the rows whose value is in its list (Doris's
// `PARTITION p_cn VALUES IN ("Beijing", "Shanghai")`). A partition's path component is its
// name, so dropping one list never renames the others. A value belongs to at most one list;
// rows that are NULL or in no list are rejected. Immutable after construction; thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "partition/named_partitions.h"
#include "partition/single_level_scheme.h"
#include "partition/value_index.h"

namespace strata {

class NamedListScheme final : public SingleLevelScheme {
 public:
  // `lists` in partition order, every value of `type` (see MakeNamedLists, which converts
  // values); InvalidArgument naming the problem.
  static Result<std::unique_ptr<NamedListScheme>> Make(Type type, std::vector<NamedList> lists);
  // Reads what ToJson wrote (a LIST scheme JSON with "partitions"); Corruption naming the
  // problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  // The lists, in partition id order.
  const std::vector<NamedList>& lists() const { return lists_; }

  PartitionType type() const override { return PartitionType::kList; }
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

 private:
  explicit NamedListScheme(Type type) : SingleLevelScheme(type), index_(type) {}
  // "[p_cn ('Beijing', 'Shanghai'), p_jp ('Tokyo')]" (the first few), for messages.
  std::string DescribeLists() const;

  std::vector<NamedList> lists_;
  std::vector<std::string> names_;  // per list
  ValueIndex index_;                // value → list
  std::unordered_map<std::string, uint32_t> list_of_name_;
};

}  // namespace strata
