// SingleLevelScheme: the base of the one-level schemes (VALUE, RANGE, HASH, LIST). A subclass
// describes its level — which partition each row belongs to, how partitions are named, which a
// filter value selects, which a predicate may match — and this class turns that into the
// PartitionScheme interface. CompoScheme composes the same level interface over 2–3 levels.
// Same threading contract as PartitionScheme.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "partition/partition_scheme.h"

namespace strata {

// Path components of one level, ordered; lookups by string_view.
using ComponentSet = std::set<std::string, std::less<>>;

// The partition of every row of one level, as SingleLevelScheme::Locate computes it.
struct LevelIds {
  std::vector<uint32_t> ids;  // per row, each < id_count
  uint32_t id_count = 0;      // the number of partitions of the level once committed
  // VALUE only: the first row of each value the scheme does not hold yet, in id order.
  std::vector<uint32_t> new_value_rows;
};

class SingleLevelScheme : public PartitionScheme {
 public:
  size_t level_count() const final { return 1; }
  Type level_type(size_t level) const final;
  std::unique_ptr<PartitionScheme> Clone() const final { return CloneLevel(); }
  Result<std::vector<PartitionGroup>> Split(const std::vector<ColumnPtr>& level_columns,
                                            bool* scheme_changed) final;
  Status ValidatePath(std::string_view path) const final;
  Result<bool> AdmitPath(std::string_view path) final;
  Result<std::vector<std::string>> SelectByFilter(
      const std::vector<LevelFilter>& filters,
      const std::vector<std::string>& existing_paths) const final;
  std::optional<std::string> ComponentNamed(std::string_view name) const final;
  std::string PartitionName(std::string_view path) const final;
  // Empty; the named levels (NamedRangeScheme, NamedListScheme) override it.
  std::vector<std::string> partition_names() const override { return {}; }
  bool MayMatch(std::string_view path, size_t level, const LevelPredicate& predicate) const final;
  bool AlwaysMatches(std::string_view path, size_t level,
                     const LevelPredicate& predicate) const final;

  // ---- The level interface. `position` is the level's 1-based number, for messages.

  // The type of the level's values.
  Type value_type() const { return value_type_; }
  virtual std::unique_ptr<SingleLevelScheme> CloneLevel() const = 0;

  // Assigns every row of `column` (of value_type(); SYMBOL and STRING are interchangeable) a
  // partition id, without changing the scheme. InvalidArgument naming the value and the column
  // when a row is NULL or fits no partition.
  virtual Result<LevelIds> Locate(const Column& column, size_t position) const = 0;
  // Applies what Locate staged for the same `column`; returns true if the scheme changed (VALUE
  // adds its new values). The default does nothing.
  virtual bool Commit(const Column& column, const LevelIds& ids);
  // The path component of partition `id` (< the id_count of a committed Locate).
  virtual std::string ComponentName(uint32_t id) const = 0;
  // OK if `component` names a partition of this level; else InvalidArgument saying why, as
  // "<what is wrong>; <what this level expects>" without naming the path.
  virtual Status CheckComponent(std::string_view component) const = 0;
  // Makes the valid `component` a partition of this level; true if the level changed. Only
  // VALUE levels change (they add the value); the default changes nothing.
  virtual bool AdmitComponent(std::string_view /*component*/) { return false; }
  // Adds to `selected` the component of the partition that holds the non-NULL `value` (of
  // value_type()); adds nothing when no partition can hold it.
  virtual void SelectComponent(const Scalar& value, ComponentSet* selected) const = 0;
  // Pruning of the partition named `component`; see PartitionScheme::MayMatch.
  virtual bool ComponentMayMatch(std::string_view component,
                                 const LevelPredicate& predicate) const = 0;
  // See PartitionScheme::AlwaysMatches; false unless a level knows better.
  virtual bool ComponentAlwaysMatches(std::string_view /*component*/,
                                      const LevelPredicate& /*predicate*/) const {
    return false;
  }

  // This level's part of a filter: nullopt (all partitions) for an all-filter; otherwise the
  // components of the partitions that hold its values. InvalidArgument naming a value whose
  // type does not fit the level.
  Result<std::optional<ComponentSet>> ResolveFilter(const LevelFilter& filter,
                                                    size_t position) const;

 protected:
  explicit SingleLevelScheme(Type value_type) : value_type_(value_type) {}

 private:
  Status AddFilterValue(const Scalar& value, size_t position, ComponentSet* selected) const;

  Type value_type_;
};

}  // namespace strata
