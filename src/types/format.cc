#include "types/format.h"

#include <charconv>
#include <cmath>

#include "base/json.h"
#include "base/utf8.h"
#include "types/temporal.h"

namespace strata {

namespace {

// Shortest text that reads back to the same double.
std::string ShortestDouble(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string ReadableDouble(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10);
  return std::string(buf, end);
}

std::string FormatScalarWith(const Scalar& s, std::string (*format_double)(double)) {
  if (s.is_null()) return "";
  Type t = s.type();
  if (IsStringLike(t)) return s.string_value();
  if (IsFloating(t)) {
    double v = t == Type::kFloat ? static_cast<double>(static_cast<float>(s.float_value()))
                                 : s.float_value();
    if (t == Type::kFloat) {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
      return std::string(buf, end);
    }
    return format_double(v);
  }
  if (t == Type::kBool) return s.int_value() ? "true" : "false";
  if (t == Type::kChar) return std::to_string(s.int_value());
  if (IsTemporal(t)) return FormatTemporal(t, s.int_value());
  return std::to_string(s.int_value());
}

std::string FormatCell(const Scalar& s) { return FormatScalarWith(s, ReadableDouble); }

std::string QuoteIfString(const Scalar& s) {
  std::string text = FormatCell(s);
  if (IsStringLike(s.type()) && !s.is_null()) return "\"" + text + "\"";
  return text;
}

constexpr size_t kVectorPrintMax = 100;

std::string FormatVector(const Column& column) {
  std::string out = "[";
  size_t n = std::min(column.size(), kVectorPrintMax);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ",";
    out += QuoteIfString(column.Get(i));
  }
  if (column.size() > n) out += ",...";
  return out + "]";
}

std::string FormatTable(const Table& table, const TextFormatOptions& options) {
  size_t rows = table.rows();
  std::vector<size_t> shown;
  bool abbreviated = rows > options.row_limit;
  size_t head = abbreviated ? options.row_limit / 2 : rows;
  for (size_t r = 0; r < head; ++r) shown.push_back(r);
  if (abbreviated) {
    for (size_t r = rows - (options.row_limit - head); r < rows; ++r) shown.push_back(r);
  }
  size_t cols = table.column_count();
  std::vector<std::vector<std::string>> cells(cols);
  std::vector<size_t> width(cols);
  for (size_t c = 0; c < cols; ++c) {
    width[c] = table.schema().field(c).name.size();
    for (size_t r : shown) {
      cells[c].push_back(FormatCell(table.column(c)->Get(r)));
      width[c] = std::max(width[c], cells[c].back().size());
    }
  }
  auto pad = [](std::string s, size_t w) {
    s.resize(std::max(w, s.size()), ' ');
    return s;
  };
  auto line = [&](auto cell_of) {
    std::string out;
    for (size_t c = 0; c < cols; ++c) {
      std::string cell = cell_of(c);
      out += c + 1 < cols ? pad(cell, width[c]) + " " : cell;
    }
    return out + "\n";
  };
  std::string out = line([&](size_t c) { return table.schema().field(c).name; });
  out += line([&](size_t c) { return std::string(width[c], '-'); });
  for (size_t i = 0; i < shown.size(); ++i) {
    if (abbreviated && i == head) out += "...\n";
    out += line([&](size_t c) { return cells[c][i]; });
  }
  if (abbreviated) out += "(" + std::to_string(rows) + " rows)\n";
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

nlohmann::json ScalarJson(const Scalar& s) {
  if (s.is_null()) return nullptr;
  Type t = s.type();
  if (t == Type::kBool) return s.int_value() != 0;
  if (IsStringLike(t) || IsTemporal(t)) return FormatScalarWith(s, ShortestDouble);
  if (IsFloating(t)) {
    double v = s.float_value();
    if (!std::isfinite(v)) return nullptr;
    return v;
  }
  return s.int_value();
}

nlohmann::json ValueJson(const Value& value) {
  switch (value.form()) {
    case Form::kScalar:
      return ScalarJson(value.scalar());
    case Form::kVector:
    case Form::kPair: {
      nlohmann::json arr = nlohmann::json::array();
      const Column& col = *value.column();
      for (size_t i = 0; i < col.size(); ++i) arr.push_back(ScalarJson(col.Get(i)));
      return arr;
    }
    case Form::kTuple: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& v : value.tuple()) arr.push_back(ValueJson(v));
      return arr;
    }
    case Form::kDictionary: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& [k, v] : value.dictionary().entries)
        obj[BytesAsCodePoints(FormatCell(k))] = ValueJson(v);
      return obj;
    }
    case Form::kTable: {
      const Table& table = *value.table();
      nlohmann::json columns = nlohmann::json::array();
      nlohmann::json types = nlohmann::json::array();
      for (const auto& f : table.schema().fields()) {
        columns.push_back(f.name);
        types.push_back(TypeName(f.type));
      }
      nlohmann::json rows = nlohmann::json::array();
      for (size_t r = 0; r < table.rows(); ++r) {
        nlohmann::json row = nlohmann::json::array();
        for (size_t c = 0; c < table.column_count(); ++c) {
          row.push_back(ScalarJson(table.column(c)->Get(r)));
        }
        rows.push_back(std::move(row));
      }
      return {{"columns", columns}, {"types", types}, {"rows", rows}};
    }
    case Form::kObject:
      return value.object()->ToString();
  }
  return nullptr;
}

}  // namespace

std::string FormatScalar(const Scalar& scalar) { return FormatCell(scalar); }

std::string FormatValueText(const Value& value, const TextFormatOptions& options) {
  switch (value.form()) {
    case Form::kScalar:
      return FormatCell(value.scalar());
    case Form::kVector:
      return FormatVector(*value.column());
    case Form::kPair:
      return QuoteIfString(value.column()->Get(0)) + " : " + QuoteIfString(value.column()->Get(1));
    case Form::kTuple: {
      std::string out = "(";
      const Tuple& t = value.tuple();
      for (size_t i = 0; i < t.size(); ++i) {
        if (i > 0) out += ",";
        const Value& e = t[i];
        out += e.is_scalar() ? QuoteIfString(e.scalar()) : FormatValueText(e, options);
      }
      return out + ")";
    }
    case Form::kDictionary: {
      std::string out;
      for (const auto& [k, v] : value.dictionary().entries) {
        if (!out.empty()) out += "\n";
        std::string text = FormatValueText(v, options);
        out += FormatCell(k) + "->" + (text.find('\n') != std::string::npos ? "\n" : "") + text;
      }
      return out;
    }
    case Form::kTable:
      return FormatTable(*value.table(), options);
    case Form::kObject:
      return value.object()->ToString();
  }
  return "";
}

std::string FormatValueJson(const Value& value) { return DumpJsonForDisplay(ValueJson(value)); }

}  // namespace strata
