#include "partition/value_scheme.h"

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"

namespace strata {

Result<std::unique_ptr<PartitionScheme>> ValueScheme::Make(const Value& scheme) {
  ASSIGN_OR_RETURN(Column values, SchemeValuesFromArg(scheme, PartitionType::kValue));
  ASSIGN_OR_RETURN(std::unique_ptr<ValueScheme> made, FromValues(values));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> ValueScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kValue));
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "values"));
  ASSIGN_OR_RETURN(Column values, ValuesFromJson(*field, type, "values"));
  Result<std::unique_ptr<ValueScheme>> made = FromValues(values);
  if (!made.ok()) return InvalidSchemeJson(made.status());
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

Result<std::unique_ptr<ValueScheme>> ValueScheme::FromValues(const Column& values) {
  if (values.empty()) return InvalidArgument("a VALUE scheme needs at least one value, got none");
  std::unique_ptr<ValueScheme> scheme(new ValueScheme(values.type()));
  for (size_t i = 0; i < values.size(); ++i) {
    Scalar value = values.Get(i);
    RETURN_IF_ERROR(CheckNameable(value));
    if (scheme->index_.Find(value) == ValueIndex::kNotFound) scheme->Add(value);
  }
  if (scheme->values_.size() > kValueCountMax) {
    return InvalidArgument("a VALUE scheme holds at most " + std::to_string(kValueCountMax) +
                           " values, got " + std::to_string(scheme->values_.size()) +
                           "; use a RANGE or HASH scheme for this many partitions");
  }
  return scheme;
}

nlohmann::json ValueScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  json["values"] = ValuesToJson(values_);
  return json;
}

std::string ValueScheme::Describe() const {
  return std::string("VALUE ") + TypeName(value_type()) + " " + CountOf(values_.size(), "value");
}

std::unique_ptr<SingleLevelScheme> ValueScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new ValueScheme(*this));
}

Result<LevelIds> ValueScheme::Locate(const Column& column, size_t position) const {
  const uint32_t known = static_cast<uint32_t>(values_.size());
  ValueIndex::ColumnLookup lookup =
      index_.LookupColumn(column, ValueIndex::Missing::kAssignNewIds, known);
  if (lookup.bad_row) return NullPartitionValue(position, *lookup.bad_row);
  const size_t total = known + lookup.new_value_rows.size();
  if (total > kValueCountMax) {
    return InvalidArgument("partition column " + std::to_string(position) + " brings " +
                           std::to_string(lookup.new_value_rows.size()) +
                           " new values, which would grow the VALUE scheme past " +
                           std::to_string(kValueCountMax) +
                           " partitions; append fewer "
                           "distinct values or use a RANGE or HASH scheme");
  }
  for (uint32_t row : lookup.new_value_rows) {
    Status nameable = CheckNameable(LevelValueAt(column, row));
    if (!nameable.ok()) {
      return nameable.WithContext("partition column " + std::to_string(position) + ", row index " +
                                  std::to_string(row));
    }
  }
  return LevelIds{.ids = std::move(lookup.ids),
                  .id_count = static_cast<uint32_t>(total),
                  .new_value_rows = std::move(lookup.new_value_rows)};
}

bool ValueScheme::Commit(const Column& column, const LevelIds& ids) {
  STRATA_CHECK(ids.id_count == values_.size() + ids.new_value_rows.size());
  for (uint32_t row : ids.new_value_rows) Add(LevelValueAt(column, row));
  return !ids.new_value_rows.empty();
}

std::string ValueScheme::ComponentName(uint32_t id) const {
  return FormatComponent(values_.Get(id));
}

Status ValueScheme::CheckComponent(std::string_view component) const {
  if (ParseComponent(component, value_type())) return Status::Ok();
  return InvalidArgument(std::string("is not a ") + TypeName(value_type()) +
                         " value in path form, such as " + Quote(ComponentName(0)));
}

bool ValueScheme::AdmitComponent(std::string_view component) {
  std::optional<Scalar> value = ParseComponent(component, value_type());
  if (!value || index_.Find(*value) != ValueIndex::kNotFound) return false;
  Add(*value);
  return true;
}

void ValueScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  if (CheckNameable(value).ok()) selected->insert(FormatComponent(value));
}

bool ValueScheme::ComponentMayMatch(std::string_view component,
                                    const LevelPredicate& predicate) const {
  std::optional<Scalar> value = ParseComponent(component, value_type());
  if (!value) return true;
  if (IsStringLike(value_type())) return StringValueMayMatch(value->string_value(), predicate);
  return IntervalMayMatch(value_type(), value->int_value(), value->int_value(), predicate);
}

bool ValueScheme::ComponentAlwaysMatches(std::string_view component,
                                         const LevelPredicate& predicate) const {
  std::optional<Scalar> value = ParseComponent(component, value_type());
  if (!value) return false;
  if (IsStringLike(value_type())) {
    return StringValueAlwaysMatches(value->string_value(), predicate);
  }
  return IntervalAlwaysMatches(value_type(), value->int_value(), value->int_value(), predicate);
}

Scalar ValueScheme::LevelValueAt(const Column& column, size_t row) const {
  Scalar value = column.Get(row);
  if (IsStringLike(value.type())) return Scalar::String(value_type(), value.string_value());
  return value;
}

void ValueScheme::Add(const Scalar& value) {
  bool inserted = index_.Insert(value, static_cast<uint32_t>(values_.size()));
  STRATA_CHECK(inserted);
  values_.Append(value);
}

}  // namespace strata
