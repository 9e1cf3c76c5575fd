#include "partition/level_paths.h"

#include <algorithm>
#include <limits>

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/row_grouping.h"
#include "partition/scheme_values.h"

namespace strata {

namespace {

// A path of the scheme's first partitions, for messages: "/20170807/0_50".
std::string ExamplePath(std::span<const SingleLevelScheme* const> levels) {
  std::string path;
  for (const SingleLevelScheme* level : levels) path += "/" + level->ComponentName(0);
  return path;
}

std::string CountLevels(size_t count) { return CountOf(count, "partition level"); }

Status CheckSplitColumns(size_t level_count, const std::vector<ColumnPtr>& columns) {
  if (columns.size() != level_count) {
    return InvalidArgument("cannot split rows by " + std::to_string(columns.size()) +
                           " partition columns for a scheme of " + CountLevels(level_count) +
                           "; pass one column per level");
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == nullptr) {
      return InvalidArgument("partition column " + std::to_string(i + 1) +
                             " is missing; pass one column per level");
    }
    if (columns[i]->size() != columns[0]->size()) {
      return InvalidArgument("partition column " + std::to_string(i + 1) + " has " +
                             std::to_string(columns[i]->size()) +
                             " rows but partition column 1 has " +
                             std::to_string(columns[0]->size()) + "; pass columns of equal length");
    }
  }
  if (!columns.empty() && columns[0]->size() > std::numeric_limits<uint32_t>::max()) {
    return InvalidArgument("cannot split " + std::to_string(columns[0]->size()) +
                           " rows in one append; append at most " +
                           std::to_string(std::numeric_limits<uint32_t>::max()) + " at a time");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<PartitionGroup>> SplitRows(std::span<SingleLevelScheme* const> levels,
                                              const std::vector<ColumnPtr>& columns,
                                              bool* scheme_changed) {
  if (scheme_changed != nullptr) *scheme_changed = false;
  RETURN_IF_ERROR(CheckSplitColumns(levels.size(), columns));
  const size_t rows = columns[0]->size();
  // Locate every level before committing any, so a rejected row changes nothing.
  std::vector<ColumnPtr> converted;
  std::vector<LevelIds> located;
  for (size_t level = 0; level < levels.size(); ++level) {
    ASSIGN_OR_RETURN(ColumnPtr column,
                     ConvertToLevelType(columns[level], levels[level]->value_type(), level + 1));
    ASSIGN_OR_RETURN(LevelIds ids, levels[level]->Locate(*column, level + 1));
    converted.push_back(std::move(column));
    located.push_back(std::move(ids));
  }
  if (rows == 0) return std::vector<PartitionGroup>();
  bool changed = false;
  for (size_t level = 0; level < levels.size(); ++level) {
    changed = levels[level]->Commit(*converted[level], located[level]) || changed;
  }
  if (scheme_changed != nullptr) *scheme_changed = changed;

  std::vector<const std::vector<uint32_t>*> level_ids;
  std::vector<uint32_t> id_counts;
  for (const LevelIds& ids : located) {
    level_ids.push_back(&ids.ids);
    id_counts.push_back(ids.id_count);
  }
  RowGroups groups = GroupRows(level_ids, id_counts, rows);

  std::vector<PartitionGroup> out(groups.rows.size());
  for (size_t group = 0; group < out.size(); ++group) {
    const uint32_t row = groups.first_rows[group];
    for (size_t level = 0; level < levels.size(); ++level) {
      out[group].path += "/" + levels[level]->ComponentName(located[level].ids[row]);
    }
    out[group].rows = std::move(groups.rows[group]);
  }
  std::sort(out.begin(), out.end(),
            [](const PartitionGroup& a, const PartitionGroup& b) { return a.path < b.path; });
  return out;
}

Status ValidateLevelPath(std::span<const SingleLevelScheme* const> levels, std::string_view path) {
  auto components = SplitPartitionPath(path);
  if (!components) {
    return InvalidArgument("partition path " + Quote(path) +
                           " is malformed: a path begins with '/' and names every level, as " +
                           Quote(ExamplePath(levels)));
  }
  if (components->size() != levels.size()) {
    return InvalidArgument("partition path " + Quote(path) + " has " +
                           CountOf(components->size(), "component") + " but the database has " +
                           CountLevels(levels.size()) + "; name every level, as " +
                           Quote(ExamplePath(levels)));
  }
  for (size_t level = 0; level < levels.size(); ++level) {
    Status status = levels[level]->CheckComponent((*components)[level]);
    if (!status.ok()) {
      return InvalidArgument("partition path " + Quote(path) + ": component " +
                             Quote((*components)[level]) + " of level " +
                             std::to_string(level + 1) + " (" + levels[level]->Describe() + ") " +
                             status.message());
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SelectLevelPaths(std::span<const SingleLevelScheme* const> levels,
                                                  const std::vector<LevelFilter>& filters,
                                                  const std::vector<std::string>& existing_paths) {
  // nullopt selects every partition of its level.
  std::vector<std::optional<ComponentSet>> selected(levels.size());
  if (filters.empty()) return InvalidArgument("a partition filter needs at least one level");
  if (levels.size() == 1 && filters.size() > 1) {
    // The union of several value lists on the one level.
    ComponentSet all;
    for (const LevelFilter& filter : filters) {
      if (!filter) {
        return InvalidArgument(
            "a partition filter has an empty element inside a tuple of values; list values, "
            "or leave the whole filter empty to select all partitions");
      }
      ASSIGN_OR_RETURN(std::optional<ComponentSet> components, levels[0]->ResolveFilter(filter, 1));
      if (components) all.merge(*components);
    }
    selected[0] = std::move(all);
  } else if (filters.size() == 1) {
    ASSIGN_OR_RETURN(selected[0], levels[0]->ResolveFilter(filters[0], 1));
  } else if (filters.size() != levels.size()) {
    return InvalidArgument("a partition filter tuple has " + std::to_string(filters.size()) +
                           " elements but the database has " + CountLevels(levels.size()) +
                           "; give one element per level, empty for all, as (, [0])");
  } else {
    for (size_t level = 0; level < levels.size(); ++level) {
      ASSIGN_OR_RETURN(selected[level], levels[level]->ResolveFilter(filters[level], level + 1));
    }
  }
  std::vector<std::string> paths;
  for (const std::string& path : existing_paths) {
    auto components = SplitPartitionPath(path);
    if (!components || components->size() != levels.size()) continue;
    bool match = true;
    for (size_t level = 0; level < levels.size() && match; ++level) {
      match = !selected[level] || selected[level]->contains((*components)[level]);
    }
    if (match) paths.push_back(path);
  }
  return paths;
}

bool LevelPathAlwaysMatches(std::span<const SingleLevelScheme* const> levels, std::string_view path,
                            size_t level, const LevelPredicate& predicate) {
  auto components = SplitPartitionPath(path);
  if (!components || components->size() != levels.size() || level >= levels.size()) return false;
  return levels[level]->ComponentAlwaysMatches((*components)[level], predicate);
}

bool LevelPathMayMatch(std::span<const SingleLevelScheme* const> levels, std::string_view path,
                       size_t level, const LevelPredicate& predicate) {
  auto components = SplitPartitionPath(path);
  if (!components || components->size() != levels.size() || level >= levels.size()) return true;
  return levels[level]->ComponentMayMatch((*components)[level], predicate);
}

}  // namespace strata
