#include "partition/selection.h"

#include <set>

#include "base/strings.h"
#include "partition/path_component.h"
#include "types/format.h"

namespace strata {

namespace {

constexpr size_t kNamesShownMax = 8;  // partition names listed in an unknown-name error

bool IsPathValue(const Value& value) {
  if (!IsStringLike(value.type())) return false;
  if (value.is_scalar()) return value.scalar().string_value().starts_with("/");
  return value.is_vector() && value.size() > 0 &&
         value.column()->Get(0).string_value().starts_with("/");
}

std::vector<std::string> StringsOf(const Value& value) {
  std::vector<std::string> out;
  if (value.is_scalar()) {
    out.push_back(value.scalar().string_value());
  } else {
    for (size_t i = 0; i < value.size(); ++i) out.push_back(value.column()->Get(i).string_value());
  }
  return out;
}

// The values of one level's filter: a scalar, a vector or pair, or a tuple of those.
Status AddFilterValues(const Value& value, std::vector<Scalar>* values) {
  if (value.is_scalar() && !value.is_void()) {
    values->push_back(value.scalar());
    return Status::Ok();
  }
  if (value.is_vector() || value.is_pair()) {
    const Column& column = *value.column();
    for (size_t i = 0; i < column.size(); ++i) values->push_back(column.Get(i));
    return Status::Ok();
  }
  if (value.is_tuple()) {
    for (const Value& element : value.tuple()) {
      if (element.is_void()) {
        return InvalidArgument(
            "a partition filter has an empty element inside a tuple of values; list values, "
            "or leave a level's whole filter empty to select all its partitions");
      }
      RETURN_IF_ERROR(AddFilterValues(element, values));
    }
    return Status::Ok();
  }
  return InvalidArgument("a " + value.Describe() +
                         " cannot select partitions; give paths (\"/20170807/0_50\"), or a "
                         "scalar, a vector or a tuple of partition column values");
}

Result<LevelFilter> LevelFilterOf(const Value& value) {
  if (value.is_void()) return LevelFilter();
  std::vector<Scalar> values;
  RETURN_IF_ERROR(AddFilterValues(value, &values));
  return LevelFilter(std::move(values));
}

std::set<std::string, std::less<>> SetOf(const std::vector<std::string>& strings) {
  return std::set<std::string, std::less<>>(strings.begin(), strings.end());
}

std::vector<std::string> Existing(const std::set<std::string, std::less<>>& wanted,
                                  const std::vector<std::string>& existing_paths) {
  std::vector<std::string> selected;
  for (const auto& path : existing_paths) {
    if (wanted.count(path)) selected.push_back(path);
  }
  return selected;
}

// The first component of a partition path ("20170807" of "/20170807/0_50"), or "".
std::string_view FirstComponent(std::string_view path) {
  auto components = SplitPartitionPath(path);
  return components ? components->front() : std::string_view();
}

// NotFound for a name no partition has, with the names there are: the first level's own names,
// or else the first components of the partitions that exist.
Status UnknownName(const PartitionScheme& scheme, const std::string& name,
                   const std::vector<std::string>& existing_paths) {
  std::vector<std::string> names = scheme.partition_names();
  if (names.empty()) {
    std::set<std::string, std::less<>> seen;
    for (const auto& path : existing_paths) {
      std::string_view first = FirstComponent(path);
      if (!first.empty() && seen.emplace(first).second) names.emplace_back(first);
    }
  }
  if (names.size() > kNamesShownMax) {
    names.resize(kNamesShownMax);
    names.push_back("...");
  }
  return NotFound("partition " + Quote(name) + " does not exist" +
                  (names.empty() ? std::string(" (there are no partitions)")
                                 : "; the partitions are " + Join(names, ", ")));
}

}  // namespace

PartitionSelection::PartitionSelection(Kind kind) : kind_(kind) {
  if (kind == Kind::kAll) text_ = "all partitions";
}

PartitionSelection PartitionSelection::Paths(std::vector<std::string> paths) {
  PartitionSelection s(Kind::kPaths);
  s.text_ = "paths " + Join(paths, ", ");
  s.strings_ = std::move(paths);
  return s;
}

PartitionSelection PartitionSelection::Filters(std::vector<LevelFilter> levels) {
  PartitionSelection s(Kind::kFilters);
  std::vector<std::string> parts;
  for (const LevelFilter& level : levels) {
    if (!level) {
      parts.push_back("all");
      continue;
    }
    std::vector<std::string> values;
    for (const Scalar& v : *level) values.push_back(FormatValueText(Value(v)));
    parts.push_back("[" + Join(values, ", ") + "]");
  }
  s.text_ = "filter (" + Join(parts, ", ") + ")";
  s.filters_ = std::move(levels);
  return s;
}

PartitionSelection PartitionSelection::Names(std::vector<std::string> names) {
  PartitionSelection s(Kind::kNames);
  s.text_ = "partitions " + Join(names, ", ");
  s.strings_ = std::move(names);
  return s;
}

Result<PartitionSelection> PartitionSelection::FromValue(const Value& value) {
  PartitionSelection s(Kind::kFilters);
  if (IsPathValue(value)) {
    s = Paths(StringsOf(value));
  } else if (value.is_tuple()) {
    for (const Value& element : value.tuple()) {
      ASSIGN_OR_RETURN(LevelFilter level, LevelFilterOf(element));
      s.filters_.push_back(std::move(level));
    }
  } else {
    ASSIGN_OR_RETURN(LevelFilter level, LevelFilterOf(value));
    s.filters_.push_back(std::move(level));
  }
  s.text_ = FormatValueText(value);
  return s;
}

Result<std::vector<std::string>> ResolveSelection(const PartitionScheme& scheme,
                                                  const PartitionSelection& selection,
                                                  const std::vector<std::string>& existing_paths) {
  switch (selection.kind()) {
    case PartitionSelection::Kind::kAll:
      return existing_paths;
    case PartitionSelection::Kind::kPaths:
      for (const auto& path : selection.paths()) RETURN_IF_ERROR(scheme.ValidatePath(path));
      return Existing(SetOf(selection.paths()), existing_paths);
    case PartitionSelection::Kind::kFilters:
      return scheme.SelectByFilter(selection.filters(), existing_paths);
    case PartitionSelection::Kind::kNames: {
      std::set<std::string, std::less<>> components;
      for (const auto& name : selection.names()) {
        std::optional<std::string> component = scheme.ComponentNamed(name);
        if (!component) return UnknownName(scheme, name, existing_paths);
        components.insert(std::move(*component));
      }
      std::vector<std::string> selected;
      for (const auto& path : existing_paths) {
        if (components.count(FirstComponent(path))) selected.push_back(path);
      }
      return selected;
    }
  }
  return Internal("unhandled partition selection kind");
}

}  // namespace strata
