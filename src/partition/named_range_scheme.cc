#include "partition/named_range_scheme.h"

#include <algorithm>
#include <numeric>
#include <type_traits>

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"

namespace strata {

namespace {

constexpr size_t kRangesShownMax = 4;

// The least and greatest non-NULL level values of `type` (NULL is the storage's minimum).
int64_t LeastValue(Type type) { return NullInt64Of(type) + 1; }
int64_t GreatestValue(Type type) { return -(NullInt64Of(type) + 1); }

Status CheckBound(const NamedRange& range, const std::optional<Scalar>& bound, Type type,
                  const char* which) {
  if (!bound) return Status::Ok();
  if (bound->is_null()) {
    return InvalidArgument("the " + std::string(which) + " bound of partition " +
                           Quote(range.name) +
                           " is NULL; give a value, or leave it unbounded (MAXVALUE)");
  }
  if (bound->type() != type) {
    return InvalidArgument("the " + std::string(which) + " bound " + DescribeValue(*bound) +
                           " of partition " + Quote(range.name) + " is " + TypeName(bound->type()) +
                           ", not " + TypeName(type) + "; give " + TypeName(type) + " bounds");
  }
  Status nameable = CheckNameable(*bound);
  if (!nameable.ok()) {
    return InvalidArgument("partition " + Quote(range.name) + ": " + nameable.message());
  }
  return Status::Ok();
}

nlohmann::json BoundToJson(const std::optional<Scalar>& bound) {
  if (!bound) return nullptr;
  Column one(bound->type());
  one.Append(*bound);
  return ValuesToJson(one)[0];
}

Result<std::optional<Scalar>> BoundFromJson(const nlohmann::json& partition, const char* key,
                                            Type type) {
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(partition, key));
  if (field->is_null()) return std::optional<Scalar>();
  ASSIGN_OR_RETURN(Column one, ValuesFromJson(nlohmann::json::array({*field}), type,
                                              "partitions." + std::string(key)));
  return std::optional<Scalar>(one.Get(0));
}

}  // namespace

std::string DescribeNamedRange(const NamedRange& range) {
  return range.name + " [" + (range.low ? DescribeValue(*range.low) : std::string("MINVALUE")) +
         ", " + (range.high ? DescribeValue(*range.high) : std::string("MAXVALUE")) + ")";
}

Result<std::unique_ptr<NamedRangeScheme>> NamedRangeScheme::Make(Type type,
                                                                 std::vector<NamedRange> ranges) {
  if (ranges.empty() || ranges.size() > kNamedPartitionCountMax) {
    return InvalidArgument("a table partitioned by RANGE needs 1 to " +
                           std::to_string(kNamedPartitionCountMax) + " partitions, got " +
                           std::to_string(ranges.size()));
  }
  RETURN_IF_ERROR(CheckNamedValueType(type, PartitionType::kRange));
  std::vector<std::string> names;
  for (const NamedRange& range : ranges) {
    RETURN_IF_ERROR(CheckBound(range, range.low, type, "lower"));
    RETURN_IF_ERROR(CheckBound(range, range.high, type, "upper"));
    if (range.low && range.high && !(range.low->int_value() < range.high->int_value())) {
      return InvalidArgument("partition " + DescribeNamedRange(range) +
                             " is empty: its lower bound must be below its upper bound");
    }
    names.push_back(range.name);
  }
  RETURN_IF_ERROR(CheckPartitionNames(names));
  // Sort by low bound (unbounded first), remembering the given order for messages.
  auto low_of = [&](size_t i) {
    return ranges[i].low ? ranges[i].low->int_value() : LeastValue(type) - 1;
  };
  std::vector<size_t> order(ranges.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return low_of(a) < low_of(b); });
  for (size_t k = 1; k < order.size(); ++k) {
    const NamedRange& before = ranges[order[k - 1]];
    const NamedRange& after = ranges[order[k]];
    // Sorted by low, two ranges overlap only if the earlier one reaches past the later's low.
    if (!before.high || !after.low || after.low->int_value() < before.high->int_value()) {
      const bool after_given_later = order[k] > order[k - 1];
      const NamedRange& later = after_given_later ? after : before;
      const NamedRange& earlier = after_given_later ? before : after;
      return InvalidArgument("partition " + DescribeNamedRange(later) + " overlaps partition " +
                             DescribeNamedRange(earlier) +
                             "; ranges may not overlap, change the bounds or drop one");
    }
  }
  std::vector<NamedRange> sorted;
  for (size_t i : order) sorted.push_back(std::move(ranges[i]));
  return std::unique_ptr<NamedRangeScheme>(new NamedRangeScheme(type, std::move(sorted)));
}

NamedRangeScheme::NamedRangeScheme(Type type, std::vector<NamedRange> sorted_ranges)
    : SingleLevelScheme(type), ranges_(std::move(sorted_ranges)) {
  for (uint32_t i = 0; i < ranges_.size(); ++i) {
    const NamedRange& range = ranges_[i];
    names_.push_back(range.name);
    lows_.push_back(range.low ? range.low->int_value() : LeastValue(type));
    // high > low >= the least value, so high - 1 cannot overflow.
    highs_.push_back(range.high ? range.high->int_value() - 1 : GreatestValue(type));
    range_of_name_.emplace(range.name, i);
  }
}

Result<std::unique_ptr<PartitionScheme>> NamedRangeScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kRange, SchemeNaming::kNamed));
  RETURN_IF_ERROR(RejectUnnamedMembers(json));
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "partitions"));
  if (!field->is_array()) return InvalidSchemeJson(InvalidArgument("partitions is not an array"));
  std::vector<NamedRange> ranges;
  for (const nlohmann::json& partition : *field) {
    ASSIGN_OR_RETURN(const nlohmann::json* name, JsonField(partition, "name"));
    if (!name->is_string()) {
      return InvalidSchemeJson(InvalidArgument("a partition name is not a string"));
    }
    NamedRange range{.name = name->get<std::string>()};
    ASSIGN_OR_RETURN(range.low, BoundFromJson(partition, "low", type));
    ASSIGN_OR_RETURN(range.high, BoundFromJson(partition, "high", type));
    ranges.push_back(std::move(range));
  }
  Result<std::unique_ptr<NamedRangeScheme>> made = Make(type, std::move(ranges));
  if (!made.ok()) return InvalidSchemeJson(made.status());
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

nlohmann::json NamedRangeScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  nlohmann::json partitions = nlohmann::json::array();
  for (const NamedRange& range : ranges_) {
    partitions.push_back(nlohmann::json{
        {"name", range.name}, {"low", BoundToJson(range.low)}, {"high", BoundToJson(range.high)}});
  }
  json["partitions"] = std::move(partitions);
  return json;
}

std::string NamedRangeScheme::Describe() const {
  return std::string("RANGE ") + TypeName(value_type()) + " " +
         CountOf(ranges_.size(), "named range");
}

std::unique_ptr<SingleLevelScheme> NamedRangeScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new NamedRangeScheme(*this));
}

std::optional<uint32_t> NamedRangeScheme::FindRange(int64_t v) const {
  auto upper = std::upper_bound(lows_.begin(), lows_.end(), v);
  if (upper == lows_.begin()) return std::nullopt;
  const auto range = static_cast<uint32_t>(upper - lows_.begin() - 1);
  if (v > highs_[range]) return std::nullopt;
  return range;
}

Status NamedRangeScheme::FitsNoRange(const Scalar& value, size_t position) const {
  std::string shown;
  for (size_t i = 0; i < ranges_.size() && i < kRangesShownMax; ++i) {
    shown += (i > 0 ? ", " : "") + DescribeNamedRange(ranges_[i]);
  }
  if (ranges_.size() > kRangesShownMax) shown += ", ...";
  return InvalidArgument("value " + DescribeValue(value) + " of partition column " +
                         std::to_string(position) + " fits no partition of RANGE scheme (" + shown +
                         "); add a partition that covers it")
      .WithRemedy({RemedyKind::kAddPartition, {}});
}

template <typename T>
Status NamedRangeScheme::LocateValues(const std::vector<T>& values, size_t position,
                                      std::vector<uint32_t>* ids) const {
  for (size_t row = 0; row < values.size(); ++row) {
    // NULL is the storage's minimum: reject it before it can look like a value of an
    // unbounded-below range.
    if (IsNullValue(values[row])) return NullPartitionValue(position, row);
    std::optional<uint32_t> range = FindRange(values[row]);
    if (!range) return FitsNoRange(Scalar::Int(value_type(), values[row]), position);
    (*ids)[row] = *range;
  }
  return Status::Ok();
}

Result<LevelIds> NamedRangeScheme::Locate(const Column& column, size_t position) const {
  LevelIds out;
  out.ids.resize(column.size());
  out.id_count = static_cast<uint32_t>(ranges_.size());
  Status status;
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_integral_v<T>) {
          status = LocateValues(values, position, &out.ids);
        } else {
          STRATA_CHECK(false);  // ConvertToLevelType gives integer storage for these levels
        }
      },
      column.data());
  RETURN_IF_ERROR(status);
  return out;
}

Status NamedRangeScheme::CheckComponent(std::string_view component) const {
  if (range_of_name_.contains(std::string(component))) return Status::Ok();
  std::vector<std::string> shown(names_.begin(),
                                 names_.begin() + std::min(names_.size(), kRangesShownMax));
  if (names_.size() > kRangesShownMax) shown.push_back("...");
  return InvalidArgument("is not a partition of the scheme; its partitions are " +
                         Join(shown, ", "));
}

void NamedRangeScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  // Filter values are not range-checked: a value beyond the type selects nothing.
  const int64_t v = value.int_value();
  if (value.is_null() || v < LeastValue(value_type()) || v > GreatestValue(value_type())) return;
  if (std::optional<uint32_t> range = FindRange(v)) selected->insert(names_[*range]);
}

bool NamedRangeScheme::ComponentMayMatch(std::string_view component,
                                         const LevelPredicate& predicate) const {
  auto it = range_of_name_.find(std::string(component));
  if (it == range_of_name_.end()) return true;
  return IntervalMayMatch(value_type(), lows_[it->second], highs_[it->second], predicate);
}

bool NamedRangeScheme::ComponentAlwaysMatches(std::string_view component,
                                              const LevelPredicate& predicate) const {
  auto it = range_of_name_.find(std::string(component));
  if (it == range_of_name_.end()) return false;
  return IntervalAlwaysMatches(value_type(), lows_[it->second], highs_[it->second], predicate);
}

}  // namespace strata
