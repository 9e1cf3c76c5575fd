#include "query/aggregate.h"

#include <limits>

#include "base/strings.h"

namespace strata {

std::optional<AggregateKind> AggregateFromName(std::string_view name) {
  static const std::pair<const char*, AggregateKind> kNames[] = {
      {"count", AggregateKind::kCount}, {"sum", AggregateKind::kSum},
      {"avg", AggregateKind::kAvg},     {"mean", AggregateKind::kAvg},
      {"min", AggregateKind::kMin},     {"max", AggregateKind::kMax},
      {"first", AggregateKind::kFirst}, {"last", AggregateKind::kLast},
  };
  for (const auto& [n, kind] : kNames) {
    if (name == n) return kind;
  }
  return std::nullopt;
}

namespace {

bool NeedsNumbers(AggregateKind kind) {
  return kind == AggregateKind::kSum || kind == AggregateKind::kAvg;
}

Type SumType(Type t) { return IsFloating(t) ? Type::kDouble : Type::kLong; }

// The LONG value of an integer sum, or an error saying how to sum without overflow.
Result<int64_t> FitLong(__int128 sum) {
  if (sum > std::numeric_limits<int64_t>::max() || sum <= std::numeric_limits<int64_t>::min()) {
    return InvalidArgument(
        "the sum does not fit a LONG; sum the values as DOUBLE instead, "
        "e.g. sum(double(x))");
  }
  return static_cast<int64_t>(sum);
}

}  // namespace

Status AggregateState::Update(const Column& column) {
  if (type_ == Type::kVoid) type_ = column.type();
  if (NeedsNumbers(kind_) && !IsNumeric(column.type())) {
    return InvalidArgument(std::string("cannot compute ") +
                           (kind_ == AggregateKind::kSum ? "sum" : "avg") + " of " +
                           TypeName(column.type()) + " values");
  }
  std::visit(
      [&](const auto& values) {
        using T = typename std::decay_t<decltype(values)>::value_type;
        const size_t n = values.size();
        switch (kind_) {
          case AggregateKind::kCount: {
            uint64_t c = 0;
            for (size_t i = 0; i < n; ++i) c += !IsNullValue(values[i]);
            count_ += c;
            break;
          }
          case AggregateKind::kSum:
          case AggregateKind::kAvg: {
            if constexpr (std::is_same_v<T, std::string>) {
              break;
            } else if constexpr (std::is_floating_point_v<T>) {
              double s = 0;
              uint64_t c = 0;
              for (size_t i = 0; i < n; ++i) {
                const bool valid = !IsNullValue(values[i]);
                s += valid ? static_cast<double>(values[i]) : 0.0;
                c += valid;
              }
              float_sum_ += s;
              count_ += c;
            } else {
              __int128 s = 0;
              uint64_t c = 0;
              for (size_t i = 0; i < n; ++i) {
                const bool valid = !IsNullValue(values[i]);
                s += valid ? static_cast<int64_t>(values[i]) : 0;
                c += valid;
              }
              int_sum_ += s;
              count_ += c;
            }
            break;
          }
          case AggregateKind::kMin:
          case AggregateKind::kMax: {
            bool want_min = kind_ == AggregateKind::kMin;
            const T* best = nullptr;
            for (size_t i = 0; i < n; ++i) {
              if (IsNullValue(values[i])) continue;
              if (best == nullptr || (want_min ? values[i] < *best : values[i] > *best)) {
                best = &values[i];
              }
            }
            if (best != nullptr) {
              Scalar candidate = column.Get(static_cast<size_t>(best - values.data()));
              if (!has_best_ || (want_min ? candidate < best_ : best_ < candidate)) {
                best_ = candidate;
                has_best_ = true;
              }
            }
            break;
          }
          case AggregateKind::kFirst:
            if (!has_best_ && n > 0) {
              best_ = column.Get(0);
              has_best_ = true;
            }
            break;
          case AggregateKind::kLast:
            if (n > 0) {
              best_ = column.Get(n - 1);
              has_best_ = true;
            }
            break;
        }
      },
      column.data());
  return Status::Ok();
}

void AggregateState::Merge(const AggregateState& later) {
  if (type_ == Type::kVoid) type_ = later.type_;
  count_ += later.count_;
  int_sum_ += later.int_sum_;
  float_sum_ += later.float_sum_;
  if (!later.has_best_) return;
  bool take = !has_best_;
  switch (kind_) {
    case AggregateKind::kMin:
      take = take || later.best_ < best_;
      break;
    case AggregateKind::kMax:
      take = take || best_ < later.best_;
      break;
    case AggregateKind::kLast:
      take = true;
      break;
    default:
      break;
  }
  if (take) {
    best_ = later.best_;
    has_best_ = true;
  }
}

Result<Scalar> AggregateState::Finish() const {
  switch (kind_) {
    case AggregateKind::kCount:
      return Scalar::Int(Type::kLong, static_cast<int64_t>(count_));
    case AggregateKind::kSum: {
      Type t = SumType(type_ == Type::kVoid ? Type::kDouble : type_);
      if (count_ == 0) return Scalar::Null(t);
      if (t == Type::kDouble) return Scalar::Float(t, float_sum_);
      ASSIGN_OR_RETURN(int64_t sum, FitLong(int_sum_));
      return Scalar::Int(t, sum);
    }
    case AggregateKind::kAvg: {
      if (count_ == 0) return Scalar::Null(Type::kDouble);
      double total = IsFloating(type_) ? float_sum_ : static_cast<double>(int_sum_);
      return Scalar::Float(Type::kDouble, total / static_cast<double>(count_));
    }
    default:
      if (!has_best_) return Scalar::Null(type_ == Type::kVoid ? Type::kDouble : type_);
      return best_;
  }
}

Result<Scalar> Aggregate(AggregateKind kind, const Column& column) {
  AggregateState state(kind);
  RETURN_IF_ERROR(state.Update(column));
  return state.Finish();
}

Result<Column> AggregateGrouped(AggregateKind kind, const Column& column,
                                const std::vector<uint32_t>& group_of_row, size_t group_count) {
  if (NeedsNumbers(kind) && !IsNumeric(column.type())) {
    return InvalidArgument(std::string("cannot aggregate ") + TypeName(column.type()) +
                           " values with sum/avg");
  }
  // Fast vectorized paths for count/sum/avg on numbers; generic per-group states otherwise.
  if (kind == AggregateKind::kCount || NeedsNumbers(kind)) {
    std::vector<double> fsum(group_count, 0);
    std::vector<__int128> isum(group_count, 0);
    std::vector<uint64_t> count(group_count, 0);
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          for (size_t i = 0; i < values.size(); ++i) {
            if (IsNullValue(values[i])) continue;
            uint32_t g = group_of_row[i];
            ++count[g];
            if constexpr (std::is_floating_point_v<T>) {
              fsum[g] += values[i];
            } else if constexpr (!std::is_same_v<T, std::string>) {
              isum[g] += values[i];
            }
          }
        },
        column.data());
    Type out_type = kind == AggregateKind::kCount ? Type::kLong
                    : kind == AggregateKind::kAvg ? Type::kDouble
                                                  : SumType(column.type());
    Column out(out_type);
    for (size_t g = 0; g < group_count; ++g) {
      if (kind == AggregateKind::kCount) {
        out.Append(Scalar::Int(Type::kLong, static_cast<int64_t>(count[g])));
      } else if (count[g] == 0) {
        out.AppendNull();
      } else if (kind == AggregateKind::kAvg) {
        double total = IsFloating(column.type()) ? fsum[g] : static_cast<double>(isum[g]);
        out.Append(Scalar::Float(Type::kDouble, total / static_cast<double>(count[g])));
      } else if (out_type == Type::kDouble) {
        out.Append(Scalar::Float(Type::kDouble, fsum[g]));
      } else {
        ASSIGN_OR_RETURN(int64_t sum, FitLong(isum[g]));
        out.Append(Scalar::Int(Type::kLong, sum));
      }
    }
    return out;
  }
  std::vector<std::vector<uint32_t>> rows(group_count);
  for (uint32_t i = 0; i < group_of_row.size(); ++i) rows[group_of_row[i]].push_back(i);
  Column out(column.type());
  for (size_t g = 0; g < group_count; ++g) {
    ASSIGN_OR_RETURN(Scalar s, Aggregate(kind, column.Gather(rows[g])));
    out.Append(s);
  }
  return out;
}

}  // namespace strata
