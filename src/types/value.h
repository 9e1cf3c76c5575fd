// Value: what a script expression evaluates to — a scalar, a typed vector, a pair, a tuple (a
// vector of values of any form, DolphinDB's ANY vector), a dictionary, a table, or an opaque
// Object (functions, database and table handles, metacode) defined by higher modules.
// Values are immutable; copying shares the underlying column/table/tuple.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "types/column.h"
#include "types/scalar.h"
#include "types/table.h"

namespace strata {

enum class Form : uint8_t { kScalar, kVector, kPair, kTuple, kDictionary, kTable, kObject };

// Base of values that higher modules define. Immutable.
class Object {
 public:
  virtual ~Object() = default;
  // A short kind name for messages ("database handle", "function").
  virtual std::string KindName() const = 0;
  // How the value prints.
  virtual std::string ToString() const = 0;
};

class Value;
using Tuple = std::vector<Value>;

// Insertion-ordered dictionary with scalar keys.
struct Dictionary {
  std::vector<std::pair<Scalar, Value>> entries;
  const Value* Find(const Scalar& key) const;
};

class Value {
 public:
  Value() = default;     // the VOID NULL scalar
  Value(Scalar scalar);  // NOLINT(google-explicit-constructor)

  static Value Vector(ColumnPtr column);
  static Value Vector(Column column);
  static Value Pair(Column two_values);
  static Value MakeTuple(Tuple elements);
  static Value MakeDictionary(Dictionary dictionary);
  static Value MakeTable(TablePtr table);
  static Value MakeObject(std::shared_ptr<const Object> object);

  Form form() const { return form_; }
  bool is_scalar() const { return form_ == Form::kScalar; }
  bool is_vector() const { return form_ == Form::kVector; }
  bool is_pair() const { return form_ == Form::kPair; }
  bool is_tuple() const { return form_ == Form::kTuple; }
  bool is_dictionary() const { return form_ == Form::kDictionary; }
  bool is_table() const { return form_ == Form::kTable; }
  bool is_object() const { return form_ == Form::kObject; }
  // True for the untyped NULL (an omitted argument or `NULL`).
  bool is_void() const { return form_ == Form::kScalar && scalar_.type() == Type::kVoid; }

  // The element type for scalars, vectors and pairs; VOID otherwise.
  Type type() const;
  // Elements of a vector/pair/tuple, rows of a table, 1 for a scalar.
  size_t size() const;

  const Scalar& scalar() const { return scalar_; }
  const ColumnPtr& column() const { return column_; }  // vector and pair
  const Tuple& tuple() const { return *tuple_; }
  const Dictionary& dictionary() const { return *dictionary_; }
  const TablePtr& table() const { return table_; }
  const std::shared_ptr<const Object>& object() const { return object_; }

  // A short description of the form and type for error messages ("INT vector", "table").
  std::string Describe() const;

 private:
  Form form_ = Form::kScalar;
  Scalar scalar_;
  ColumnPtr column_;
  std::shared_ptr<const Tuple> tuple_;
  std::shared_ptr<const Dictionary> dictionary_;
  TablePtr table_;
  std::shared_ptr<const Object> object_;
};

}  // namespace strata
