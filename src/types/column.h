// Column: a typed vector of values stored contiguously in its storage class (int8 … int64,
// float, double, std::string); NULLs are sentinel values. Columns are mutable while built and
// shared as ColumnPtr (shared_ptr<const Column>) once finished, so values and tables can be
// copied without copying data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "base/check.h"
#include "types/scalar.h"
#include "types/type.h"

namespace strata {

using ColumnData = std::variant<std::vector<int8_t>, std::vector<int16_t>, std::vector<int32_t>,
                                std::vector<int64_t>, std::vector<float>, std::vector<double>,
                                std::vector<std::string>>;

class Column {
 public:
  explicit Column(Type type);
  Column(Type type, ColumnData data);

  Type type() const { return type_; }
  size_t size() const;
  bool empty() const { return size() == 0; }

  // Typed access; T must be the storage class of type(). Another T is a bug: CHECKed (it
  // stops the process with the place), never an exception.
  template <typename T>
  const std::vector<T>& values() const {
    const auto* values = std::get_if<std::vector<T>>(&data_);
    STRATA_CHECK(values != nullptr);
    return *values;
  }
  template <typename T>
  std::vector<T>& mutable_values() {
    auto* values = std::get_if<std::vector<T>>(&data_);
    STRATA_CHECK(values != nullptr);
    return *values;
  }
  const ColumnData& data() const { return data_; }
  ColumnData& mutable_data() { return data_; }

  Scalar Get(size_t row) const;
  bool IsNull(size_t row) const;
  // Whether any row is NULL (one pass over the values, no Scalar per row).
  bool HasNull() const;
  // Appends `value`, which must already have this column's type, or be NULL (CHECKed).
  void Append(const Scalar& value);
  void AppendNull();
  // Appends rows [begin, end) of `other`, which has the same storage class.
  void AppendRange(const Column& other, size_t begin, size_t end);
  void Reserve(size_t n);
  void Resize(size_t n);

  // A new column of the rows at `indices`, in that order.
  Column Gather(const std::vector<uint32_t>& indices) const;
  Column Slice(size_t begin, size_t end) const;

  // Approximate bytes held (strings count their characters).
  size_t MemoryBytes() const;

 private:
  Type type_;
  ColumnData data_;
};

using ColumnPtr = std::shared_ptr<const Column>;

// Makes an empty ColumnData of the storage class of `type`.
ColumnData MakeColumnData(Type type);

}  // namespace strata
