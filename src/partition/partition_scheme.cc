#include "partition/partition_scheme.h"

#include "base/json_fields.h"
#include "base/strings.h"
#include "partition/compo_scheme.h"
#include "partition/hash_scheme.h"
#include "partition/level_types.h"
#include "partition/list_scheme.h"
#include "partition/named_list_scheme.h"
#include "partition/named_range_scheme.h"
#include "partition/range_scheme.h"
#include "partition/value_scheme.h"

namespace strata {

namespace {

constexpr PartitionType kPartitionTypes[] = {PartitionType::kValue, PartitionType::kRange,
                                             PartitionType::kHash, PartitionType::kList,
                                             PartitionType::kCompo};

}  // namespace

const char* PartitionTypeName(PartitionType type) {
  switch (type) {
    case PartitionType::kValue:
      return "VALUE";
    case PartitionType::kRange:
      return "RANGE";
    case PartitionType::kHash:
      return "HASH";
    case PartitionType::kList:
      return "LIST";
    case PartitionType::kCompo:
      return "COMPO";
  }
  return "UNKNOWN";
}

std::optional<PartitionType> PartitionTypeFromName(std::string_view name) {
  for (PartitionType type : kPartitionTypes) {
    if (EqualsIgnoreCase(name, PartitionTypeName(type))) return type;
  }
  return std::nullopt;
}

Result<std::unique_ptr<PartitionScheme>> PartitionScheme::Make(PartitionType type,
                                                               const Value& scheme) {
  switch (type) {
    case PartitionType::kValue:
      return ValueScheme::Make(scheme);
    case PartitionType::kRange:
      return RangeScheme::Make(scheme);
    case PartitionType::kHash:
      return HashScheme::Make(scheme);
    case PartitionType::kList:
      return ListScheme::Make(scheme);
    case PartitionType::kCompo:
      break;
  }
  return InvalidArgument("a COMPO scheme is built from its levels, 2 or 3 partitioned schemes")
      .WithRemedy({RemedyKind::kComposeLevels, {}});
}

Result<std::unique_ptr<PartitionScheme>> PartitionScheme::MakeCompo(
    std::vector<std::unique_ptr<PartitionScheme>> levels) {
  return CompoScheme::Make(std::move(levels));
}

Result<std::unique_ptr<PartitionScheme>> PartitionScheme::FromJson(const nlohmann::json& json) {
  auto type_name = JsonFields(json, "partition scheme JSON").String("type");
  std::optional<PartitionType> type;
  if (type_name.ok()) type = PartitionTypeFromName(*type_name);
  if (!type) {
    return Corruption(
        "partition scheme JSON has no valid 'type' (VALUE, RANGE, HASH, LIST or "
        "COMPO); the stored scheme is damaged, restore it from a backup");
  }
  switch (*type) {
    case PartitionType::kValue:
      return ValueScheme::FromJson(json);
    case PartitionType::kRange:
      // Named ranges are written as "partitions", unnamed ones as "boundaries".
      if (json.contains("partitions")) return NamedRangeScheme::FromJson(json);
      return RangeScheme::FromJson(json);
    case PartitionType::kHash:
      return HashScheme::FromJson(json);
    case PartitionType::kList:
      if (json.contains("partitions")) return NamedListScheme::FromJson(json);
      return ListScheme::FromJson(json);
    case PartitionType::kCompo:
      return CompoScheme::FromJson(json);
  }
  return Internal("unhandled partition type in FromJson");
}

Status PartitionScheme::CheckColumnType(size_t level, Type column_type) const {
  if (level >= level_count()) {
    return InvalidArgument("partition level " + std::to_string(level + 1) +
                           " does not exist: the scheme has " + std::to_string(level_count()) +
                           (level_count() == 1 ? " level" : " levels"));
  }
  return CheckLevelColumnType(level_type(level), column_type, level + 1);
}

}  // namespace strata
