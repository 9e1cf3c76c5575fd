// Helpers shared by the partition module's tests: value builders, the seed's compoDB scheme,
// and split/JSON checks. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/json.h"
#include "partition/partition_scheme.h"
#include "partition/selection.h"
#include "types/temporal.h"

namespace strata {
namespace {

using Op = LevelPredicate::Op;

[[maybe_unused]] Scalar Temporal(const char* text) {
  std::optional<Scalar> value = ParseTemporal(text);
  EXPECT_TRUE(value.has_value()) << text;
  return value.value_or(Scalar());
}

[[maybe_unused]] Scalar Int(int64_t v) { return Scalar::Int(Type::kInt, v); }
[[maybe_unused]] Scalar Sym(const char* s) { return Scalar::String(Type::kSymbol, s); }

[[maybe_unused]] Column IntColumn(std::vector<int32_t> values) {
  return Column(Type::kInt, std::move(values));
}

[[maybe_unused]] Column Strings(Type type, std::vector<std::string> values) {
  return Column(type, std::move(values));
}

// DATE column of the given day offsets from 2017.08.07; INT32_MIN stays NULL.
[[maybe_unused]] Column DateColumn(std::vector<int32_t> offsets) {
  const int32_t base = static_cast<int32_t>(Temporal("2017.08.07").int_value());
  for (int32_t& v : offsets) {
    if (v != INT32_MIN) v += base;
  }
  return Column(Type::kDate, std::move(offsets));
}

[[maybe_unused]] Value Vec(Column column) { return Value::Vector(std::move(column)); }

[[maybe_unused]] std::unique_ptr<PartitionScheme> MakeOk(PartitionType type, const Value& arg) {
  auto scheme = PartitionScheme::Make(type, arg);
  EXPECT_TRUE(scheme.ok()) << scheme.status().ToString();
  return scheme.ok() ? std::move(scheme).value() : nullptr;
}

// The seed's dfs://compoDB: VALUE 2017.08.07..2017.08.11 × RANGE 0 50 100.
[[maybe_unused]] std::unique_ptr<PartitionScheme> CompoDb() {
  std::vector<std::unique_ptr<PartitionScheme>> levels;
  levels.push_back(MakeOk(PartitionType::kValue, Vec(DateColumn({0, 1, 2, 3, 4}))));
  levels.push_back(MakeOk(PartitionType::kRange, Vec(IntColumn({0, 50, 100}))));
  auto compo = PartitionScheme::MakeCompo(std::move(levels));
  EXPECT_TRUE(compo.ok()) << compo.status().ToString();
  return std::move(compo).value();
}

[[maybe_unused]] std::vector<std::string> CompoPaths() {
  std::vector<std::string> paths;
  for (const char* date : {"20170807", "20170808", "20170809", "20170810", "20170811"}) {
    for (const char* range : {"0_50", "50_100"}) {
      paths.push_back(std::string("/") + date + "/" + range);
    }
  }
  return paths;
}

[[maybe_unused]] std::vector<std::string> PathsOf(const std::vector<PartitionGroup>& groups) {
  std::vector<std::string> paths;
  for (const auto& group : groups) paths.push_back(group.path);
  return paths;
}

[[maybe_unused]] std::vector<PartitionGroup> SplitOk(PartitionScheme& scheme,
                                                     std::vector<Column> columns,
                                                     bool* changed = nullptr) {
  std::vector<ColumnPtr> ptrs;
  for (Column& c : columns) ptrs.push_back(std::make_shared<const Column>(std::move(c)));
  bool ignored = false;
  auto groups = scheme.Split(ptrs, changed ? changed : &ignored);
  EXPECT_TRUE(groups.ok()) << groups.status().ToString();
  return groups.ok() ? std::move(groups).value() : std::vector<PartitionGroup>();
}

[[maybe_unused]] Status SplitStatus(PartitionScheme& scheme, std::vector<Column> columns) {
  std::vector<ColumnPtr> ptrs;
  for (Column& c : columns) ptrs.push_back(std::make_shared<const Column>(std::move(c)));
  bool changed = true;
  auto groups = scheme.Split(ptrs, &changed);
  EXPECT_FALSE(changed);
  return groups.status();
}

// The single component each row of a one-level split lands in, by row.
[[maybe_unused]] std::vector<std::string> PathByRow(const std::vector<PartitionGroup>& groups,
                                                    size_t rows) {
  std::vector<std::string> by_row(rows);
  for (const auto& group : groups) {
    for (uint32_t row : group.rows) {
      EXPECT_TRUE(by_row[row].empty()) << "row " << row << " in two groups";
      by_row[row] = group.path;
    }
  }
  return by_row;
}

[[maybe_unused]] std::vector<std::string> Select(const PartitionScheme& scheme, const Value& filter,
                                                 const std::vector<std::string>& existing) {
  auto selection = PartitionSelection::FromValue(filter);
  EXPECT_TRUE(selection.ok()) << selection.status().ToString();
  if (!selection.ok()) return {};
  auto selected = ResolveSelection(scheme, *selection, existing);
  EXPECT_TRUE(selected.ok()) << selected.status().ToString();
  return selected.ok() ? std::move(selected).value() : std::vector<std::string>();
}

[[maybe_unused]] LevelPredicate Pred(Op op, std::vector<Scalar> values) {
  return LevelPredicate{op, values};
}

[[maybe_unused]] void ExpectJsonRoundTrip(const PartitionScheme& scheme) {
  nlohmann::json encoded = scheme.ToJson();
  const std::string text = DumpJson(encoded);  // as the catalog and manifests store it
  auto parsed = ParseJson(text, "scheme");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto decoded = PartitionScheme::FromJson(*parsed);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString() << "\n" << text;
  EXPECT_EQ((*decoded)->ToJson(), encoded);
  EXPECT_EQ(DumpJson((*decoded)->ToJson()), text);
  EXPECT_EQ((*decoded)->Describe(), scheme.Describe());
  EXPECT_EQ((*decoded)->type(), scheme.type());
}

}  // namespace
}  // namespace strata
