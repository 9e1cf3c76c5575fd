#include "server/ddb_codec.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "base/strings.h"
#include "types/format.h"

namespace strata::ddb {

static_assert(std::endian::native == std::endian::little,
              "the wire is little-endian and columns are copied as they are");

namespace {

constexpr size_t kMaxEncodeDepth = 64;

std::string FormName(uint8_t form) {
  static const char* const kNames[] = {"scalar",     "vector", "pair",  "matrix", "set",
                                       "dictionary", "table",  "chart", "chunk",  "system object"};
  return form < std::size(kNames) ? kNames[form] : "form " + std::to_string(form);
}

std::string TypeLabel(uint8_t type) {
  if (type <= static_cast<uint8_t>(Type::kString)) return TypeName(static_cast<Type>(type));
  switch (type) {
    case kTypeFunctionDef:
      return "FUNCTIONDEF";
    case kTypeHandle:
      return "HANDLE";
    case kTypeAny:
      return "ANY";
    case 26:
      return "COMPRESSED";
    case 28:
      return "DATEHOUR";
    case 37:
    case 38:
    case 39:
      return "DECIMAL";
    default:
      return "type " + std::to_string(type);
  }
}

// ---- encoding

class Encoder {
 public:
  explicit Encoder(std::string& out, const Pieces* pieces = nullptr) : out_(out), pieces_(pieces) {}

  // In pieces: hands `out_` on once it holds a piece.
  Status Spill() {
    if (pieces_ == nullptr || !pieces_->send || out_.size() < pieces_->piece_bytes) {
      return Status::Ok();
    }
    return pieces_->send(out_);
  }

  Status Object(const Value& value, size_t depth) {
    if (depth > kMaxEncodeDepth) {
      return InvalidArgument("a value nested more than " + std::to_string(kMaxEncodeDepth) +
                             " levels deep cannot be sent");
    }
    switch (value.form()) {
      case Form::kScalar:
        return Scalar(value.scalar());
      case Form::kVector:
        return Vector(*value.column());
      case Form::kPair:
        return Pair(*value.column());
      case Form::kTuple:
        return Tuple(value.tuple(), depth);
      case Form::kDictionary:
        return Dictionary(value.dictionary(), depth);
      case Form::kTable:
        return Table(*value.table());
      case Form::kObject:
        Flag(kTypeHandle, WireForm::kScalar);
        return Text(value.object()->ToString());
    }
    return Internal("a value of an unknown form");
  }

 private:
  void Flag(uint8_t type, WireForm form) {
    out_.push_back(static_cast<char>(type));
    out_.push_back(static_cast<char>(form));
  }
  template <typename T>
  void Put(T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    out_.append(bytes, sizeof(T));
  }
  Status Count(size_t n) {
    if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return InvalidArgument("a value of " + std::to_string(n) +
                             " elements is too large to send (at most 2^31 - 1)");
    }
    Put(static_cast<int32_t>(n));
    return Status::Ok();
  }
  Status Text(std::string_view text) {
    if (text.find('\0') != std::string_view::npos) {
      return InvalidArgument("a string holding a NUL byte cannot be sent: " +
                             Quote(text.substr(0, text.find('\0'))) + "...");
    }
    out_.append(text);
    out_.push_back('\0');
    return Status::Ok();
  }

  Status Scalar(const strata::Scalar& s) {
    const Type type = s.type();
    if (type == Type::kVoid) {
      Flag(0, WireForm::kScalar);
      out_.push_back('\x01');  // NULL
      return Status::Ok();
    }
    // A SYMBOL scalar goes out as plain text of type SYMBOL; only vectors carry a base.
    Flag(static_cast<uint8_t>(type), WireForm::kScalar);
    return ScalarPayload(s);
  }
  Status ScalarPayload(const strata::Scalar& s) {
    const bool null = s.is_null();
    switch (StorageOf(s.type())) {
      case Storage::kInt8:
        Put(null ? kNullInt8 : static_cast<int8_t>(s.int_value()));
        break;
      case Storage::kInt16:
        Put(null ? kNullInt16 : static_cast<int16_t>(s.int_value()));
        break;
      case Storage::kInt32:
        Put(null ? kNullInt32 : static_cast<int32_t>(s.int_value()));
        break;
      case Storage::kInt64:
        Put(null ? kNullInt64 : s.int_value());
        break;
      case Storage::kFloat32:
        Put(null || std::isnan(s.float_value()) ? kNullFloat : static_cast<float>(s.float_value()));
        break;
      case Storage::kFloat64:
        Put(null || std::isnan(s.float_value()) ? kNullDouble : s.float_value());
        break;
      case Storage::kString:
        return Text(s.string_value());
    }
    return Status::Ok();
  }

  // The values of `column` (no flag, no counts); SYMBOL as plain strings.
  Status Payload(const Column& column) {
    switch (StorageOf(column.type())) {
      case Storage::kInt8:
        if (column.type() != Type::kVoid) Bytes(column.values<int8_t>());
        return Status::Ok();
      case Storage::kInt16:
        Bytes(column.values<int16_t>());
        return Status::Ok();
      case Storage::kInt32:
        Bytes(column.values<int32_t>());
        return Status::Ok();
      case Storage::kInt64:
        Bytes(column.values<int64_t>());
        return Status::Ok();
      case Storage::kFloat32:
        Floats(column.values<float>(), kNullFloat);
        return Status::Ok();
      case Storage::kFloat64:
        Floats(column.values<double>(), kNullDouble);
        return Status::Ok();
      case Storage::kString:
        for (const auto& s : column.values<std::string>()) {
          RETURN_IF_ERROR(Text(s));
          RETURN_IF_ERROR(Spill());
        }
        return Status::Ok();
    }
    return Status::Ok();
  }

  template <typename T>
  void Bytes(const std::vector<T>& values) {
    if (values.empty()) return;  // data() may be null
    out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  // Strata counts NaN as NULL: it goes out as the sentinel, which clients show as null.
  template <typename T>
  void Floats(const std::vector<T>& values, T null) {
    const size_t start = out_.size();
    Bytes(values);
    for (size_t i = 0; i < values.size(); ++i) {
      if (std::isnan(values[i])) std::memcpy(&out_[start + i * sizeof(T)], &null, sizeof(T));
    }
  }

  Status Vector(const Column& column) {
    if (column.type() == Type::kSymbol) return SymbolVector(column);
    Flag(static_cast<uint8_t>(column.type()), WireForm::kVector);
    RETURN_IF_ERROR(Count(column.size()));
    Put(int32_t{1});
    return Payload(column);
  }
  // Type 145: the distinct strings (NULL, "", first, so that code 0 is NULL), then a code per
  // row. Bases are numbered within the top-level object, each sent once.
  Status SymbolVector(const Column& column) {
    Flag(kTypeSymbolWithBase, WireForm::kVector);
    RETURN_IF_ERROR(Count(column.size()));
    Put(int32_t{1});
    const auto& values = column.values<std::string>();
    std::unordered_map<std::string_view, int32_t> codes{{"", 0}};
    std::vector<std::string_view> base{""};
    std::vector<int32_t> rows;
    rows.reserve(values.size());
    for (const auto& v : values) {
      auto [it, added] = codes.try_emplace(v, static_cast<int32_t>(base.size()));
      if (added) base.push_back(v);
      rows.push_back(it->second);
    }
    Put(next_base_++);
    RETURN_IF_ERROR(Count(base.size()));
    for (auto s : base) RETURN_IF_ERROR(Text(s));
    Bytes(rows);
    return Status::Ok();
  }
  Status Pair(const Column& column) {
    // SYMBOL pairs go out as STRING: a base is a vector's.
    const Type type = column.type() == Type::kSymbol ? Type::kString : column.type();
    Flag(static_cast<uint8_t>(type), WireForm::kPair);
    Put(int32_t{2});
    Put(int32_t{1});
    return Payload(column);
  }
  Status Tuple(const strata::Tuple& elements, size_t depth) {
    Flag(kTypeAny, WireForm::kVector);
    RETURN_IF_ERROR(Count(elements.size()));
    Put(int32_t{1});
    for (const auto& e : elements) {
      RETURN_IF_ERROR(Object(e, depth + 1));
      RETURN_IF_ERROR(Spill());
    }
    return Status::Ok();
  }
  // Keys as a vector of their common type (SYMBOL, which the C++ client refuses as keys, and
  // mixed types as STRING text); values as a typed vector when all are scalars of one type,
  // else an ANY vector. The flag carries the values' type.
  Status Dictionary(const strata::Dictionary& dictionary, size_t depth) {
    const auto& entries = dictionary.entries;
    bool one_key_type = true, scalar_values = true;
    for (const auto& [key, value] : entries) {
      one_key_type = one_key_type && key.type() == entries.front().first.type();
      scalar_values = scalar_values && value.is_scalar() && !value.is_void() &&
                      value.type() == entries.front().second.type();
    }
    Type key_type = entries.empty() ? Type::kString : entries.front().first.type();
    if (!one_key_type || key_type == Type::kSymbol || key_type == Type::kVoid) {
      key_type = Type::kString;
    }
    Column keys(key_type);
    for (const auto& [key, value] : entries) {
      keys.Append(
          key.type() == key_type ? key : strata::Scalar::String(Type::kString, FormatScalar(key)));
    }
    if (entries.empty() || !scalar_values) {
      Flag(kTypeAny, WireForm::kDictionary);
      RETURN_IF_ERROR(Vector(keys));
      strata::Tuple values;
      for (const auto& [key, value] : entries) values.push_back(value);
      return Tuple(values, depth);
    }
    Type value_type = entries.front().second.type();
    if (value_type == Type::kSymbol) value_type = Type::kString;
    Column values(value_type);
    for (const auto& [key, value] : entries) {
      const strata::Scalar& s = value.scalar();
      values.Append(s.type() == value_type ? s
                                           : strata::Scalar::String(value_type, FormatScalar(s)));
    }
    Flag(static_cast<uint8_t>(value_type), WireForm::kDictionary);
    RETURN_IF_ERROR(Vector(keys));
    return Vector(values);
  }
  Status Table(const strata::Table& table) {
    if (table.column_count() == 0) {
      return InvalidArgument("a table without columns cannot be sent (the clients refuse it)");
    }
    Flag(0, WireForm::kTable);
    RETURN_IF_ERROR(Count(table.rows()));
    RETURN_IF_ERROR(Count(table.column_count()));
    RETURN_IF_ERROR(Text(""));  // no name
    for (const auto& field : table.schema().fields()) RETURN_IF_ERROR(Text(field.name));
    for (const auto& column : table.columns()) {
      RETURN_IF_ERROR(Vector(*column));
      RETURN_IF_ERROR(Spill());
    }
    return Status::Ok();
  }

  std::string& out_;
  const Pieces* pieces_;
  int32_t next_base_ = 0;
};

// ---- decoding

// The input ended inside the object: not an error of the object, a reason to read on.
Status Short() { return Status(StatusCode::kUnavailable, "the object continues past the input"); }
bool IsShort(const Status& s) { return s.code() == StatusCode::kUnavailable; }

class Decoder {
 public:
  // `memory`: what earlier objects of the request took; Charge adds to it.
  Decoder(std::string_view in, size_t pos, const DecodeLimits& limits,
          std::map<int32_t, std::vector<std::string>>& bases, size_t memory)
      : in_(in), pos_(pos), limits_(limits), bases_(bases), memory_(memory) {}
  size_t pos() const { return pos_; }
  size_t memory() const { return memory_; }

  Result<Value> Object(size_t depth) {
    if (depth > limits_.max_depth) {
      return InvalidArgument("an object nested more than " + std::to_string(limits_.max_depth) +
                             " levels deep");
    }
    uint8_t type = 0, form = 0;
    RETURN_IF_ERROR(Get(&type));
    RETURN_IF_ERROR(Get(&form));
    switch (static_cast<WireForm>(form)) {
      case WireForm::kScalar:
        return ScalarObject(type);
      case WireForm::kVector:
        return VectorObject(type, depth);
      case WireForm::kPair: {
        ASSIGN_OR_RETURN(Column column, Elements(type, /*pair=*/true));
        return Value::Pair(std::move(column));
      }
      case WireForm::kSet: {  // a whole vector of the keys follows; a set becomes a vector
        ASSIGN_OR_RETURN(Value keys, Object(depth + 1));
        if (!keys.is_vector()) return InvalidArgument("a set whose keys are not a vector");
        return keys;
      }
      case WireForm::kDictionary:
        return DictionaryObject(depth);
      case WireForm::kTable:
        return TableObject(depth);
      default:
        return Unimplemented("a " + FormName(form) + " (of " + TypeLabel(type) +
                             ") has no Strata value");
    }
  }

 private:
  template <typename T>
  Status Get(T* v) {
    if (in_.size() - pos_ < sizeof(T)) return Short();
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return Status::Ok();
  }
  Status GetText(std::string* s) {
    size_t end = in_.find('\0', pos_);
    if (end == std::string_view::npos) return Short();
    s->assign(in_.data() + pos_, end - pos_);
    pos_ = end + 1;
    return Status::Ok();
  }
  // Counts `bytes` of memory the objects will take, before they are made.
  Status Charge(size_t bytes) {
    size_t budget = limits_.memory_base + limits_.memory_per_input_byte * in_.size();
    memory_ += bytes;
    if (memory_ <= budget) return Status::Ok();
    return InvalidArgument("the request's objects would take more than " +
                           std::to_string(budget >> 20) + " MiB of memory, " +
                           std::to_string(limits_.memory_per_input_byte) +
                           " times their size and more: send less in one request");
  }
  // A count of elements: non-negative and within the limit.
  Status GetCount(const char* what, size_t* n) {
    int32_t count = 0;
    RETURN_IF_ERROR(Get(&count));
    if (count < 0 || static_cast<size_t>(count) > limits_.max_elements) {
      return InvalidArgument(std::string("a ") + what + " of " + std::to_string(count) +
                             " elements (at most " + std::to_string(limits_.max_elements) + ")");
    }
    *n = static_cast<size_t>(count);
    return Status::Ok();
  }

  Result<Type> StrataType(uint8_t type, const char* form) {
    auto known = TypeFromId(type);
    if (!known) {
      return Unimplemented(std::string("a ") + form + " of " + TypeLabel(type) +
                           " has no Strata value");
    }
    return *known;
  }

  Result<Value> ScalarObject(uint8_t type) {
    if (type == kTypeFunctionDef) {  // <kind> <name>: the name, as text
      uint8_t kind = 0;
      std::string name;
      RETURN_IF_ERROR(Get(&kind));
      RETURN_IF_ERROR(GetText(&name));
      return Value(Scalar::String(Type::kString, std::move(name)));
    }
    if (type == kTypeHandle) {
      std::string text;
      RETURN_IF_ERROR(GetText(&text));
      return Value(Scalar::String(Type::kString, std::move(text)));
    }
    ASSIGN_OR_RETURN(Type t, StrataType(type, "scalar"));
    if (t == Type::kVoid) {
      uint8_t marker = 0;  // 0 nothing, 1 NULL, 2 default: all the untyped NULL here
      RETURN_IF_ERROR(Get(&marker));
      return Value();
    }
    ASSIGN_OR_RETURN(Column one, Values(t, 1));
    return Value(one.Get(0));
  }

  Result<Value> VectorObject(uint8_t type, size_t depth) {
    if (type == kTypeAny) {
      size_t rows = 0;
      RETURN_IF_ERROR(Shape("ANY vector", &rows));
      RETURN_IF_ERROR(Charge(rows * sizeof(Value)));
      strata::Tuple elements;
      for (size_t i = 0; i < rows; ++i) {
        ASSIGN_OR_RETURN(Value e, Object(depth + 1));
        elements.push_back(std::move(e));
      }
      return Value::MakeTuple(std::move(elements));
    }
    ASSIGN_OR_RETURN(Column column, Elements(type, /*pair=*/false));
    return Value::Vector(std::move(column));
  }

  // <rows> <cols = 1>
  Status Shape(const char* what, size_t* rows) {
    RETURN_IF_ERROR(GetCount(what, rows));
    int32_t cols = 0;
    RETURN_IF_ERROR(Get(&cols));
    if (cols != 1) {
      return InvalidArgument(std::string("a ") + what + " with " + std::to_string(cols) +
                             " columns (a vector has 1)");
    }
    return Status::Ok();
  }

  // The shape and values of a vector or pair of `type` (145: SYMBOL with its base).
  Result<Column> Elements(uint8_t type, bool pair) {
    const char* what = pair ? "pair" : "vector";
    size_t rows = 0;
    RETURN_IF_ERROR(Shape(what, &rows));
    if (pair && rows != 2) {
      return InvalidArgument("a pair of " + std::to_string(rows) + " elements (a pair has 2)");
    }
    if (type == kTypeSymbolWithBase) return SymbolValues(rows);
    ASSIGN_OR_RETURN(Type t, StrataType(type, what));
    return Values(t, rows);
  }

  Result<Column> Values(Type type, size_t rows) {
    Column column(type);
    switch (StorageOf(type)) {
      case Storage::kInt8:
        if (type == Type::kVoid) {  // no payload: NULLs
          RETURN_IF_ERROR(Charge(rows));
          column.mutable_values<int8_t>().assign(rows, kNullInt8);
          return column;
        }
        return Fixed<int8_t>(std::move(column), rows);
      case Storage::kInt16:
        return Fixed<int16_t>(std::move(column), rows);
      case Storage::kInt32:
        return Fixed<int32_t>(std::move(column), rows);
      case Storage::kInt64:
        return Fixed<int64_t>(std::move(column), rows);
      case Storage::kFloat32:
        return Fixed<float>(std::move(column), rows);
      case Storage::kFloat64:
        return Fixed<double>(std::move(column), rows);
      case Storage::kString: {
        auto& values = column.mutable_values<std::string>();
        for (size_t i = 0; i < rows; ++i) {
          std::string s;
          RETURN_IF_ERROR(GetText(&s));
          RETURN_IF_ERROR(Charge(sizeof(std::string) + s.size()));
          values.push_back(std::move(s));
        }
        return column;
      }
    }
    return Internal("a type without storage");
  }
  template <typename T>
  Result<Column> Fixed(Column column, size_t rows) {
    if ((in_.size() - pos_) / sizeof(T) < rows) return Short();  // before allocating
    RETURN_IF_ERROR(Charge(rows * sizeof(T)));
    auto& values = column.mutable_values<T>();
    values.resize(rows);
    if (rows > 0) std::memcpy(values.data(), in_.data() + pos_, rows * sizeof(T));
    pos_ += rows * sizeof(T);
    return column;
  }

  // <base id> <base size> <strings> <codes>: size 0 reuses the base the id had before in this
  // request; a size > 0 defines (or replaces) it.
  Result<Column> SymbolValues(size_t rows) {
    int32_t id = 0;
    size_t size = 0;
    RETURN_IF_ERROR(Get(&id));
    RETURN_IF_ERROR(GetCount("symbol base", &size));
    std::vector<std::string> defined;
    for (size_t i = 0; i < size; ++i) {
      std::string s;
      RETURN_IF_ERROR(GetText(&s));
      RETURN_IF_ERROR(Charge(sizeof(std::string) + s.size()));
      defined.push_back(std::move(s));
    }
    if ((in_.size() - pos_) / sizeof(int32_t) < rows) return Short();
    if (size > 0) {
      bases_[id] = std::move(defined);
    } else if (!bases_.count(id)) {
      return InvalidArgument("a SYMBOL vector refers to symbol base " + std::to_string(id) +
                             ", which no earlier object defined");
    }
    const std::vector<std::string>& base = bases_[id];
    Column column(Type::kSymbol);
    auto& values = column.mutable_values<std::string>();
    values.reserve(rows);
    for (size_t i = 0; i < rows; ++i) {
      int32_t code = 0;
      RETURN_IF_ERROR(Get(&code));
      if (code < 0 || static_cast<size_t>(code) >= base.size()) {
        return InvalidArgument("a SYMBOL vector's code " + std::to_string(code) +
                               " is outside its base of " + std::to_string(base.size()) +
                               " strings");
      }
      RETURN_IF_ERROR(Charge(sizeof(std::string) + base[static_cast<size_t>(code)].size()));
      values.push_back(base[static_cast<size_t>(code)]);
    }
    return column;
  }

  // <keys: a vector object> <values: a vector or ANY vector object>
  Result<Value> DictionaryObject(size_t depth) {
    ASSIGN_OR_RETURN(Value keys, Object(depth + 1));
    ASSIGN_OR_RETURN(Value values, Object(depth + 1));
    if (!keys.is_vector()) return InvalidArgument("a dictionary whose keys are not a vector");
    if (!values.is_vector() && !values.is_tuple()) {
      return InvalidArgument("a dictionary whose values are not a vector");
    }
    if (keys.size() != values.size()) {
      return InvalidArgument("a dictionary of " + std::to_string(keys.size()) + " keys and " +
                             std::to_string(values.size()) + " values");
    }
    RETURN_IF_ERROR(Charge(keys.size() * (sizeof(strata::Scalar) + sizeof(Value))));
    strata::Dictionary dictionary;
    for (size_t i = 0; i < keys.size(); ++i) {
      Value value = values.is_tuple() ? values.tuple()[i] : Value(values.column()->Get(i));
      dictionary.entries.emplace_back(keys.column()->Get(i), std::move(value));
    }
    return Value::MakeDictionary(std::move(dictionary));
  }

  // <rows> <cols> <name> <column names> <columns: vector objects>
  Result<Value> TableObject(size_t depth) {
    size_t rows = 0, cols = 0;
    RETURN_IF_ERROR(GetCount("table", &rows));
    RETURN_IF_ERROR(GetCount("table's column list", &cols));
    if (cols == 0) return InvalidArgument("a table without columns");
    std::string name;
    RETURN_IF_ERROR(GetText(&name));
    if (in_.size() - pos_ < cols) return Short();  // a name is a byte at least
    std::vector<std::string> names(cols);
    for (auto& n : names) RETURN_IF_ERROR(GetText(&n));
    Schema schema;
    std::vector<ColumnPtr> columns;
    for (size_t c = 0; c < cols; ++c) {
      ASSIGN_OR_RETURN(Value column, Object(depth + 1));
      if (!column.is_vector() || column.type() == Type::kVoid) {
        return InvalidArgument("column " + Quote(names[c]) + " of an uploaded table is a " +
                               column.Describe() + ", not a typed vector");
      }
      if (column.size() != rows) {
        return InvalidArgument("column " + Quote(names[c]) + " of an uploaded table has " +
                               std::to_string(column.size()) + " rows, the table " +
                               std::to_string(rows));
      }
      schema.Add(Field{names[c], column.type()});
      columns.push_back(column.column());
    }
    return Value::MakeTable(
        std::make_shared<const strata::Table>(std::move(schema), std::move(columns)));
  }

  std::string_view in_;
  size_t pos_;
  const DecodeLimits& limits_;
  std::map<int32_t, std::vector<std::string>>& bases_;
  size_t memory_;
};

}  // namespace

Status EncodeObject(const Value& value, std::string& out) {
  const size_t start = out.size();
  Status status = Encoder(out).Object(value, 0);
  if (!status.ok()) out.resize(start);  // nothing half-written
  return status;
}

Status EncodeObject(const Value& value, std::string& out, const Pieces& pieces) {
  Encoder encoder(out, &pieces);
  RETURN_IF_ERROR(encoder.Object(value, 0));
  return encoder.Spill();
}

Status EncodeTableBlocks(const Table& table, size_t block_rows, std::string& out,
                         const Pieces& pieces) {
  const size_t start = out.size();
  const size_t rows = table.rows();
  const size_t blocks = std::max<size_t>(1, (rows + block_rows - 1) / block_rows);
  if (blocks > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return InvalidArgument("a table of " + std::to_string(rows) + " rows in blocks of " +
                           std::to_string(block_rows) + " is too many blocks to send");
  }
  out.push_back(static_cast<char>(kTypeAny));
  out.push_back(static_cast<char>(WireForm::kVector));
  const int32_t head[2] = {static_cast<int32_t>(blocks), 1};
  out.append(reinterpret_cast<const char*>(head), sizeof head);
  for (size_t b = 0; b < blocks; ++b) {
    size_t begin = b * block_rows;
    auto block =
        std::make_shared<const Table>(table.Slice(begin, std::min(rows, begin + block_rows)));
    Value value = Value::MakeTable(std::move(block));
    Status status = pieces.send ? EncodeObject(value, out, pieces) : EncodeObject(value, out);
    if (!status.ok()) {
      if (!pieces.send) out.resize(start);
      return status;
    }
  }
  return Status::Ok();
}

Result<std::optional<Value>> ObjectReader::Read(std::string_view in, size_t* pos) {
  auto bases = symbol_bases_;  // a short read leaves them as they were
  Decoder decoder(in, *pos, limits_, bases, memory_);
  Result<Value> value = decoder.Object(0);
  if (!value.ok()) {
    if (IsShort(value.status())) return std::optional<Value>();
    return value.status();
  }
  *pos = decoder.pos();
  memory_ = decoder.memory();
  symbol_bases_ = std::move(bases);
  return std::optional<Value>(std::move(*value));
}

}  // namespace strata::ddb
