// Scheme values: reading the value vectors of `database(, TYPE, values)` arguments and of the
// JSON form (docs/format/partition-paths.md), writing them back, and describing them in
// messages. Stateless functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/json_fields.h"
#include "base/status.h"
#include "partition/partition_scheme.h"
#include "types/column.h"
#include "types/value.h"

namespace strata {

// Version of the JSON form that ToJson writes and FromJson reads.
inline constexpr int kSchemeFormatVersion = 1;

// The values of a scheme argument: a vector or pair (a scalar counts as a vector of one) of a
// type `kind` allows, without NULLs. InvalidArgument naming the scheme kind and the problem.
Result<Column> SchemeValuesFromArg(const Value& arg, PartitionType kind);

// {"format_version": 1, "type": "VALUE", "value_type": "DATE"}: the fields every single-level
// scheme's JSON starts with.
nlohmann::json JsonHeader(PartitionType kind, Type value_type);
// Whether a RANGE/LIST level names its partitions (they take other value types).
enum class SchemeNaming : uint8_t { kUnnamed, kNamed };

// Checks the header JSON of a `kind` scheme and returns its value type; Corruption naming the
// problem otherwise.
Result<Type> ReadJsonHeader(const nlohmann::json& json, PartitionType kind,
                            SchemeNaming naming = SchemeNaming::kUnnamed);
// The member `name` of the JSON object, or Corruption naming it when missing.
Result<const nlohmann::json*> JsonField(const nlohmann::json& json, std::string_view name);

// Corruption if an unnamed RANGE/LIST scheme JSON carries "names", an earlier form of named
// partitions whose paths were value-based; read as unnamed, its names would be lost silently.
Status RejectLegacyNames(const nlohmann::json& json);

// Corruption if a named RANGE/LIST scheme JSON also carries a member of the unnamed forms
// ("boundaries", "lists", "names"): a writer of one form never writes the other's.
Status RejectUnnamedMembers(const nlohmann::json& json);

// Corruption for a scheme JSON that reads but describes an invalid scheme (`problem`).
Status InvalidSchemeJson(const Status& problem);

// The JSON array of the values' text forms, e.g. ["2017.08.07", "2017.08.08"].
nlohmann::json ValuesToJson(const Column& values);
// Reads a ValuesToJson array as non-NULL values of `type`; Corruption naming `field` otherwise.
Result<Column> ValuesFromJson(const nlohmann::json& json, Type type, std::string_view field);

// "5 values", "1 range".
std::string CountOf(size_t count, std::string_view noun);
// "0, 50, 100" in text forms; long lists are abbreviated with "...".
std::string ListValues(const Column& values);

}  // namespace strata
