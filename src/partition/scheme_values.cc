#include "partition/scheme_values.h"

#include "partition/level_types.h"
#include "partition/path_component.h"
#include "types/cast.h"
#include "types/format.h"

namespace strata {

namespace {

constexpr size_t kListedValuesMax = 8;

Status JsonCorruption(const std::string& problem) {
  return Corruption("partition scheme JSON " + problem +
                    "; the stored scheme is damaged, restore it from a backup");
}

}  // namespace

Result<Column> SchemeValuesFromArg(const Value& arg, PartitionType kind) {
  std::string scheme = std::string("a ") + PartitionTypeName(kind) + " scheme";
  Column values(arg.type());
  if (arg.is_scalar() && !arg.is_void()) {
    values.Append(arg.scalar());
  } else if (arg.is_vector() || arg.is_pair()) {
    values = *arg.column();
  } else {
    return InvalidArgument(scheme + " needs a vector of values, got " + arg.Describe());
  }
  if (values.empty()) return InvalidArgument(scheme + " needs at least one value, got none");
  RETURN_IF_ERROR(CheckSchemeValueType(values.type(), kind));
  for (size_t i = 0; i < values.size(); ++i) {
    if (values.IsNull(i)) {
      return InvalidArgument(scheme + " cannot contain NULL (element " + std::to_string(i + 1) +
                             " of " + std::to_string(values.size()) + "); remove it");
    }
  }
  return values;
}

nlohmann::json JsonHeader(PartitionType kind, Type value_type) {
  return nlohmann::json{{"format_version", kSchemeFormatVersion},
                        {"type", PartitionTypeName(kind)},
                        {"value_type", TypeName(value_type)}};
}

Result<const nlohmann::json*> JsonField(const nlohmann::json& json, std::string_view name) {
  if (!json.is_object()) return JsonCorruption("is not an object");
  auto it = json.find(std::string(name));
  if (it == json.end()) return JsonCorruption("has no field '" + std::string(name) + "'");
  return &*it;
}

Result<Type> ReadJsonHeader(const nlohmann::json& json, PartitionType kind, SchemeNaming naming) {
  ASSIGN_OR_RETURN(const nlohmann::json* version, JsonField(json, "format_version"));
  auto number = JsonFields(json, "partition scheme").Int("format_version");
  if (!number.ok() || *number != kSchemeFormatVersion) {
    return JsonCorruption("has format_version " + DumpJson(*version) + "; this build reads " +
                          std::to_string(kSchemeFormatVersion));
  }
  ASSIGN_OR_RETURN(const nlohmann::json* type, JsonField(json, "type"));
  if (!type->is_string() || PartitionTypeFromName(type->get_ref<const std::string&>()) != kind) {
    return JsonCorruption("has type " + DumpJson(*type) + " where " + PartitionTypeName(kind) +
                          " was expected");
  }
  ASSIGN_OR_RETURN(const nlohmann::json* value_type, JsonField(json, "value_type"));
  std::optional<Type> parsed = value_type->is_string()
                                   ? TypeFromName(value_type->get_ref<const std::string&>())
                                   : std::nullopt;
  if (!parsed) return JsonCorruption("has an unknown value_type " + DumpJson(*value_type));
  const Status allowed = naming == SchemeNaming::kNamed ? CheckNamedValueType(*parsed, kind)
                                                        : CheckSchemeValueType(*parsed, kind);
  if (!allowed.ok()) {
    return JsonCorruption(std::string("has value_type ") + TypeName(*parsed) + ", which a " +
                          PartitionTypeName(kind) + " scheme cannot hold");
  }
  return *parsed;
}

Status RejectLegacyNames(const nlohmann::json& json) {
  if (!json.contains("names")) return Status::Ok();
  return JsonCorruption(
      "has a 'names' member, a form of named partitions this build does not read (named "
      "partitions are stored as 'partitions', named by their names)");
}

Status RejectUnnamedMembers(const nlohmann::json& json) {
  for (const char* member : {"boundaries", "lists", "names"}) {
    if (json.contains(member)) {
      return JsonCorruption("has both 'partitions' (named partitions) and '" + std::string(member) +
                            "' (unnamed ones)");
    }
  }
  return Status::Ok();
}

Status InvalidSchemeJson(const Status& problem) {
  return JsonCorruption("describes an invalid scheme (" + problem.message() + ")");
}

nlohmann::json ValuesToJson(const Column& values) {
  nlohmann::json array = nlohmann::json::array();
  for (size_t i = 0; i < values.size(); ++i) array.push_back(FormatScalar(values.Get(i)));
  return array;
}

Result<Column> ValuesFromJson(const nlohmann::json& json, Type type, std::string_view field) {
  std::string where = "field '" + std::string(field) + "'";
  if (!json.is_array()) return JsonCorruption(where + " is not an array");
  Column values(type);
  values.Reserve(json.size());
  for (const nlohmann::json& element : json) {
    if (!element.is_string())
      return JsonCorruption(where + " holds a non-string " + DumpJson(element));
    const std::string& text = element.get_ref<const std::string&>();
    // Strings are stored as they are (ParseScalar would read a blank one as NULL).
    Result<Scalar> value =
        IsStringLike(type) ? Result<Scalar>(Scalar::String(type, text)) : ParseScalar(text, type);
    if (!value.ok() || value->is_null()) {
      return JsonCorruption(where + " holds " + DumpJson(element) + ", which is not a " +
                            TypeName(type) + " value");
    }
    values.Append(*value);
  }
  return values;
}

std::string CountOf(size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

std::string ListValues(const Column& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    if (i == kListedValuesMax / 2 && values.size() > kListedValuesMax) {
      out += "...";
      i = values.size() - kListedValuesMax / 2 - 1;
      continue;
    }
    out += DescribeValue(values.Get(i));
  }
  return out;
}

}  // namespace strata
