#include "partition/list_scheme.h"

#include "base/strings.h"
#include "partition/level_types.h"
#include "partition/path_component.h"
#include "partition/predicate_match.h"
#include "partition/scheme_values.h"
#include "types/cast.h"

namespace strata {

namespace {

constexpr std::string_view kListPrefix = "List";
constexpr size_t kListsShownMax = 4;

// One list of a LIST scheme argument; SYMBOL/STRING lists take the first list's type.
Result<Column> ListFromArg(const Value& element, size_t list, std::optional<Type> type) {
  if (element.is_void() || !(element.is_scalar() || element.is_vector() || element.is_pair())) {
    return InvalidArgument(
        "list " + std::to_string(list + 1) + " of a LIST scheme must be a vector of values, got " +
        (element.is_void() ? std::string("an empty element") : "a " + element.Describe()));
  }
  ASSIGN_OR_RETURN(Column values, SchemeValuesFromArg(element, PartitionType::kList));
  if (!type || values.type() == *type) return values;
  if (IsStringLike(values.type()) && IsStringLike(*type)) return CastColumn(values, *type);
  return InvalidArgument(std::string("the lists of a LIST scheme must hold values of one type: "
                                     "list 1 holds ") +
                         TypeName(*type) + " values, list " + std::to_string(list + 1) + " " +
                         TypeName(values.type()));
}

}  // namespace

Result<std::unique_ptr<PartitionScheme>> ListScheme::Make(const Value& scheme) {
  std::vector<Column> lists;
  if (scheme.is_tuple()) {
    for (const Value& element : scheme.tuple()) {
      std::optional<Type> type;
      if (!lists.empty()) type = lists[0].type();
      ASSIGN_OR_RETURN(Column list, ListFromArg(element, lists.size(), type));
      lists.push_back(std::move(list));
    }
  } else {
    // A vector (or scalar): one value per list.
    ASSIGN_OR_RETURN(Column values, SchemeValuesFromArg(scheme, PartitionType::kList));
    for (size_t i = 0; i < values.size(); ++i) lists.push_back(values.Slice(i, i + 1));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ListScheme> made, FromLists(std::move(lists)));
  return std::unique_ptr<PartitionScheme>(std::move(made));
}

Result<std::unique_ptr<PartitionScheme>> ListScheme::FromJson(const nlohmann::json& json) {
  ASSIGN_OR_RETURN(Type type, ReadJsonHeader(json, PartitionType::kList));
  ASSIGN_OR_RETURN(const nlohmann::json* field, JsonField(json, "lists"));
  if (!field->is_array()) return InvalidSchemeJson(InvalidArgument("lists is not an array"));
  std::vector<Column> lists;
  for (const nlohmann::json& list : *field) {
    ASSIGN_OR_RETURN(Column values, ValuesFromJson(list, type, "lists"));
    lists.push_back(std::move(values));
  }
  Result<std::unique_ptr<ListScheme>> made = FromLists(std::move(lists));
  if (!made.ok()) return InvalidSchemeJson(made.status());
  RETURN_IF_ERROR(RejectLegacyNames(json));
  return std::unique_ptr<PartitionScheme>(std::move(made).value());
}

Result<std::unique_ptr<ListScheme>> ListScheme::FromLists(std::vector<Column> lists) {
  if (lists.empty() || lists.size() > kListCountMax) {
    return InvalidArgument("a LIST scheme needs 1 to " + std::to_string(kListCountMax) +
                           " lists, got " + std::to_string(lists.size()));
  }
  std::unique_ptr<ListScheme> scheme(new ListScheme(lists[0].type()));
  for (uint32_t list = 0; list < lists.size(); ++list) {
    if (lists[list].empty()) {
      return InvalidArgument("list " + std::to_string(list + 1) +
                             " of a LIST scheme is empty; give every list at least one value");
    }
    for (size_t i = 0; i < lists[list].size(); ++i) {
      Scalar value = lists[list].Get(i);
      uint32_t owner = scheme->index_.Find(value);
      if (owner != ValueIndex::kNotFound && owner != list) {
        return InvalidArgument("value " + DescribeValue(value) + " is in lists " +
                               std::to_string(owner + 1) + " and " + std::to_string(list + 1) +
                               " of the LIST scheme; put each value in one list");
      }
      scheme->index_.Insert(value, list);
    }
  }
  scheme->lists_ = std::move(lists);
  return scheme;
}

nlohmann::json ListScheme::ToJson() const {
  nlohmann::json json = JsonHeader(type(), value_type());
  nlohmann::json lists = nlohmann::json::array();
  for (const Column& list : lists_) lists.push_back(ValuesToJson(list));
  json["lists"] = std::move(lists);
  return json;
}

std::string ListScheme::Describe() const {
  return std::string("LIST ") + TypeName(value_type()) + " " + CountOf(lists_.size(), "list");
}

std::string ListScheme::DescribeLists() const {
  std::string out = "[";
  for (size_t list = 0; list < lists_.size() && list < kListsShownMax; ++list) {
    out += (list > 0 ? ", [" : "[") + ListValues(lists_[list]) + "]";
  }
  if (lists_.size() > kListsShownMax) out += ", ...";
  return out + "]";
}

std::unique_ptr<SingleLevelScheme> ListScheme::CloneLevel() const {
  return std::unique_ptr<SingleLevelScheme>(new ListScheme(*this));
}

Result<LevelIds> ListScheme::Locate(const Column& column, size_t position) const {
  ValueIndex::ColumnLookup lookup = index_.LookupColumn(column, ValueIndex::Missing::kReject, 0);
  if (lookup.bad_row) {
    Scalar value = column.Get(*lookup.bad_row);
    if (value.is_null()) return NullPartitionValue(position, *lookup.bad_row);
    return InvalidArgument("value " + DescribeValue(value) + " of partition column " +
                           std::to_string(position) + " is in no list of LIST scheme " +
                           DescribeLists() + "; add it to a list");
  }
  return LevelIds{.ids = std::move(lookup.ids), .id_count = static_cast<uint32_t>(lists_.size())};
}

std::string ListScheme::ComponentName(uint32_t id) const {
  return std::string(kListPrefix) + std::to_string(id);
}

Status ListScheme::CheckComponent(std::string_view component) const {
  if (ParseNumberedComponent(component, kListPrefix, lists_.size())) return Status::Ok();
  return InvalidArgument("is not a list of the scheme; its lists are named " +
                         Quote(ComponentName(0)) + " to " +
                         Quote(ComponentName(static_cast<uint32_t>(lists_.size() - 1))));
}

void ListScheme::SelectComponent(const Scalar& value, ComponentSet* selected) const {
  uint32_t list = index_.Find(value);
  if (list != ValueIndex::kNotFound) selected->insert(ComponentName(list));
}

bool ListScheme::ComponentMayMatch(std::string_view component,
                                   const LevelPredicate& predicate) const {
  std::optional<uint32_t> list = ParseNumberedComponent(component, kListPrefix, lists_.size());
  if (!list) return true;
  const Column& values = lists_[*list];
  for (size_t i = 0; i < values.size(); ++i) {
    Scalar value = values.Get(i);
    bool may_match =
        IsStringLike(value_type())
            ? StringValueMayMatch(value.string_value(), predicate)
            : IntervalMayMatch(value_type(), value.int_value(), value.int_value(), predicate);
    if (may_match) return true;
  }
  return false;
}

}  // namespace strata
