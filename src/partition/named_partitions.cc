#include "partition/named_partitions.h"

#include <algorithm>

#include "base/strings.h"
#include "partition/compo_scheme.h"
#include "partition/level_types.h"
#include "partition/named_list_scheme.h"
#include "partition/named_range_scheme.h"
#include "partition/path_component.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr size_t kNamesShownMax = 8;

bool IsPartitionInteger(Type type) { return IsIntegral(type) && type != Type::kBool; }

// `value` as a value of `type`, when it converts exactly; `what` names it in messages.
Result<Scalar> ToNamedValue(const Scalar& value, Type type, const std::string& what) {
  if (value.is_null()) {
    return InvalidArgument(what + " is NULL; NULL cannot be partitioned, give a value");
  }
  const Type from = value.type();
  if (from == type) return value;
  if (IsStringLike(from) && IsStringLike(type)) return Scalar::String(type, value.string_value());
  if (IsPartitionInteger(from) && IsPartitionInteger(type)) {
    const int64_t v = value.int_value();
    if (v > NullInt64Of(type) && v <= -(NullInt64Of(type) + 1)) return Scalar::Int(type, v);
    return InvalidArgument(what + " " + DescribeValue(value) + " is out of the range of " +
                           TypeName(type) + "; give a value that fits");
  }
  if (TemporalConvertible(from, type)) {
    std::optional<int64_t> converted = ConvertTemporal(from, value.int_value(), type);
    if (converted && ConvertTemporal(type, *converted, from) == value.int_value()) {
      return Scalar::Int(type, *converted);
    }
  }
  return InvalidArgument(what + " " + DescribeValue(value) + " (" + TypeName(from) + ") is not a " +
                         TypeName(type) + " value; give " + TypeName(type) + " values");
}

Result<NamedRange> ConvertRange(NamedRange range, Type type) {
  const std::string what = "partition " + Quote(range.name);
  if (range.low) {
    ASSIGN_OR_RETURN(range.low, ToNamedValue(*range.low, type, "the lower bound of " + what));
  }
  if (range.high) {
    ASSIGN_OR_RETURN(range.high, ToNamedValue(*range.high, type, "the upper bound of " + what));
  }
  return range;
}

Result<NamedList> ConvertList(NamedList list, Type type) {
  for (Scalar& value : list.values) {
    ASSIGN_OR_RETURN(value, ToNamedValue(value, type, "a value of partition " + Quote(list.name)));
  }
  return list;
}

// The first level of `scheme`, or nullptr for a scheme that is not one of ours.
const SingleLevelScheme* FirstLevel(const PartitionScheme& scheme) {
  if (const auto* compo = dynamic_cast<const CompoScheme*>(&scheme)) return &compo->level(0);
  return dynamic_cast<const SingleLevelScheme*>(&scheme);
}

// `scheme` with its first level replaced by `level`.
Result<std::unique_ptr<PartitionScheme>> WithFirstLevel(const PartitionScheme& scheme,
                                                        std::unique_ptr<SingleLevelScheme> level) {
  const auto* compo = dynamic_cast<const CompoScheme*>(&scheme);
  if (compo == nullptr) return std::unique_ptr<PartitionScheme>(std::move(level));
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(std::move(level));
  for (size_t i = 1; i < compo->level_count(); ++i) levels.push_back(compo->level(i).CloneLevel());
  return CompoScheme::Make(std::move(levels));
}

Status NotNamed(const PartitionScheme& scheme, const std::string& action, const char* kind) {
  return InvalidArgument("cannot " + action + ": the table is partitioned by " + scheme.Describe() +
                         ", not by named " + kind + " partitions; only a table made with named " +
                         kind + " partitions takes that change");
}

Status NameTaken(const std::string& name) {
  return AlreadyExists("partition " + Quote(name) +
                       " already exists; choose another name, or drop it first");
}

bool HasName(const std::vector<std::string>& names, const std::string& name) {
  const std::string lower = ToLower(name);
  for (const std::string& existing : names) {
    if (ToLower(existing) == lower) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<PartitionScheme>> MakeNamedRanges(Type type,
                                                         std::vector<NamedRange> ranges) {
  RETURN_IF_ERROR(CheckNamedValueType(type, PartitionType::kRange));
  for (NamedRange& range : ranges) {
    ASSIGN_OR_RETURN(range, ConvertRange(std::move(range), type));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<NamedRangeScheme> made,
                   NamedRangeScheme::Make(type, std::move(ranges)));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> MakeNamedLists(Type type, std::vector<NamedList> lists) {
  RETURN_IF_ERROR(CheckNamedValueType(type, PartitionType::kList));
  for (NamedList& list : lists) {
    ASSIGN_OR_RETURN(list, ConvertList(std::move(list), type));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<NamedListScheme> made,
                   NamedListScheme::Make(type, std::move(lists)));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> AddNamedRange(const PartitionScheme& scheme,
                                                       NamedRange range) {
  const auto* level = dynamic_cast<const NamedRangeScheme*>(FirstLevel(scheme));
  if (level == nullptr) return NotNamed(scheme, "add partition " + Quote(range.name), "RANGE");
  if (HasName(level->partition_names(), range.name)) return NameTaken(range.name);
  std::vector<NamedRange> ranges = level->ranges();
  ASSIGN_OR_RETURN(NamedRange converted, ConvertRange(std::move(range), level->value_type()));
  ranges.push_back(std::move(converted));
  ASSIGN_OR_RETURN(std::unique_ptr<NamedRangeScheme> made,
                   NamedRangeScheme::Make(level->value_type(), std::move(ranges)));
  return WithFirstLevel(scheme, std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> AddNamedList(const PartitionScheme& scheme,
                                                      NamedList list) {
  const auto* level = dynamic_cast<const NamedListScheme*>(FirstLevel(scheme));
  if (level == nullptr) return NotNamed(scheme, "add partition " + Quote(list.name), "LIST");
  if (HasName(level->partition_names(), list.name)) return NameTaken(list.name);
  std::vector<NamedList> lists = level->lists();
  ASSIGN_OR_RETURN(NamedList converted, ConvertList(std::move(list), level->value_type()));
  lists.push_back(std::move(converted));
  ASSIGN_OR_RETURN(std::unique_ptr<NamedListScheme> made,
                   NamedListScheme::Make(level->value_type(), std::move(lists)));
  return WithFirstLevel(scheme, std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> DropNamedPartition(const PartitionScheme& scheme,
                                                            std::string_view name) {
  const SingleLevelScheme* level = FirstLevel(scheme);
  const auto* ranges = dynamic_cast<const NamedRangeScheme*>(level);
  const auto* lists = dynamic_cast<const NamedListScheme*>(level);
  if (ranges == nullptr && lists == nullptr) {
    return NotNamed(scheme, "drop partition " + Quote(name), "RANGE or LIST");
  }
  std::vector<std::string> names = level->partition_names();
  auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) {
    if (names.size() > kNamesShownMax) {
      names.resize(kNamesShownMax);
      names.push_back("...");
    }
    return NotFound("partition " + Quote(name) + " does not exist; the partitions are " +
                    Join(names, ", "));
  }
  if (names.size() == 1) {
    return InvalidArgument("cannot drop partition " + Quote(name) +
                           ", the only one: a partitioned table keeps at least one partition; "
                           "drop the table instead");
  }
  const size_t index = static_cast<size_t>(found - names.begin());
  std::unique_ptr<SingleLevelScheme> made;
  if (ranges != nullptr) {
    std::vector<NamedRange> kept = ranges->ranges();
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(index));
    ASSIGN_OR_RETURN(made, NamedRangeScheme::Make(ranges->value_type(), std::move(kept)));
  } else {
    std::vector<NamedList> kept = lists->lists();
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(index));
    ASSIGN_OR_RETURN(made, NamedListScheme::Make(lists->value_type(), std::move(kept)));
  }
  return WithFirstLevel(scheme, std::move(made));
}

std::string DescribeNamedPartition(const NamedPartition& partition) {
  if (partition.type == PartitionType::kRange) {
    return DescribeNamedRange(NamedRange{partition.name, partition.low, partition.high});
  }
  std::vector<std::string> values;
  for (const Scalar& value : partition.values) values.push_back(DescribeValue(value));
  return partition.name + " (" + Join(values, ", ") + ")";
}

bool SameNamedPartition(const NamedPartition& a, const NamedPartition& b) {
  if (a.name != b.name || a.type != b.type || a.low != b.low || a.high != b.high) return false;
  std::vector<Scalar> a_values = a.values, b_values = b.values;
  std::sort(a_values.begin(), a_values.end());
  std::sort(b_values.begin(), b_values.end());
  return a_values == b_values;
}

std::vector<NamedPartition> NamedPartitionsOf(const PartitionScheme& scheme) {
  const SingleLevelScheme* level = FirstLevel(scheme);
  std::vector<NamedPartition> out;
  if (const auto* ranges = dynamic_cast<const NamedRangeScheme*>(level)) {
    for (const NamedRange& range : ranges->ranges()) {
      out.push_back(NamedPartition{.name = range.name,
                                   .type = PartitionType::kRange,
                                   .low = range.low,
                                   .high = range.high,
                                   .values = {}});
    }
  } else if (const auto* lists = dynamic_cast<const NamedListScheme*>(level)) {
    for (const NamedList& list : lists->lists()) {
      out.push_back(NamedPartition{.name = list.name,
                                   .type = PartitionType::kList,
                                   .low = std::nullopt,
                                   .high = std::nullopt,
                                   .values = list.values});
    }
  }
  return out;
}

}  // namespace strata
