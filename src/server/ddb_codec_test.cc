// The DolphinDB object codec against the bytes of ../shared/notes/dolphindb-api-protocol.md §7
// (what the real JavaScript and C++ clients decoded and sent), round trips of every type and
// form with NULLs, and malformed or cut input, which must give an error or "read more", never
// a crash.
#include "server/ddb_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "types/temporal.h"

namespace strata::ddb {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string Encode(const Value& value) {
  std::string out;
  Status status = EncodeObject(value, out);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

// Decodes exactly one object that fills `bytes`.
Value Decode(const std::string& bytes) {
  ObjectReader reader;
  size_t pos = 0;
  auto read = reader.Read(bytes, &pos);
  EXPECT_TRUE(read.ok()) << read.status().ToString();
  if (!read.ok() || !*read) {
    ADD_FAILURE() << "no object in " << Hex(bytes);
    return Value();
  }
  EXPECT_EQ(pos, bytes.size());
  return **read;
}

Value IntVector(std::vector<int32_t> values) {
  return Value::Vector(Column(Type::kInt, std::move(values)));
}

TEST(DdbCodecTest, EncodesTheBytesTheClientsDecoded) {
  // 1+1
  EXPECT_EQ(Hex(Encode(Value(Scalar::Int(Type::kInt, 2)))), "04 00 02 00 00 00");
  EXPECT_EQ(Hex(Encode(Value(Scalar::String(Type::kString, "hello")))), "12 00 68 65 6c 6c 6f 00");
  // DATE vector [2024.01.15, NULL]
  EXPECT_EQ(
      Hex(Encode(Value::Vector(Column(Type::kDate, std::vector<int32_t>{19737, kNullInt32})))),
      "06 01 02 00 00 00 01 00 00 00 19 4d 00 00 00 00 00 80");
  // SYMBOL vector ["A", "B", "A", NULL]: base ["", "A", "B"], codes 1 2 1 0
  EXPECT_EQ(Hex(Encode(
                Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"A", "B", "A", ""})))),
            "91 01 04 00 00 00 01 00 00 00 00 00 00 00 03 00 00 00 00 41 00 42 00 "
            "01 00 00 00 02 00 00 00 01 00 00 00 00 00 00 00");
  // Table (id INT, name STRING, price DOUBLE), 3 rows with NULLs
  auto table = std::make_shared<const Table>(
      Schema({{"id", Type::kInt}, {"name", Type::kString}, {"price", Type::kDouble}}),
      std::vector<ColumnPtr>{
          std::make_shared<const Column>(Type::kInt, std::vector<int32_t>{1, 2, kNullInt32}),
          std::make_shared<const Column>(Type::kString, std::vector<std::string>{"a", "bc", ""}),
          std::make_shared<const Column>(Type::kDouble,
                                         std::vector<double>{1.5, kNullDouble, -2.25})});
  EXPECT_EQ(Hex(Encode(Value::MakeTable(table))),
            "00 06 03 00 00 00 03 00 00 00 00 69 64 00 6e 61 6d 65 00 70 72 69 63 65 00 "
            "04 01 03 00 00 00 01 00 00 00 01 00 00 00 02 00 00 00 00 00 00 80 "
            "12 01 03 00 00 00 01 00 00 00 61 00 62 63 00 00 "
            "10 01 03 00 00 00 01 00 00 00 00 00 00 00 00 00 f8 3f ff ff ff ff ff ff ef ff "
            "00 00 00 00 00 00 02 c0");
  // The untyped NULL; NaN goes out as the NULL sentinel, which clients show as null.
  EXPECT_EQ(Hex(Encode(Value())), "00 00 01");
  EXPECT_EQ(Hex(Encode(Value(Scalar::Float(Type::kDouble, std::nan(""))))),
            "10 00 ff ff ff ff ff ff ef ff");
}

TEST(DdbCodecTest, TablesInBlocksForAFetchSize) {
  Column ids(Type::kInt);
  for (int i = 0; i < 5; ++i) ids.Append(Scalar::Int(Type::kInt, i));
  Schema schema;
  schema.Add({"id", Type::kInt});
  auto table = std::make_shared<const Table>(
      schema, std::vector<ColumnPtr>{std::make_shared<Column>(std::move(ids))});
  std::string out;
  ASSERT_TRUE(EncodeTableBlocks(*table, 2, out).ok());
  // The head of an ANY vector of 3 blocks, then tables of 2, 2 and 1 rows.
  ASSERT_EQ(Hex(out.substr(0, 10)), "19 01 03 00 00 00 01 00 00 00");
  ObjectReader reader;
  size_t pos = 10;
  std::vector<size_t> rows;
  for (int b = 0; b < 3; ++b) {
    auto block = reader.Read(out, &pos);
    ASSERT_TRUE(block.ok() && block->has_value());
    ASSERT_TRUE((*block)->is_table());
    rows.push_back((*block)->table()->rows());
  }
  EXPECT_EQ(rows, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(pos, out.size());
  std::string empty;
  ASSERT_TRUE(EncodeTableBlocks(table->Slice(0, 0), 8192, empty).ok());
  EXPECT_EQ(Hex(empty.substr(0, 10)), "19 01 01 00 00 00 01 00 00 00") << "one empty block";
}

// An answer in pieces is the same bytes as the answer whole; the pieces are about the size
// asked for (a column or a string at a time).
TEST(DdbCodecTest, PiecesMakeTheSameBytes) {
  Column ids(Type::kInt), names(Type::kString), syms(Type::kSymbol);
  for (int i = 0; i < 1000; ++i) {
    ids.Append(Scalar::Int(Type::kInt, i));
    names.Append(Scalar::String(Type::kString, "name" + std::to_string(i)));
    syms.Append(Scalar::String(Type::kSymbol, i % 3 == 0 ? "" : "s" + std::to_string(i % 7)));
  }
  Schema schema;
  for (const char* name : {"id", "name", "sym"}) {
    schema.Add({name, name[0] == 'i'   ? Type::kInt
                      : name[0] == 'n' ? Type::kString
                                       : Type::kSymbol});
  }
  auto table = std::make_shared<const Table>(
      schema, std::vector<ColumnPtr>{std::make_shared<Column>(ids), std::make_shared<Column>(names),
                                     std::make_shared<Column>(syms)});
  Value value = Value::MakeTuple({Value::MakeTable(table), Value(Scalar::Int(Type::kInt, 7))});
  std::string whole;
  ASSERT_TRUE(EncodeObject(value, whole).ok());
  std::string sent, out;
  size_t pieces = 0;
  Pieces in_pieces{100, [&](std::string& piece) {
                     sent += piece;
                     piece.clear();
                     ++pieces;
                     return Status::Ok();
                   }};
  ASSERT_TRUE(EncodeObject(value, out, in_pieces).ok());
  EXPECT_EQ(sent + out, whole);
  EXPECT_GT(pieces, 50u) << "every string column about 100 bytes at a time";
  std::string blocks_whole, blocks_sent, blocks_out;
  ASSERT_TRUE(EncodeTableBlocks(*table, 300, blocks_whole).ok());
  Pieces blocks{4096, [&](std::string& piece) {
                  blocks_sent += piece;
                  piece.clear();
                  return Status::Ok();
                }};
  ASSERT_TRUE(EncodeTableBlocks(*table, 300, blocks_out, blocks).ok());
  EXPECT_EQ(blocks_sent + blocks_out, blocks_whole);
  // A failing send ends the encoding with its error.
  Pieces broken{100, [](std::string&) { return IoError("the client is gone"); }};
  std::string ignored;
  EXPECT_EQ(EncodeObject(value, ignored, broken).message(), "the client is gone");
}

TEST(DdbCodecTest, DecodesTheArgumentsTheClientsSent) {
  // call('add', [DdbInt(1), DdbInt(1)]): two objects back to back.
  std::string args = Bytes({4, 0, 1, 0, 0, 0, 4, 0, 1, 0, 0, 0});
  ObjectReader reader;
  size_t pos = 0;
  for (int i = 0; i < 2; ++i) {
    auto read = reader.Read(args, &pos);
    ASSERT_TRUE(read.ok() && *read) << read.status().ToString();
    EXPECT_EQ((*read)->scalar(), Scalar::Int(Type::kInt, 1));
  }
  EXPECT_EQ(pos, args.size());
  // DdbDouble(0.5), DdbLong(2n)
  args = Bytes({0x10, 0, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, 5, 0, 2, 0, 0, 0, 0, 0, 0, 0});
  pos = 0;
  auto half = reader.Read(args, &pos);
  auto two = reader.Read(args, &pos);
  ASSERT_TRUE(half.ok() && *half && two.ok() && *two);
  EXPECT_EQ((*half)->scalar(), Scalar::Float(Type::kDouble, 0.5));
  EXPECT_EQ((*two)->scalar(), Scalar::Int(Type::kLong, 2));
  // invoke('add', [1, 1]): STRING "add", STRING "[1,1]"
  args = Bytes({0x12, 0, 0x61, 0x64, 0x64, 0, 0x12, 0, 0x5b, 0x31, 0x2c, 0x31, 0x5d, 0});
  pos = 0;
  auto name = reader.Read(args, &pos);
  auto json = reader.Read(args, &pos);
  ASSERT_TRUE(name.ok() && *name && json.ok() && *json);
  EXPECT_EQ((*name)->scalar().string_value(), "add");
  EXPECT_EQ((*json)->scalar().string_value(), "[1,1]");
  // VOID: null (01) and undefined (00) are both the untyped NULL.
  EXPECT_TRUE(Decode(Bytes({0, 0, 1})).is_void());
  EXPECT_TRUE(Decode(Bytes({0, 0, 0})).is_void());
}

// Every Strata type as a scalar (a value and NULL) and as a vector with a NULL, and every form,
// encodes, decodes and encodes again to the same bytes.
TEST(DdbCodecTest, EveryTypeAndFormRoundTrips) {
  std::vector<Value> values;
  for (int id = 1; id <= static_cast<int>(Type::kString); ++id) {
    Type type = *TypeFromId(id);
    Scalar some = IsStringLike(type) ? Scalar::String(type, "héllo, 世界")
                  : IsFloating(type) ? Scalar::Float(type, -2.25)
                                     : Scalar::Int(type, 1);
    values.push_back(Value(some));
    values.push_back(Value(Scalar::Null(type)));
    Column column(type);
    column.Append(some);
    column.AppendNull();
    column.Append(some);
    values.push_back(Value::Vector(column));
    values.push_back(Value::Vector(Column(type)));  // empty
  }
  values.push_back(Value::Pair(Column(Type::kInt, std::vector<int32_t>{1, kNullInt32})));
  values.push_back(
      Value::MakeTuple({Value(Scalar::Int(Type::kInt, 1)),
                        Value(Scalar::String(Type::kString, "a")), Value(), IntVector({1, 2}),
                        Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"x", "y"}))}));
  Dictionary typed;
  typed.entries.emplace_back(Scalar::String(Type::kString, "a"), Value(Scalar::Int(Type::kInt, 1)));
  typed.entries.emplace_back(Scalar::String(Type::kString, "b"), Value(Scalar::Null(Type::kInt)));
  values.push_back(Value::MakeDictionary(typed));
  Dictionary mixed;
  mixed.entries.emplace_back(Scalar::Int(Type::kInt, 1), IntVector({1, 2, 3}));
  mixed.entries.emplace_back(Scalar::Int(Type::kInt, 2), Value(Scalar::String(Type::kString, "s")));
  values.push_back(Value::MakeDictionary(mixed));
  auto two_symbols = std::make_shared<const Table>(
      Schema({{"s1", Type::kSymbol}, {"s2", Type::kSymbol}, {"t", Type::kTimestamp}}),
      std::vector<ColumnPtr>{
          std::make_shared<const Column>(Type::kSymbol, std::vector<std::string>{"A", ""}),
          std::make_shared<const Column>(Type::kSymbol, std::vector<std::string>{"B", "B"}),
          std::make_shared<const Column>(Type::kTimestamp, std::vector<int64_t>{-1, kNullInt64})});
  values.push_back(Value::MakeTable(two_symbols));
  for (const Value& value : values) {
    std::string bytes = Encode(value);
    Value back = Decode(bytes);
    EXPECT_EQ(back.form(), value.form()) << value.Describe();
    EXPECT_EQ(back.type(), value.type()) << value.Describe();
    EXPECT_EQ(back.size(), value.size()) << value.Describe();
    EXPECT_EQ(Hex(Encode(back)), Hex(bytes)) << value.Describe();
  }
}

TEST(DdbCodecTest, SymbolBasesAreNumberedPerObjectAndReusedAcrossARequest) {
  // A second SYMBOL vector in one object gets base id 1.
  Value tuple =
      Value::MakeTuple({Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"a"})),
                        Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"b"}))});
  std::string bytes = Encode(tuple);
  EXPECT_NE(bytes.find(Bytes({1, 0, 0, 0, 2, 0, 0, 0, 0, 'b', 0})), std::string::npos)
      << Hex(bytes);
  // A base of size 0 reuses the id an earlier object of the request defined.
  std::string first =
      Bytes({0x91, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 'q', 0, 1, 0, 0, 0});
  std::string reuse =
      Bytes({0x91, 1, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
  ObjectReader reader;
  std::string request = first + reuse;
  size_t pos = 0;
  ASSERT_TRUE(reader.Read(request, &pos).ok());
  auto second = reader.Read(request, &pos);
  ASSERT_TRUE(second.ok() && *second) << second.status().ToString();
  EXPECT_EQ((*second)->column()->values<std::string>(), (std::vector<std::string>{"q", ""}));
  // Without the defining object, the reuse is an error naming the base.
  ObjectReader fresh;
  pos = 0;
  auto unknown = fresh.Read(reuse, &pos);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("symbol base 0"), std::string::npos);
}

TEST(DdbCodecTest, RefusesWhatCannotTravel) {
  std::string out = "kept";
  EXPECT_FALSE(
      EncodeObject(Value(Scalar::String(Type::kString, std::string("a\0b", 3))), out).ok());
  EXPECT_EQ(out, "kept") << "nothing half-written";
  auto no_columns = std::make_shared<const Table>(Schema(), std::vector<ColumnPtr>{});
  EXPECT_FALSE(EncodeObject(Value::MakeTable(no_columns), out).ok());
  // A matrix and a DECIMAL scalar have no Strata value: named.
  ObjectReader reader;
  size_t pos = 0;
  auto matrix = reader.Read(Bytes({4, 3, 0}), &pos);
  ASSERT_FALSE(matrix.ok());
  EXPECT_EQ(matrix.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(matrix.status().message().find("matrix"), std::string::npos);
  auto decimal = reader.Read(Bytes({38, 0, 0, 0, 0, 0}), &pos);
  ASSERT_FALSE(decimal.ok());
  EXPECT_NE(decimal.status().message().find("DECIMAL"), std::string::npos);
  // Counts past the limit, and nesting past the depth limit.
  ObjectReader limited(DecodeLimits{.max_elements = 10, .max_depth = 3});
  auto many = limited.Read(Bytes({4, 1, 11, 0, 0, 0, 1, 0, 0, 0}), &pos);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().code(), StatusCode::kInvalidArgument);
  std::string nested;
  for (int i = 0; i < 5; ++i) nested += Bytes({25, 1, 1, 0, 0, 0, 1, 0, 0, 0});
  nested += Bytes({4, 0, 1, 0, 0, 0});
  pos = 0;
  EXPECT_FALSE(limited.Read(nested, &pos).ok());
  EXPECT_EQ(pos, 0u);
}

// A few bytes may not claim much memory: a VOID vector has no payload, a SYMBOL code copies its
// base string. The limit counts every object of one request (one reader).
TEST(DdbCodecTest, AFewBytesCannotClaimMuchMemory) {
  DecodeLimits limits;
  limits.memory_base = 1 << 20;
  limits.memory_per_input_byte = 4;
  size_t pos = 0;
  ObjectReader reader(limits);
  auto voids = reader.Read(Bytes({0, 1, 0, 0, 0, 16, 1, 0, 0, 0}), &pos);  // 2^28 rows
  ASSERT_FALSE(voids.ok());
  EXPECT_NE(voids.status().message().find("send less in one request"), std::string::npos);
  // A base of one 64 KiB string and 32 codes: 2 MiB of copies from 64 KiB.
  std::string symbols = Bytes({145, 1, 32, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0});
  symbols += std::string(64 << 10, 'x') + '\0';
  for (int i = 0; i < 32; ++i) symbols += Bytes({0, 0, 0, 0});
  pos = 0;
  EXPECT_FALSE(ObjectReader(limits).Read(symbols, &pos).ok());
  // Objects within the limit one by one, past it together.
  std::string half = Bytes({0, 1, 0, 0, 8, 0, 1, 0, 0, 0});  // 2^19 VOID rows: 512 KiB
  std::string three = half + half + half;
  ObjectReader request(limits);
  pos = 0;
  EXPECT_TRUE(request.Read(three, &pos).ok());
  EXPECT_TRUE(request.Read(three, &pos).ok());
  EXPECT_FALSE(request.Read(three, &pos).ok()) << "1.5 MiB for one request of 30 bytes";
  // What a real upload takes stays well inside the default limits: a million INTs.
  std::string ints = Bytes({4, 1, 0x40, 0x42, 0x0f, 0, 1, 0, 0, 0}) + std::string(4'000'000, 'i');
  pos = 0;
  auto million = ObjectReader().Read(ints, &pos);
  ASSERT_TRUE(million.ok() && million->has_value()) << million.status().ToString();
  EXPECT_EQ((*million)->size(), 1'000'000u);
}

// Every prefix of a valid object asks for more and leaves the position; random bytes (seeded)
// give an object or an error, never a crash.
TEST(DdbCodecTest, CutAndRandomInputNeverBreaksTheReader) {
  Value sample =
      Value::MakeTuple({IntVector({1, 2, 3}), Value(Scalar::String(Type::kString, "text")),
                        Value::Vector(Column(Type::kSymbol, std::vector<std::string>{"a", "b"}))});
  std::string bytes = Encode(sample);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    ObjectReader reader;
    size_t pos = 0;
    auto read = reader.Read(std::string_view(bytes).substr(0, cut), &pos);
    ASSERT_TRUE(read.ok()) << cut << ": " << read.status().ToString();
    EXPECT_FALSE(read->has_value()) << cut;
    EXPECT_EQ(pos, 0u);
  }
  std::mt19937 random(20261207);
  int objects = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string noise(1 + random() % 64, '\0');
    for (auto& c : noise) c = static_cast<char>(random());
    if (i % 2 == 0) noise[0] = static_cast<char>(random() % 26);  // a plausible type
    if (i % 4 == 0 && noise.size() > 1) noise[1] = static_cast<char>(random() % 7);
    ObjectReader reader(DecodeLimits{.max_elements = 1 << 16, .max_depth = 8});
    size_t pos = 0;
    auto read = reader.Read(noise, &pos);
    if (!read.ok()) {
      ++errors;
    } else if (*read) {
      ++objects;
      EXPECT_LE(pos, noise.size());
    }
  }
  EXPECT_GT(objects, 0);
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace strata::ddb
