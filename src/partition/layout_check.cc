#include "partition/layout_check.h"

#include <vector>

#include "partition/compo_scheme.h"
#include "partition/list_scheme.h"
#include "partition/named_partitions.h"
#include "partition/single_level_scheme.h"

namespace strata {

namespace {

std::vector<const SingleLevelScheme*> LevelsOf(const PartitionScheme& scheme) {
  std::vector<const SingleLevelScheme*> levels;
  if (const auto* compo = dynamic_cast<const CompoScheme*>(&scheme)) {
    for (size_t i = 0; i < compo->level_count(); ++i) levels.push_back(&compo->level(i));
  } else if (const auto* single = dynamic_cast<const SingleLevelScheme*>(&scheme)) {
    levels.push_back(single);
  }
  return levels;
}

// The level as a user declared it; LIST levels with their lists, since two LIST schemes of as
// many lists differ only there.
std::string DescribeLevel(const SingleLevelScheme& level) {
  std::string out = level.Describe();
  if (const auto* list = dynamic_cast<const ListScheme*>(&level))
    out += " " + list->DescribeLists();
  return out;
}

bool NamesByPosition(PartitionType type) {
  return type == PartitionType::kHash || type == PartitionType::kList;
}

// What differs between two levels of which at least one is named, as {in a, in b}; nullopt if
// they agree. A named path names its partition by name, so partitions of one name must hold the
// same values on both sides; a name only one side has is refused path by path (AdmitPath), so
// a backup taken before an ADD or DROP PARTITION still restores.
std::optional<std::pair<std::string, std::string>> NamedDifference(const SingleLevelScheme& a,
                                                                   const SingleLevelScheme& b) {
  std::vector<NamedPartition> in_a = NamedPartitionsOf(a), in_b = NamedPartitionsOf(b);
  if (in_a.empty() || in_b.empty() || a.type() != b.type() || a.value_type() != b.value_type()) {
    return std::pair(DescribeLevel(a), DescribeLevel(b));
  }
  for (const NamedPartition& mine : in_a) {
    for (const NamedPartition& theirs : in_b) {
      if (mine.name == theirs.name && !SameNamedPartition(mine, theirs)) {
        return std::pair("partition " + DescribeNamedPartition(mine),
                         "partition " + DescribeNamedPartition(theirs));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Status CheckSameLayout(const PartitionScheme& target, const std::string& target_name,
                       const PartitionScheme& source, const std::string& source_name) {
  auto differ = [&](const std::string& what, const std::string& in_target,
                    const std::string& in_source) {
    return FailedPrecondition(what + " is " + in_target + " in " + target_name + " but " +
                              in_source + " in " + source_name +
                              ": rows would land in partitions that do not hold their values");
  };
  std::vector<const SingleLevelScheme*> mine = LevelsOf(target);
  std::vector<const SingleLevelScheme*> theirs = LevelsOf(source);
  if (mine.size() != theirs.size()) {
    return differ("the partition scheme", target.Describe(), source.Describe());
  }
  for (size_t i = 0; i < mine.size(); ++i) {
    const SingleLevelScheme& a = *mine[i];
    const SingleLevelScheme& b = *theirs[i];
    std::string what = mine.size() == 1 ? std::string("the partition scheme")
                                        : "partition level " + std::to_string(i + 1);
    if (!a.partition_names().empty() || !b.partition_names().empty()) {
      auto difference = NamedDifference(a, b);
      if (difference) return differ(what, difference->first, difference->second);
      continue;
    }
    bool same = a.type() == b.type() && (!NamesByPosition(a.type()) || a.ToJson() == b.ToJson());
    if (same) continue;
    return differ(what, DescribeLevel(a), DescribeLevel(b));
  }
  return Status::Ok();
}

}  // namespace strata
