#include "types/value.h"

#include "base/check.h"

namespace strata {

const Value* Dictionary::Find(const Scalar& key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

Value::Value(Scalar scalar) : scalar_(std::move(scalar)) {}

Value Value::Vector(ColumnPtr column) {
  STRATA_CHECK(column != nullptr);
  Value v;
  v.form_ = Form::kVector;
  v.column_ = std::move(column);
  return v;
}

Value Value::Vector(Column column) {
  return Vector(std::make_shared<const Column>(std::move(column)));
}

Value Value::Pair(Column two_values) {
  STRATA_CHECK(two_values.size() == 2);
  Value v = Vector(std::move(two_values));
  v.form_ = Form::kPair;
  return v;
}

Value Value::MakeTuple(Tuple elements) {
  Value v;
  v.form_ = Form::kTuple;
  v.tuple_ = std::make_shared<const Tuple>(std::move(elements));
  return v;
}

Value Value::MakeDictionary(Dictionary dictionary) {
  Value v;
  v.form_ = Form::kDictionary;
  v.dictionary_ = std::make_shared<const Dictionary>(std::move(dictionary));
  return v;
}

Value Value::MakeTable(TablePtr table) {
  STRATA_CHECK(table != nullptr);
  Value v;
  v.form_ = Form::kTable;
  v.table_ = std::move(table);
  return v;
}

Value Value::MakeObject(std::shared_ptr<const Object> object) {
  STRATA_CHECK(object != nullptr);
  Value v;
  v.form_ = Form::kObject;
  v.object_ = std::move(object);
  return v;
}

Type Value::type() const {
  switch (form_) {
    case Form::kScalar:
      return scalar_.type();
    case Form::kVector:
    case Form::kPair:
      return column_->type();
    default:
      return Type::kVoid;
  }
}

size_t Value::size() const {
  switch (form_) {
    case Form::kScalar:
      return 1;
    case Form::kVector:
    case Form::kPair:
      return column_->size();
    case Form::kTuple:
      return tuple_->size();
    case Form::kDictionary:
      return dictionary_->entries.size();
    case Form::kTable:
      return table_->rows();
    case Form::kObject:
      return 1;
  }
  return 0;
}

std::string Value::Describe() const {
  switch (form_) {
    case Form::kScalar:
      return is_void() ? std::string("NULL") : std::string(TypeName(type())) + " scalar";
    case Form::kVector:
      return std::string(TypeName(type())) + " vector";
    case Form::kPair:
      return std::string(TypeName(type())) + " pair";
    case Form::kTuple:
      return "tuple";
    case Form::kDictionary:
      return "dictionary";
    case Form::kTable:
      return "table";
    case Form::kObject:
      return object_->KindName();
  }
  return "value";
}

}  // namespace strata
