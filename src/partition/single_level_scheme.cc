#include "partition/single_level_scheme.h"

#include "base/json_fields.h"
#include "base/strings.h"
#include "partition/level_paths.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/scheme_values.h"

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
    const std::vector<LevelFilter>& filters, const std::vector<std::string>& existing_paths) const {
  const SingleLevelScheme* self = this;
  return SelectLevelPaths({&self, 1}, filters, existing_paths);
}

// A named partition's component is its name, and an unnamed level answers to its components,
// so a name is the component it equals, whichever the level.
std::optional<std::string> SingleLevelScheme::ComponentNamed(std::string_view name) const {
  if (!CheckComponent(name).ok()) return std::nullopt;
  return std::string(name);
}

std::string SingleLevelScheme::PartitionName(std::string_view path) const {
  auto components = SplitPartitionPath(path);
  return components ? std::string(components->front()) : std::string(path);
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

Result<std::optional<ComponentSet>> SingleLevelScheme::ResolveFilter(const LevelFilter& filter,
                                                                     size_t position) const {
  if (!filter) return std::optional<ComponentSet>();
  ComponentSet selected;
  for (const Scalar& value : *filter) RETURN_IF_ERROR(AddFilterValue(value, position, &selected));
  return std::optional<ComponentSet>(std::move(selected));
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
