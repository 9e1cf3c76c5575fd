#include "partition/single_level_scheme.h"

#include "partition/level_paths.h"
#include "partition/level_types.h"
#include "partition/path_component.h"

namespace strata {

Type SingleLevelScheme::level_type(size_t level) const {
  STRATA_CHECK(level == 0);
  return value_type_;
}

Result<std::vector<PartitionGroup>> SingleLevelScheme::Split(
    const std::vector<ColumnPtr>& level_columns, bool* scheme_changed) {
  SingleLevelScheme* self = this;
  return SplitRows({&self, 1}, level_columns, scheme_changed);
}

Status SingleLevelScheme::ValidatePath(std::string_view path) const {
  const SingleLevelScheme* self = this;
  return ValidateLevelPath({&self, 1}, path);
}

Result<bool> SingleLevelScheme::AdmitPath(std::string_view path) {
  RETURN_IF_ERROR(ValidatePath(path));
  return AdmitComponent((*SplitPartitionPath(path))[0]);
}

Result<std::vector<std::string>> SingleLevelScheme::SelectByFilter(
    const Value& filter, const std::vector<std::string>& existing_paths) const {
  const SingleLevelScheme* self = this;
  return SelectLevelPaths({&self, 1}, filter, existing_paths);
}

bool SingleLevelScheme::MayMatch(std::string_view path, size_t level,
                                 const LevelPredicate& predicate) const {
  const SingleLevelScheme* self = this;
  return LevelPathMayMatch({&self, 1}, path, level, predicate);
}

bool SingleLevelScheme::AlwaysMatches(std::string_view path, size_t level,
                                      const LevelPredicate& predicate) const {
  const SingleLevelScheme* self = this;
  return LevelPathAlwaysMatches({&self, 1}, path, level, predicate);
}

bool SingleLevelScheme::Commit(const Column& /*column*/, const LevelIds& /*ids*/) { return false; }

Result<std::optional<ComponentSet>> SingleLevelScheme::ResolveFilter(const Value& filter,
                                                                     size_t position) const {
  if (filter.is_void()) return std::optional<ComponentSet>();
  ComponentSet selected;
  RETURN_IF_ERROR(AddFilterValues(filter, position, &selected));
  return std::optional<ComponentSet>(std::move(selected));
}

Status SingleLevelScheme::AddFilterValues(const Value& filter, size_t position,
                                          ComponentSet* selected) const {
  if (filter.is_scalar() && !filter.is_void()) {
    return AddFilterValue(filter.scalar(), position, selected);
  }
  if (filter.is_vector() || filter.is_pair()) {
    const Column& column = *filter.column();
    for (size_t i = 0; i < column.size(); ++i) {
      RETURN_IF_ERROR(AddFilterValue(column.Get(i), position, selected));
    }
    return Status::Ok();
  }
  if (filter.is_tuple()) {
    for (const Value& element : filter.tuple()) {
      if (element.is_void()) {
        return InvalidArgument("the filter of partition level " + std::to_string(position) +
                               " has an empty element inside a tuple; list values, or leave "
                               "the level's whole filter empty to select all its partitions");
      }
      RETURN_IF_ERROR(AddFilterValues(element, position, selected));
    }
    return Status::Ok();
  }
  return InvalidArgument("a " + filter.Describe() + " cannot select partitions of level " +
                         std::to_string(position) + " (" + Describe() +
                         "); give a scalar, a vector or a tuple of values");
}

Status SingleLevelScheme::AddFilterValue(const Scalar& value, size_t position,
                                         ComponentSet* selected) const {
  std::optional<Scalar> level_value = ToLevelValue(value, value_type_);
  if (!level_value) {
    return InvalidArgument("filter value " + DescribeValue(value) + " (" + TypeName(value.type()) +
                           ") cannot select a partition of level " + std::to_string(position) +
                           " (" + Describe() + "); give " + TypeName(value_type_) + " values");
  }
  // No partition holds NULL, so a NULL selects nothing.
  if (!level_value->is_null()) SelectComponent(*level_value, selected);
  return Status::Ok();
}

}  // namespace strata
