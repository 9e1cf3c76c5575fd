#include "partition/named_list_scheme.h"

#include <algorithm>

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"

namespace strata {

namespace {

constexpr size_t kListsShownMax = 4;

Column ColumnOf(Type type, const std::vector<Scalar>& values) {
  Column column(type);
  for (const Scalar& value : values) column.Append(value);
  return column;
}

}  // namespace

Result<std::unique_ptr<NamedListScheme>> NamedListScheme::Make(Type type,
                                                               std::vector<NamedList> lists) {
  if (lists.empty() || lists.size() > kNamedPartitionCountMax) {
    return InvalidArgument("a table partitioned by LIST needs 1 to " +
                           std::to_string(kNamedPartitionCountMax) + " partitions, got " +
                           std::to_string(lists.size()));
  }
  RETURN_IF_ERROR(CheckNamedValueType(type, PartitionType::kList));
  std::unique_ptr<NamedListScheme> scheme(new NamedListScheme(type));
  for (uint32_t list = 0; list < lists.size(); ++list) {
    const std::string& name = lists[list].name;
    if (lists[list].values.empty()) {
      return InvalidArgument("partition " + Quote(name) +
                             " lists no values; give every LIST partition at least one value");
    }
    for (Scalar& value : lists[list].values) {
      if (value.is_null()) {
        return InvalidArgument("partition " + Quote(name) +
                               " lists NULL; NULL cannot be partitioned, remove it");
      }
      if (value.type() != type && !(IsStringLike(value.type()) && IsStringLike(type))) {
        return InvalidArgument("value " + DescribeValue(value) + " of partition " + Quote(name) +
                               " is " + TypeName(value.type()) + ", not " + TypeName(type) +
                               "; give " + TypeName(type) + " values");
      }
      if (value.type() != type) value = Scalar::String(type, value.string_value());
      const uint32_t owner = scheme->index_.Find(value);
      if (owner != ValueIndex::kNotFound) {
        return InvalidArgument("value " + DescribeValue(value) +
                               (owner == list ? " is listed twice in partition " + Quote(name)
                                              : " is in partitions " + Quote(lists[owner].name) +
                                                    " and " + Quote(name)) +
                               "; put each value in one partition, once");
      }
      scheme->index_.Insert(value, list);
    }
    scheme->names_.push_back(name);
  }
  RETURN_IF_ERROR(CheckPartitionNames(scheme->names_));
  for (uint32_t list = 0; list < lists.size(); ++list) {
    scheme->list_of_name_.emplace(lists[list].name, list);
  }
  scheme->lists_ = std::move(lists);
  return scheme;
}

Result<std::unique_ptr<PartitionScheme>> NamedListScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kList, SchemeNaming::kNamed));
  RETURN_IF_ERROR(RejectUnnamedMembers(json));
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "partitions"));
  if (!field->is_array()) return InvalidSchemeJson(InvalidArgument("partitions is not an array"));
  std::vector<NamedList> lists;
  for (const nlohmann::json& partition : *field) {
    ASSIGN_OR_RETURN(const nlohmann::json* name, JsonField(partition, "name"));
    if (!name->is_string()) {
      return InvalidSchemeJson(InvalidArgument("a partition name is not a string"));
    }
    ASSIGN_OR_RETURN(const nlohmann::json* values, JsonField(partition, "values"));
    ASSIGN_OR_RETURN(Column column, ValuesFromJson(*values, type, "partitions.values"));
    NamedList list{.name = name->get<std::string>()};
    for (size_t i = 0; i < column.size(); ++i) list.values.push_back(column.Get(i));
    lists.push_back(std::move(list));
  }
  Result<std::unique_ptr<NamedListScheme>> made = Make(type, std::move(lists));
  if (!made.ok()) return InvalidSchemeJson(made.status());
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

nlohmann::json NamedListScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  nlohmann::json partitions = nlohmann::json::array();
  for (const NamedList& list : lists_) {
    partitions.push_back(nlohmann::json{
        {"name", list.name}, {"values", ValuesToJson(ColumnOf(value_type(), list.values))}});
  }
  json["partitions"] = std::move(partitions);
  return json;
}

std::string NamedListScheme::Describe() const {
  return std::string("LIST ") + TypeName(value_type()) + " " + CountOf(lists_.size(), "named list");
}

std::string NamedListScheme::DescribeLists() const {
  std::string out = "[";
  for (size_t list = 0; list < lists_.size() && list < kListsShownMax; ++list) {
    out += (list > 0 ? ", " : "") + lists_[list].name + " (" +
           ListValues(ColumnOf(value_type(), lists_[list].values)) + ")";
  }
  if (lists_.size() > kListsShownMax) out += ", ...";
  return out + "]";
}

std::unique_ptr<SingleLevelScheme> NamedListScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new NamedListScheme(*this));
}

Result<LevelIds> NamedListScheme::Locate(const Column& column, size_t position) const {
  ValueIndex::ColumnLookup lookup = index_.LookupColumn(column, ValueIndex::Missing::kReject, 0);
  if (lookup.bad_row) {
    Scalar value = column.Get(*lookup.bad_row);
    if (value.is_null()) return NullPartitionValue(position, *lookup.bad_row);
    return InvalidArgument("value " + DescribeValue(value) + " of partition column " +
                           std::to_string(position) + " fits no partition of LIST scheme " +
                           DescribeLists() + "; add it to a partition")
        .WithRemedy({RemedyKind::kAddPartition, {}});
  }
  return LevelIds{.ids = std::move(lookup.ids), .id_count = static_cast<uint32_t>(lists_.size())};
}

Status NamedListScheme::CheckComponent(std::string_view component) const {
  if (list_of_name_.contains(std::string(component))) return Status::Ok();
  std::vector<std::string> shown(names_.begin(),
                                 names_.begin() + std::min(names_.size(), kListsShownMax));
  if (names_.size() > kListsShownMax) shown.push_back("...");
  return InvalidArgument("is not a partition of the scheme; its partitions are " +
                         Join(shown, ", "));
}

void NamedListScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  const uint32_t list = index_.Find(value);
  if (list != ValueIndex::kNotFound) selected->insert(names_[list]);
}

bool NamedListScheme::ComponentMayMatch(std::string_view component,
                                        const LevelPredicate& predicate) const {
  auto it = list_of_name_.find(std::string(component));
  if (it == list_of_name_.end()) return true;
  const bool strings = IsStringLike(value_type());
  for (const Scalar& value : lists_[it->second].values) {
    const bool may_match =
        strings ? StringValueMayMatch(value.string_value(), predicate)
                : IntervalMayMatch(value_type(), value.int_value(), value.int_value(), predicate);
    if (may_match) return true;
  }
  return false;
}

}  // namespace strata
