#include "partition/range_scheme.h"

#include <algorithm>
#include <type_traits>

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"

namespace strata {

Result<std::unique_ptr<PartitionScheme>> RangeScheme::Make(const Value& scheme) {
  ASSIGN_OR_RETURN(Column boundaries, SchemeValuesFromArg(scheme, PartitionType::kRange));
  ASSIGN_OR_RETURN(std::unique_ptr<RangeScheme> made, FromBoundaries(boundaries));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> RangeScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kRange));
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "boundaries"));
  ASSIGN_OR_RETURN(Column boundaries, ValuesFromJson(*field, type, "boundaries"));
  Result<std::unique_ptr<RangeScheme>> made = FromBoundaries(boundaries);
  if (!made.ok()) return InvalidSchemeJson(made.status());
  RETURN_IF_ERROR(RejectLegacyNames(json));
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

Result<std::unique_ptr<RangeScheme>> RangeScheme::FromBoundaries(const Column& boundaries) {
  if (boundaries.size() < 2 || boundaries.size() > kBoundaryCountMax) {
    return InvalidArgument("a RANGE scheme needs 2 to " + std::to_string(kBoundaryCountMax) +
                           " boundaries, got " + std::to_string(boundaries.size()) +
                           "; n boundaries make n-1 ranges, as 0 50 100");
  }
  for (size_t i = 0; i < boundaries.size(); ++i) {
    RETURN_IF_ERROR(CheckNameable(boundaries.Get(i)));
    if (i > 0 && !(boundaries.Get(i - 1) < boundaries.Get(i))) {
      return InvalidArgument(
          "RANGE scheme boundaries must be strictly increasing, but " +
          DescribeValue(boundaries.Get(i)) + " (element " + std::to_string(i + 1) + ") follows " +
          DescribeValue(boundaries.Get(i - 1)) + "; sort the boundaries and drop repeats");
    }
  }
  return std::unique_ptr<RangeScheme>(new RangeScheme(boundaries));
}

RangeScheme::RangeScheme(Column boundaries)
    : SingleLevelScheme(boundaries.type()), boundaries_(std::move(boundaries)) {
  if (!IsStringLike(value_type())) {
    for (size_t i = 0; i < boundaries_.size(); ++i) {
      int_boundaries_.push_back(boundaries_.Get(i).int_value());
    }
  }
  for (size_t i = 0; i + 1 < boundaries_.size(); ++i) {
    components_.push_back(FormatComponent(boundaries_.Get(i)) + "_" +
                          FormatComponent(boundaries_.Get(i + 1)));
    range_of_component_.emplace(components_.back(), static_cast<uint32_t>(i));
  }
}

nlohmann::json RangeScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  json["boundaries"] = ValuesToJson(boundaries_);
  return json;
}

std::string RangeScheme::Describe() const {
  return std::string("RANGE ") + TypeName(value_type()) + " " + CountOf(range_count(), "range");
}

std::unique_ptr<SingleLevelScheme> RangeScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new RangeScheme(*this));
}

Status RangeScheme::FitsNoRange(const Scalar& value, size_t position) const {
  return InvalidArgument("value " + DescribeValue(value) + " of partition column " +
                         std::to_string(position) + " fits no partition of RANGE scheme [" +
                         ListValues(boundaries_) + "); add a range that covers it");
}

template <typename T>
Status RangeScheme::LocateIntegers(const std::vector<T>& values, size_t position,
                                   std::vector<uint32_t>* ids) const {
  const int64_t* bounds = int_boundaries_.data();
  const int64_t low = bounds[0];
  const int64_t high = bounds[int_boundaries_.size() - 1];
  const size_t ranges = range_count();
  for (size_t row = 0; row < values.size(); ++row) {
    const int64_t v = values[row];
    // NULL is the type's minimum, below every boundary.
    if (v < low || v >= high) {
      if (IsNullValue(values[row])) return NullPartitionValue(position, row);
      return FitsNoRange(Scalar::Int(value_type(), v), position);
    }
    // Branch-free search for the last boundary <= v among the lower bounds.
    const int64_t* base = bounds;
    for (size_t length = ranges; length > 1;) {
      const size_t half = length / 2;
      base = base[half] <= v ? base + half : base;
      length -= half;
    }
    (*ids)[row] = static_cast<uint32_t>(base - bounds);
  }
  return Status::Ok();
}

Status RangeScheme::LocateStrings(const std::vector<std::string>& values, size_t position,
                                  std::vector<uint32_t>* ids) const {
  const auto& bounds = boundaries_.values<std::string>();
  for (size_t row = 0; row < values.size(); ++row) {
    const std::string& v = values[row];
    if (v.empty()) return NullPartitionValue(position, row);
    auto upper = std::upper_bound(bounds.begin(), bounds.end(), v);
    if (upper == bounds.begin() || upper == bounds.end()) {
      return FitsNoRange(Scalar::String(value_type(), v), position);
    }
    (*ids)[row] = static_cast<uint32_t>(upper - bounds.begin() - 1);
  }
  return Status::Ok();
}

Result<LevelIds> RangeScheme::Locate(const Column& column, size_t position) const {
  LevelIds out;
  out.ids.resize(column.size());
  out.id_count = static_cast<uint32_t>(range_count());
  Status status;
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          status = LocateStrings(values, position, &out.ids);
        } else if constexpr (std::is_integral_v<T>) {
          status = LocateIntegers(values, position, &out.ids);
        } else {
          STRATA_CHECK(false);  // floating columns never reach a partition level
        }
      },
      column.data());
  RETURN_IF_ERROR(status);
  return out;
}

std::optional<uint32_t> RangeScheme::FindRange(const Scalar& value) const {
  if (IsStringLike(value_type())) {
    const auto& bounds = boundaries_.values<std::string>();
    auto upper = std::upper_bound(bounds.begin(), bounds.end(), value.string_value());
    if (upper == bounds.begin() || upper == bounds.end()) return std::nullopt;
    return static_cast<uint32_t>(upper - bounds.begin() - 1);
  }
  auto upper = std::upper_bound(int_boundaries_.begin(), int_boundaries_.end(), value.int_value());
  if (upper == int_boundaries_.begin() || upper == int_boundaries_.end()) return std::nullopt;
  return static_cast<uint32_t>(upper - int_boundaries_.begin() - 1);
}

Status RangeScheme::CheckComponent(std::string_view component) const {
  if (range_of_component_.contains(std::string(component))) return Status::Ok();
  return InvalidArgument("is not a range of the scheme; its ranges are named as " +
                         Quote(components_.front()) + " to " + Quote(components_.back()));
}

void RangeScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  if (std::optional<uint32_t> range = FindRange(value)) selected->insert(components_[*range]);
}

bool RangeScheme::ComponentMayMatch(std::string_view component,
                                    const LevelPredicate& predicate) const {
  auto it = range_of_component_.find(std::string(component));
  if (it == range_of_component_.end()) return true;
  const uint32_t range = it->second;
  if (IsStringLike(value_type())) {
    const auto& bounds = boundaries_.values<std::string>();
    return StringRangeMayMatch(bounds[range], bounds[range + 1], predicate);
  }
  return IntervalMayMatch(value_type(), int_boundaries_[range], int_boundaries_[range + 1] - 1,
                          predicate);
}

bool RangeScheme::ComponentAlwaysMatches(std::string_view component,
                                         const LevelPredicate& predicate) const {
  if (IsStringLike(value_type())) return false;
  auto it = range_of_component_.find(std::string(component));
  if (it == range_of_component_.end()) return false;
  const uint32_t range = it->second;
  return IntervalAlwaysMatches(value_type(), int_boundaries_[range], int_boundaries_[range + 1] - 1,
                               predicate);
}

}  // namespace strata
