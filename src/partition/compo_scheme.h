// CompoScheme (COMPO): 2–3 single-level schemes nested in order; a partition is one partition of
// each level, and its path names them all (`/20170807/0_50`). Filters are tuples with one element
// per level. Needs external locking for Split (VALUE levels grow); const methods may run
// concurrently.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "partition/single_level_scheme.h"

namespace strata {

class CompoScheme final : public PartitionScheme {
 public:
  static constexpr size_t kLevelCountMin = 2;
  static constexpr size_t kLevelCountMax = 3;

  // Takes ownership of 2–3 single-level schemes; InvalidArgument for a missing level, a COMPO
  // level, a named level after the first, or a wrong level count.
  static Result<std::unique_ptr<PartitionScheme>> Make(
      std::vector<std::unique_ptr<PartitionScheme>> levels);
  // Reads what ToJson wrote; Corruption naming the problem.
  static Result<std::unique_ptr<PartitionScheme>> FromJson(const nlohmann::json& json);

  PartitionType type() const override { return PartitionType::kCompo; }
  std::unique_ptr<PartitionScheme> Clone() const override;
  nlohmann::json ToJson() const override;
  std::string Describe() const override;
  size_t level_count() const override { return levels_.size(); }
  Type level_type(size_t level) const override;
  Result<std::vector<PartitionGroup>> Split(const std::vector<ColumnPtr>& level_columns,
                                            bool* scheme_changed) override;
  Status ValidatePath(std::string_view path) const override;
  Result<bool> AdmitPath(std::string_view path) override;
  Result<std::vector<std::string>> SelectByFilter(
      const std::vector<LevelFilter>& filters,
      const std::vector<std::string>& existing_paths) const override;
  std::optional<std::string> ComponentNamed(std::string_view name) const override {
    return levels_[0]->ComponentNamed(name);
  }
  std::string PartitionName(std::string_view path) const override;
  std::vector<std::string> partition_names() const override {
    return levels_[0]->partition_names();
  }
  bool MayMatch(std::string_view path, size_t level,
                const LevelPredicate& predicate) const override;
  bool AlwaysMatches(std::string_view path, size_t level,
                     const LevelPredicate& predicate) const override;

  const SingleLevelScheme& level(size_t level) const { return *levels_[level]; }

 private:
  explicit CompoScheme(std::vector<std::unique_ptr<SingleLevelScheme>> levels)
      : levels_(std::move(levels)) {}
  std::vector<const SingleLevelScheme*> const_levels() const;

  std::vector<std::unique_ptr<SingleLevelScheme>> levels_;
};

}  // namespace strata
