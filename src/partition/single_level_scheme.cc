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

std::optional<std::string> SingleLevelScheme::ComponentNamed(std::string_view name) const {
  if (names_.empty()) {
    if (!CheckComponent(name).ok()) return std::nullopt;
    return std::string(name);
  }
  auto found = component_of_name_.find(name);
  if (found == component_of_name_.end()) return std::nullopt;
  return found->second;
}

std::string SingleLevelScheme::PartitionName(std::string_view path) const {
  auto components = SplitPartitionPath(path);
  return components ? ComponentLabel(components->front()) : std::string(path);
}

std::string SingleLevelScheme::ComponentLabel(std::string_view component) const {
  auto found = name_of_component_.find(component);
  return found == name_of_component_.end() ? std::string(component) : found->second;
}

Status SingleLevelScheme::NamePartitions(std::vector<std::string> names) {
  const size_t count = nameable_partition_count();
  if (count == 0) {
    return InvalidArgument("the partitions of a " + Describe() +
                           " scheme cannot be named; only RANGE and LIST partitions carry names");
  }
  if (names.size() != count) {
    return InvalidArgument("the " + Describe() + " scheme has " + std::to_string(count) +
                           " partitions but " + std::to_string(names.size()) +
                           " names were given; name every partition once");
  }
  std::map<std::string, std::string, std::less<>> component_of_name, name_of_component;
  for (uint32_t id = 0; id < names.size(); ++id) {
    RETURN_IF_ERROR(CheckPartitionName(names[id]));
    std::string component = ComponentName(id);
    if (!component_of_name.emplace(names[id], component).second) {
      return InvalidArgument("partition name " + Quote(names[id]) +
                             " is given twice; give every partition a name of its own");
    }
    name_of_component.emplace(std::move(component), names[id]);
  }
  names_ = std::move(names);
  component_of_name_ = std::move(component_of_name);
  name_of_component_ = std::move(name_of_component);
  return Status::Ok();
}

void SingleLevelScheme::AddNamesToJson(nlohmann::json& json) const {
  if (!names_.empty()) json["names"] = names_;
}

Status SingleLevelScheme::ReadNamesFromJson(const nlohmann::json& json) {
  JsonFields fields(json, "partition scheme JSON");
  if (!fields.Has("names")) return Status::Ok();
  ASSIGN_OR_RETURN(std::vector<std::string> names, fields.Strings("names"));
  Status named = NamePartitions(std::move(names));
  return named.ok() ? named : InvalidSchemeJson(named);
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
