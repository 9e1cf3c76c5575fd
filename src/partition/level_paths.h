// The operations every scheme performs over its levels (one for a single-level scheme, 2–3 for
// COMPO): splitting appended rows into partitions, checking paths, resolving filters and pruning.
// SingleLevelScheme and CompoScheme both delegate here, so one-level and multi-level schemes
// behave alike. Stateless functions; the threading contract is the schemes'.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "partition/single_level_scheme.h"

namespace strata {

// PartitionScheme::Split over `levels`: converts each column to its level's type, locates every
// level (failing before any change), commits, then groups rows by their combination of
// partitions, in ascending path order.
Result<std::vector<PartitionGroup>> SplitRows(std::span<SingleLevelScheme* const> levels,
                                              const std::vector<ColumnPtr>& columns,
                                              bool* scheme_changed);

// PartitionScheme::ValidatePath over `levels`.
Status ValidateLevelPath(std::span<const SingleLevelScheme* const> levels, std::string_view path);

// PartitionScheme::SelectByFilter over `levels`.
Result<std::vector<std::string>> SelectLevelPaths(std::span<const SingleLevelScheme* const> levels,
                                                  const std::vector<LevelFilter>& filters,
                                                  const std::vector<std::string>& existing_paths);

// PartitionScheme::MayMatch over `levels`: true for malformed paths and unknown levels.
bool LevelPathMayMatch(std::span<const SingleLevelScheme* const> levels, std::string_view path,
                       size_t level, const LevelPredicate& predicate);

// PartitionScheme::AlwaysMatches over `levels`: false for malformed paths and unknown levels.
bool LevelPathAlwaysMatches(std::span<const SingleLevelScheme* const> levels, std::string_view path,
                            size_t level, const LevelPredicate& predicate);

}  // namespace strata
