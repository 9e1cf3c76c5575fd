#include "types/column.h"

#include <algorithm>

#include "base/check.h"

namespace strata {

ColumnData MakeColumnData(Type type) {
  switch (StorageOf(type)) {
    case Storage::kInt8:
      return std::vector<int8_t>();
    case Storage::kInt16:
      return std::vector<int16_t>();
    case Storage::kInt32:
      return std::vector<int32_t>();
    case Storage::kInt64:
      return std::vector<int64_t>();
    case Storage::kFloat32:
      return std::vector<float>();
    case Storage::kFloat64:
      return std::vector<double>();
    case Storage::kString:
      return std::vector<std::string>();
  }
  STRATA_CHECK(false);
  return {};
}

Column::Column(Type type) : type_(type), data_(MakeColumnData(type)) {}

Column::Column(Type type, ColumnData data) : type_(type), data_(std::move(data)) {
  STRATA_CHECK(data_.index() == MakeColumnData(type).index());
}

size_t Column::size() const {
  return std::visit([](const auto& v) { return v.size(); }, data_);
}

Scalar Column::Get(size_t row) const {
  return std::visit(
      [&](const auto& v) -> Scalar {
        using T = typename std::decay_t<decltype(v)>::value_type;
        const T& x = v[row];
        if (IsNullValue(x)) return Scalar::Null(type_);
        if constexpr (std::is_same_v<T, std::string>) {
          return Scalar::String(type_, x);
        } else if constexpr (std::is_floating_point_v<T>) {
          return Scalar::Float(type_, x);
        } else {
          return Scalar::Int(type_, x);
        }
      },
      data_);
}

bool Column::IsNull(size_t row) const {
  return std::visit([&](const auto& v) { return IsNullValue(v[row]); }, data_);
}

bool Column::HasNull() const {
  return std::visit(
      [](const auto& v) {
        return std::any_of(v.begin(), v.end(), [](const auto& x) { return IsNullValue(x); });
      },
      data_);
}

void Column::Append(const Scalar& value) {
  if (value.is_null()) {
    AppendNull();
    return;
  }
  STRATA_CHECK(StorageOf(value.type()) == StorageOf(type_));
  std::visit(
      [&](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          v.push_back(value.string_value());
        } else if constexpr (std::is_floating_point_v<T>) {
          v.push_back(static_cast<T>(value.float_value()));
        } else {
          v.push_back(static_cast<T>(value.int_value()));
        }
      },
      data_);
}

void Column::AppendNull() {
  std::visit(
      [&](auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          v.emplace_back();
        } else if constexpr (std::is_same_v<T, float>) {
          v.push_back(kNullFloat);
        } else if constexpr (std::is_same_v<T, double>) {
          v.push_back(kNullDouble);
        } else {
          v.push_back(std::numeric_limits<T>::min());
        }
      },
      data_);
}

void Column::AppendRange(const Column& other, size_t begin, size_t end) {
  STRATA_CHECK(other.data_.index() == data_.index() && begin <= end && end <= other.size());
  std::visit(
      [&](auto& v) {
        using V = std::decay_t<decltype(v)>;
        const V& src = std::get<V>(other.data_);
        v.insert(v.end(), src.begin() + begin, src.begin() + end);
      },
      data_);
}

void Column::Reserve(size_t n) {
  std::visit([&](auto& v) { v.reserve(n); }, data_);
}

void Column::Resize(size_t n) {
  std::visit([&](auto& v) { v.resize(n); }, data_);
}

Column Column::Gather(const std::vector<uint32_t>& indices) const {
  Column out(type_);
  std::visit(
      [&](auto& dst) {
        using V = std::decay_t<decltype(dst)>;
        const V& src = std::get<V>(data_);
        dst.resize(indices.size());
        for (size_t i = 0; i < indices.size(); ++i) dst[i] = src[indices[i]];
      },
      out.data_);
  return out;
}

Column Column::Slice(size_t begin, size_t end) const {
  Column out(type_);
  out.AppendRange(*this, begin, end);
  return out;
}

size_t Column::MemoryBytes() const {
  return std::visit(
      [](const auto& v) -> size_t {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          size_t total = 0;
          for (const auto& s : v) total += s.size() + 1;
          return total;
        } else {
          return v.size() * sizeof(T);
        }
      },
      data_);
}

}  // namespace strata
