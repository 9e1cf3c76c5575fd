// The pure functions every script has: aggregates, vector construction (rand, take, seq, til),
// conversions (string, date, int, ...), and small utilities (size, typestr, distinct, sort).
#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "base/strings.h"
#include "query/aggregate.h"
#include "query/builtins_internal.h"
#include "query/dfs_table.h"
#include "query/function.h"
#include "query/operators.h"
#include "types/cast.h"
#include "types/format.h"
#include "types/temporal.h"

namespace strata {

namespace {

std::mt19937_64& Random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return generator;
}

// Applies `fn` to the elements of a scalar or vector, keeping the form.
Result<Value> MapElements(const Value& v, const std::function<Result<Column>(const Column&)>& fn) {
  ASSIGN_OR_RETURN(Column in, ToColumn(v));
  ASSIGN_OR_RETURN(Column out, fn(in));
  if (v.is_scalar()) return Value(out.Get(0));
  return Value::Vector(std::move(out));
}

Result<int64_t> CountArgument(const Value& v, const char* what) {
  if (!v.is_scalar() || !IsIntegral(v.type()) || v.scalar().is_null() ||
      v.scalar().int_value() < 0) {
    return InvalidArgument(std::string(what) + " must be a non-negative integer, got " +
                           v.Describe());
  }
  return v.scalar().int_value();
}

// X and Y end to end, as DolphinDB's join(X, Y) / X <- Y: scalars and vectors make a vector
// (numbers widen to the wider type), two tables of as many rows make a table with the columns of
// both.
Result<Value> Join(const Value& x, const Value& y) {
  if (x.is_table() || y.is_table()) {
    if (!x.is_table() || !y.is_table()) {
      return InvalidArgument("join puts a table beside a table, got a " + x.Describe() + " and a " +
                             y.Describe());
    }
    if (x.table()->rows() != y.table()->rows()) {
      return InvalidArgument("join puts tables of as many rows side by side, got " +
                             std::to_string(x.table()->rows()) + " and " +
                             std::to_string(y.table()->rows()) + " rows");
    }
    Schema schema = x.table()->schema();
    std::vector<ColumnPtr> columns = x.table()->columns();
    for (size_t c = 0; c < y.table()->column_count(); ++c) {
      const Field& field = y.table()->schema().field(c);
      if (schema.Find(field.name)) {
        return InvalidArgument("join: both tables have a column " + Quote(field.name));
      }
      schema.Add(field);
      columns.push_back(y.table()->column(c));
    }
    return Value::MakeTable(std::make_shared<const Table>(std::move(schema), std::move(columns)));
  }
  ASSIGN_OR_RETURN(Column left, ToColumn(x));
  ASSIGN_OR_RETURN(Column right, ToColumn(y));
  Type type = left.type();
  if (x.is_void()) type = right.type();
  if (right.type() != type && !y.is_void()) {
    if (NumericRank(type) < 0 || NumericRank(right.type()) < 0) {
      return InvalidArgument(std::string("join needs values of one type, got ") +
                             TypeName(left.type()) + " and " + TypeName(right.type()));
    }
    if (NumericRank(right.type()) > NumericRank(type)) type = right.type();
  }
  Column out(type);
  out.Reserve(left.size() + right.size());
  for (const Column* part : {&left, &right}) {
    if (part->type() == type) {
      out.AppendRange(*part, 0, part->size());
      continue;
    }
    for (size_t i = 0; i < part->size(); ++i) {
      ASSIGN_OR_RETURN(Scalar s, CastScalar(part->Get(i), type));
      out.Append(s);
    }
  }
  return Value::Vector(std::move(out));
}

void RegisterAggregates(FunctionRegistry& r) {
  for (const char* name : {"sum", "avg", "mean", "min", "max", "first", "last"}) {
    AggregateKind kind = *AggregateFromName(name);
    r.Register(
        {name, {"X"}, 1, true, [kind, name](EvalContext&, std::vector<Value>& a) -> Result<Value> {
           if (a[0].is_scalar()) {
             if (kind == AggregateKind::kSum || kind == AggregateKind::kAvg) {
               ASSIGN_OR_RETURN(Column c, ToColumn(a[0]));
               ASSIGN_OR_RETURN(Scalar s, Aggregate(kind, c));
               return Value(s);
             }
             return a[0];
           }
           if (!a[0].is_vector()) {
             return InvalidArgument(std::string(name) + " applies to a vector, got a " +
                                    a[0].Describe());
           }
           ASSIGN_OR_RETURN(Scalar s, Aggregate(kind, *a[0].column()));
           return Value(s);
         }});
  }
  r.Register({"count", {"X"}, 1, true, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                if (a[0].is_table()) return Value(Scalar::Int(Type::kLong, a[0].size()));
                if (a[0].is_scalar())
                  return Value(Scalar::Int(Type::kLong, a[0].scalar().is_null() ? 0 : 1));
                if (a[0].is_vector()) {
                  ASSIGN_OR_RETURN(Scalar s, Aggregate(AggregateKind::kCount, *a[0].column()));
                  return Value(s);
                }
                return Value(Scalar::Int(Type::kLong, static_cast<int64_t>(a[0].size())));
              }});
}

void RegisterConstruction(FunctionRegistry& r) {
  r.Register(
      {"join", {"X", "Y"}, 2, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         return Join(a[0], a[1]);
       }});
  // randNormal(mean, stdev, count): `count` DOUBLEs drawn from the normal distribution.
  r.Register(
      {"randNormal",
       {"mean", "stdev", "count"},
       3,
       false,
       [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         for (int i = 0; i < 2; ++i) {
           if (!a[i].is_scalar() || !IsNumeric(a[i].type()) || a[i].scalar().is_null()) {
             return InvalidArgument(std::string("randNormal's ") + (i == 0 ? "mean" : "stdev") +
                                    " is a number, got " + a[i].Describe());
           }
         }
         double mean = a[0].scalar().ToDouble();
         double stdev = a[1].scalar().ToDouble();
         if (!(stdev >= 0)) {
           return InvalidArgument("randNormal's stdev cannot be negative, got " + a[1].Describe());
         }
         ASSIGN_OR_RETURN(int64_t n, CountArgument(a[2], "the count of randNormal"));
         std::normal_distribution<double> dist(mean, stdev);
         std::vector<double> out(static_cast<size_t>(n));
         for (auto& v : out) v = stdev == 0 ? mean : dist(Random());
         return Value::Vector(Column(Type::kDouble, std::move(out)));
       }});
  r.Register(
      {"rand", {"X", "count"}, 2, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         ASSIGN_OR_RETURN(int64_t n, CountArgument(a[1], "the count of rand"));
         const Value& x = a[0];
         auto& gen = Random();
         if (x.is_vector()) {
           if (x.size() == 0) return InvalidArgument("rand cannot sample an empty vector");
           std::uniform_int_distribution<size_t> pick(0, x.size() - 1);
           std::vector<uint32_t> indices(static_cast<size_t>(n));
           for (auto& i : indices) i = static_cast<uint32_t>(pick(gen));
           return Value::Vector(x.column()->Gather(indices));
         }
         if (!x.is_scalar() || !IsNumeric(x.type())) {
           return InvalidArgument("rand samples from a number or a vector, got a " + x.Describe());
         }
         if (IsFloating(x.type())) {
           std::uniform_real_distribution<double> dist(0, x.scalar().float_value());
           std::vector<double> out(static_cast<size_t>(n));
           for (auto& v : out) v = dist(gen);
           return Value::Vector(Column(Type::kDouble, std::move(out)));
         }
         int64_t bound = x.scalar().int_value();
         if (bound <= 0)
           return InvalidArgument("rand needs a positive bound, got " + std::to_string(bound));
         std::uniform_int_distribution<int64_t> dist(0, bound - 1);
         Type type = x.type() == Type::kLong ? Type::kLong : Type::kInt;
         Column out(type);
         out.Reserve(static_cast<size_t>(n));
         for (int64_t i = 0; i < n; ++i) out.Append(Scalar::Int(type, dist(gen)));
         return Value::Vector(std::move(out));
       }});
  r.Register(
      {"take", {"X", "n"}, 2, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         ASSIGN_OR_RETURN(int64_t n, CountArgument(a[1], "the count of take"));
         ASSIGN_OR_RETURN(Column x, ToColumn(a[0]));
         if (x.size() == 0) return InvalidArgument("take needs a non-empty value");
         std::vector<uint32_t> indices(static_cast<size_t>(n));
         for (size_t i = 0; i < indices.size(); ++i)
           indices[i] = static_cast<uint32_t>(i % x.size());
         return Value::Vector(x.Gather(indices));
       }});
  r.Register({"seq", {"start", "end"}, 2, false, [](EvalContext&, std::vector<Value>& a) {
                return ApplyBinary(BinaryOp::kRange, a[0], a[1]);
              }});
  r.Register({"til", {"n"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(int64_t n, CountArgument(a[0], "the argument of til"));
                std::vector<int32_t> out(static_cast<size_t>(n));
                for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int32_t>(i);
                return Value::Vector(Column(Type::kInt, std::move(out)));
              }});
  // table(col1, col2, ...) is built by the evaluator, which knows the argument names; this
  // body serves the empty-table form table(capacity:size, colNames, colTypes).
  r.Register({"table",
              {"X1", "X2", "X3"},
              3,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                if (!a[0].is_pair() || !IsStringLike(a[1].type()) ||
                    !(a[2].is_vector() || a[2].is_tuple())) {
                  return InvalidArgument(
                      "table takes column vectors, or capacity:size, column names and column "
                      "types as in table(100:0, `a`b, [INT, DOUBLE])");
                }
                ASSIGN_OR_RETURN(Column names, ToColumn(a[1]));
                ASSIGN_OR_RETURN(Column types, ToColumn(a[2]));
                if (names.size() != types.size()) {
                  return InvalidArgument("table needs as many column types as column names");
                }
                int64_t rows = a[0].column()->Get(1).ToInt64();
                Schema schema;
                std::vector<ColumnPtr> columns;
                for (size_t i = 0; i < names.size(); ++i) {
                  Scalar t = types.Get(i);
                  auto type = IsStringLike(t.type()) ? TypeFromName(t.string_value())
                                                     : TypeFromId(static_cast<int>(t.ToInt64()));
                  if (!type || *type == Type::kVoid) {
                    return InvalidArgument("unknown column type " + Quote(FormatScalar(t)));
                  }
                  Column c(*type);
                  for (int64_t r = 0; r < rows; ++r) c.AppendNull();
                  schema.Add({names.Get(i).string_value(), *type});
                  columns.push_back(std::make_shared<const Column>(std::move(c)));
                }
                return Value::MakeTable(
                    std::make_shared<const Table>(std::move(schema), std::move(columns)));
              }});
  r.Register({"pair", {"first", "second"}, 2, false, [](EvalContext&, std::vector<Value>& a) {
                return ApplyBinary(BinaryOp::kPair, a[0], a[1]);
              }});
}

void RegisterConversions(FunctionRegistry& r) {
  struct Conversion {
    const char* name;
    Type type;
  };
  static constexpr Conversion kConversions[] = {
      {"bool", Type::kBool},
      {"char", Type::kChar},
      {"short", Type::kShort},
      {"int", Type::kInt},
      {"long", Type::kLong},
      {"float", Type::kFloat},
      {"double", Type::kDouble},
      {"date", Type::kDate},
      {"month", Type::kMonth},
      {"time", Type::kTime},
      {"minute", Type::kMinute},
      {"second", Type::kSecond},
      {"datetime", Type::kDateTime},
      {"timestamp", Type::kTimestamp},
      {"nanotimestamp", Type::kNanoTimestamp},
      {"symbol", Type::kSymbol},
      {"string", Type::kString},
  };
  // Without an argument, a NULL of the type (the update page's `update t1 set vol=long()`).
  for (const auto& conversion : kConversions) {
    Type type = conversion.type;
    r.Register({conversion.name,
                {"X"},
                0,
                false,
                [type](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                  return MapElements(a[0], [type](const Column& c) { return CastColumn(c, type); });
                }});
  }
  r.Register({"today", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
                auto now = std::chrono::system_clock::now().time_since_epoch();
                int64_t days = std::chrono::duration_cast<std::chrono::hours>(now).count() / 24;
                return Value(Scalar::Int(Type::kDate, days));
              }});
  r.Register(
      {"now", {}, 0, false, [](EvalContext&, std::vector<Value>&) -> Result<Value> {
         auto now = std::chrono::system_clock::now().time_since_epoch();
         return Value(Scalar::Int(
             Type::kTimestamp, std::chrono::duration_cast<std::chrono::milliseconds>(now).count()));
       }});
}

void RegisterUtilities(FunctionRegistry& r) {
  r.Register({"size", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return Value(Scalar::Int(Type::kInt, static_cast<int64_t>(a[0].size())));
              }});
  r.Register({"rows", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return Value(Scalar::Int(Type::kInt, static_cast<int64_t>(a[0].size())));
              }});
  r.Register({"typestr", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                const Value& v = a[0];
                std::string text;
                if (v.is_scalar())
                  text = v.is_void() ? "VOID" : TypeName(v.type());
                else if (v.is_vector())
                  text = std::string(TypeName(v.type())) + " VECTOR";
                else if (v.is_pair())
                  text = std::string(TypeName(v.type())) + " PAIR";
                else if (v.is_tuple())
                  text = "ANY VECTOR";
                else if (v.is_dictionary())
                  text = "DICTIONARY";
                else if (v.is_table())
                  text = "IN-MEMORY TABLE";
                else
                  text = ToUpper(v.object()->KindName());
                return Value(Scalar::String(Type::kString, text));
              }});
  r.Register({"isNull", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return MapElements(a[0], [](const Column& c) -> Result<Column> {
                  std::vector<int8_t> out(c.size());
                  for (size_t i = 0; i < c.size(); ++i) out[i] = c.IsNull(i);
                  return Column(Type::kBool, std::move(out));
                });
              }});
  r.Register({"isValid", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return MapElements(a[0], [](const Column& c) -> Result<Column> {
                  std::vector<int8_t> out(c.size());
                  for (size_t i = 0; i < c.size(); ++i) out[i] = !c.IsNull(i);
                  return Column(Type::kBool, std::move(out));
                });
              }});
  r.Register(
      {"distinct", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         ASSIGN_OR_RETURN(Column c, ToColumn(a[0]));
         std::vector<uint32_t> keep;
         std::set<std::string> seen;
         for (uint32_t i = 0; i < c.size(); ++i) {
           if (seen.insert(FormatScalar(c.Get(i)) + (c.IsNull(i) ? "\x01" : "")).second)
             keep.push_back(i);
         }
         return Value::Vector(c.Gather(keep));
       }});
  r.Register({"sort",
              {"X", "ascending"},
              1,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(Column c, ToColumn(a[0]));
                bool ascending = a[1].is_void() || a[1].scalar().ToInt64() != 0;
                std::vector<uint32_t> order(c.size());
                for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
                std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
                  return ascending ? c.Get(x) < c.Get(y) : c.Get(y) < c.Get(x);
                });
                return Value::Vector(c.Gather(order));
              }});
  // concat(X, Y): the strings of X and Y joined, element by element (a scalar goes with every
  // element of a vector). A NULL string joins as empty; other types join as their text.
  r.Register(
      {"concat", {"X", "Y"}, 2, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
         ASSIGN_OR_RETURN(Column x, ToColumn(a[0]));
         ASSIGN_OR_RETURN(Column y, ToColumn(a[1]));
         size_t n = std::max(x.size(), y.size());
         if ((x.size() != n && x.size() != 1) || (y.size() != n && y.size() != 1)) {
           return InvalidArgument("concat needs vectors of one length, got " +
                                  std::to_string(x.size()) + " and " + std::to_string(y.size()));
         }
         auto text = [](const Scalar& s) {
           if (IsStringLike(s.type())) return s.string_value();
           return s.is_null() ? std::string() : FormatScalar(s);
         };
         Column out(Type::kString);
         for (size_t i = 0; i < n; ++i) {
           out.Append(Scalar::String(Type::kString, text(x.Get(x.size() == 1 ? 0 : i)) +
                                                        text(y.Get(y.size() == 1 ? 0 : i))));
         }
         if (a[0].is_scalar() && a[1].is_scalar()) return Value(out.Get(0));
         return Value::Vector(std::move(out));
       }});
  r.Register({"abs", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                return MapElements(a[0], [](const Column& c) -> Result<Column> {
                  if (!IsNumeric(c.type()))
                    return InvalidArgument(std::string("abs needs numbers, got ") +
                                           TypeName(c.type()));
                  Column out(c.type());
                  for (size_t i = 0; i < c.size(); ++i) {
                    Scalar s = c.Get(i);
                    if (s.is_null())
                      out.AppendNull();
                    else if (IsFloating(c.type()))
                      out.Append(Scalar::Float(c.type(), std::abs(s.float_value())));
                    else
                      out.Append(Scalar::Int(c.type(), std::abs(s.int_value())));
                  }
                  return out;
                });
              }});
  r.Register({"columnNames",
              {"table"},
              1,
              false,
              [](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                if (!a[0].is_table())
                  return InvalidArgument("columnNames needs a table, got a " + a[0].Describe());
                Column out(Type::kString);
                for (const auto& f : a[0].table()->schema().fields())
                  out.Append(Scalar::String(Type::kString, f.name));
                return Value::Vector(std::move(out));
              }});
}

}  // namespace

namespace {

// The operators by their function names (add(1, 2) is 1 + 2), as DolphinDB has them: what a
// client calls by name (the JavaScript API's invoke("add", [1, 1])) or passes as a function.
void RegisterOperatorFunctions(FunctionRegistry& r) {
  const std::pair<const char*, BinaryOp> binary[] = {
      {"add", BinaryOp::kAdd},  {"sub", BinaryOp::kSub}, {"mul", BinaryOp::kMul},
      {"div", BinaryOp::kDiv},  {"mod", BinaryOp::kMod}, {"eq", BinaryOp::kEq},
      {"ne", BinaryOp::kNe},    {"lt", BinaryOp::kLt},   {"le", BinaryOp::kLe},
      {"gt", BinaryOp::kGt},    {"ge", BinaryOp::kGe},   {"and", BinaryOp::kAnd},
      {"or", BinaryOp::kOr},    {"in", BinaryOp::kIn},   {"between", BinaryOp::kBetween},
      {"like", BinaryOp::kLike}};
  for (const auto& [name, op] : binary) {
    r.Register({name, {"X", "Y"}, 2, false, [op = op](EvalContext&, std::vector<Value>& a) {
                  return ApplyBinary(op, a[0], a[1]);
                }});
  }
  r.Register({"neg", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) {
                return ApplyUnary(UnaryOp::kNeg, a[0]);
              }});
  r.Register({"not", {"X"}, 1, false, [](EvalContext&, std::vector<Value>& a) {
                return ApplyUnary(UnaryOp::kNot, a[0]);
              }});
}

}  // namespace

void RegisterCoreFunctions(FunctionRegistry& registry) {
  RegisterOperatorFunctions(registry);
  RegisterAggregates(registry);
  RegisterConstruction(registry);
  RegisterConversions(registry);
  RegisterUtilities(registry);
  RegisterTemporalFunctions(registry);
  RegisterTextFunctions(registry);
}

}  // namespace strata
