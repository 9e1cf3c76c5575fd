#include "partition/layout_check.h"

#include <vector>

#include "partition/compo_scheme.h"
#include "partition/list_scheme.h"
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
    bool same = a.type() == b.type() && (!NamesByPosition(a.type()) || a.ToJson() == b.ToJson());
    if (same) continue;
    std::string what = mine.size() == 1 ? std::string("the partition scheme")
                                        : "partition level " + std::to_string(i + 1);
    return differ(what, DescribeLevel(a), DescribeLevel(b));
  }
  return Status::Ok();
}

}  // namespace strata
