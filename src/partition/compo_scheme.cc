#include "partition/compo_scheme.h"

#include "partition/level_paths.h"
#include "partition/path_component.h"
#include "partition/scheme_values.h"

namespace strata {

Result<std::unique_ptr<PartitionScheme>> CompoScheme::Make(
    std::vector<std::unique_ptr<PartitionScheme>> levels) {
  if (levels.size() < kLevelCountMin || levels.size() > kLevelCountMax) {
    return InvalidArgument("a COMPO scheme needs 2 or 3 levels, got " +
                           std::to_string(levels.size()) +
                           "; give a vector of 2-3 single-level database handles");
  }
  std::vector<std::unique_ptr<SingleLevelScheme>> owned;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] == nullptr) {
      return InvalidArgument("level " + std::to_string(i + 1) + " of a COMPO scheme is missing");
    }
    if (levels[i]->type() == PartitionType::kCompo) {
      return InvalidArgument("level " + std::to_string(i + 1) +
                             " of a COMPO scheme is itself COMPO; nest single-level schemes "
                             "(VALUE, RANGE, HASH, LIST) only");
    }
    // Names select first-level partitions (Doris names its RANGE/LIST level, then buckets).
    if (i > 0 && !levels[i]->partition_names().empty()) {
      return InvalidArgument("level " + std::to_string(i + 1) + " of a COMPO scheme (" +
                             levels[i]->Describe() +
                             ") has named partitions; only the first level may be named");
    }
  }
  for (std::unique_ptr<PartitionScheme>& level : levels) {
    auto* single = dynamic_cast<SingleLevelScheme*>(level.get());
    STRATA_CHECK(single != nullptr);  // every non-COMPO scheme is single-level
    level.release();
    owned.emplace_back(single);
  }
  return std::unique_ptr<PartitionScheme>(new CompoScheme(std::move(owned)));
}

Result<std::unique_ptr<PartitionScheme>> CompoScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(const nlohmann::json* version, JsonField(json, "format_version"));
  if (*version != kSchemeFormatVersion) {
    return InvalidSchemeJson(InvalidArgument("format_version is " + DumpJson(*version) +
                                             "; this build reads " +
                                             std::to_string(kSchemeFormatVersion)));
  }
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "levels"));
  if (!field->is_array()) return InvalidSchemeJson(InvalidArgument("levels is not an array"));
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  for (const nlohmann::json& level : *field) {
    ASSIGN_OR_RETURN(std::unique_ptr<PartitionScheme> scheme, PartitionScheme::FromJson(level));
    levels.push_back(std::move(scheme));
  }
  Result<std::unique_ptr<PartitionScheme>> made = Make(std::move(levels));
  if (!made.ok()) return InvalidSchemeJson(made.status());
  return made;
}

std::unique_ptr<PartitionScheme> CompoScheme::Clone() const {
  std::vector<std::unique_ptr<SingleLevelScheme>> levels;
  for (const auto& level : levels_) levels.push_back(level->CloneLevel());
  return std::unique_ptr<PartitionScheme>(new CompoScheme(std::move(levels)));
}

nlohmann::json CompoScheme::ToJson() const {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& level : levels_) levels.push_back(level->ToJson());
  return nlohmann::json{{"format_version", kSchemeFormatVersion},
                        {"type", PartitionTypeName(type())},
                        {"levels", std::move(levels)}};
}

std::string CompoScheme::Describe() const {
  std::string out = "COMPO(";
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (i > 0) out += ", ";
    out += levels_[i]->Describe();
  }
  return out + ")";
}

Type CompoScheme::level_type(size_t level) const {
  STRATA_CHECK(level < levels_.size());
  return levels_[level]->value_type();
}

Result<std::vector<PartitionGroup>> CompoScheme::Split(const std::vector<ColumnPtr>& level_columns,
                                                       bool* scheme_changed) {
  std::vector<SingleLevelScheme*> levels;
  for (const auto& level : levels_) levels.push_back(level.get());
  return SplitRows(levels, level_columns, scheme_changed);
}

Status CompoScheme::ValidatePath(std::string_view path) const {
  return ValidateLevelPath(const_levels(), path);
}

Result<bool> CompoScheme::AdmitPath(std::string_view path) {
  RETURN_IF_ERROR(ValidatePath(path));
  auto components = *SplitPartitionPath(path);
  bool changed = false;
  for (size_t level = 0; level < levels_.size(); ++level) {
    changed = levels_[level]->AdmitComponent(components[level]) || changed;
  }
  return changed;
}

Result<std::vector<std::string>> CompoScheme::SelectByFilter(
    const std::vector<LevelFilter>& filters, const std::vector<std::string>& existing_paths) const {
  return SelectLevelPaths(const_levels(), filters, existing_paths);
}

std::string CompoScheme::PartitionName(std::string_view path) const {
  auto components = SplitPartitionPath(path);
  return components ? std::string(components->front()) : std::string(path);
}

bool CompoScheme::AlwaysMatches(std::string_view path, size_t level,
                                const LevelPredicate& predicate) const {
  return LevelPathAlwaysMatches(const_levels(), path, level, predicate);
}

bool CompoScheme::MayMatch(std::string_view path, size_t level,
                           const LevelPredicate& predicate) const {
  return LevelPathMayMatch(const_levels(), path, level, predicate);
}

std::vector<const SingleLevelScheme*> CompoScheme::const_levels() const {
  std::vector<const SingleLevelScheme*> levels;
  for (const auto& level : levels_) levels.push_back(level.get());
  return levels;
}

}  // namespace strata
