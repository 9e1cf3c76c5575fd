#include "storage/segment_codec.h"

#include <gtest/gtest.h>

#include "storage/segment_test_util.h"

namespace strata {
namespace {

using testing_util::AllStoredTypes;
using testing_util::MakeAllTypesTable;

// The raw (uncompressed) bytes of a block.
std::string RawOf(const EncodedBlock& block) {
  auto raw = Decompress(block.codec, block.stored, block.raw_size_bytes);
  STRATA_CHECK(raw.ok());
  return std::move(raw).value();
}

Result<Column> DecodeOne(const EncodedBlock& block, Type type, size_t rows) {
  Column out(type);
  out.Resize(rows);
  std::string scratch;
  RETURN_IF_ERROR(DecodeBlock(block.encoding, block.codec, block.stored, block.raw_size_bytes, rows,
                              out.mutable_data(), 0, scratch));
  return out;
}

TEST(SegmentCodecTest, ChoosesEncodingsByStorageAndCardinality) {
  Column ints(Type::kInt, std::vector<int32_t>{100, 101, kNullInt32, 355});
  EncodedBlock block = EncodeBlock(ints, 0, 4);
  EXPECT_EQ(block.encoding, BlockEncoding::kFrameOfReference);
  std::string raw = RawOf(block);
  EXPECT_EQ(raw.size(), 9u + 4 * 2);  // range 255 plus the NULL code needs 2 bytes
  EXPECT_EQ(EncodeBlock(ints, 0, 2).raw_size_bytes, 9u + 2 * 1);

  Column doubles(Type::kDouble, std::vector<double>{1.0, 2.0});
  EXPECT_EQ(EncodeBlock(doubles, 0, 2).encoding, BlockEncoding::kPlain);

  Column few(Type::kSymbol, std::vector<std::string>{"b", "a", "b", "a"});
  EXPECT_EQ(EncodeBlock(few, 0, 4).encoding, BlockEncoding::kStringDictionary);
  Column many(Type::kString, std::vector<std::string>{"b", "a", "c", "a"});
  EXPECT_EQ(EncodeBlock(many, 0, 4).encoding, BlockEncoding::kStringPlain);
}

// Every codec id a reader accepts decodes every encoding, whatever the writer picked.
TEST(SegmentCodecTest, DecodesEveryCodec) {
  Table table = MakeAllTypesTable(3000, 5);
  for (size_t c = 0; c < table.column_count(); ++c) {
    const Column& column = *table.column(c);
    const std::string raw = RawOf(EncodeBlock(column, 0, column.size()));
    for (Codec codec : {Codec::kNone, Codec::kLz4, Codec::kZstd}) {
      EncodedBlock block = EncodeBlock(column, 0, column.size());
      block.codec = codec;
      block.stored = Compress(codec, raw);
      auto decoded = DecodeOne(block, column.type(), column.size());
      ASSERT_TRUE(decoded.ok()) << TypeName(column.type()) << ": " << decoded.status().ToString();
      EXPECT_EQ(decoded->data(), column.data()) << TypeName(column.type());
    }
  }
  EXPECT_EQ(AllStoredTypes().size(), table.column_count());
}

TEST(SegmentCodecTest, RejectsInconsistentBlocks) {
  Column ints(Type::kInt, std::vector<int32_t>{1, 2, 3});
  EncodedBlock block = EncodeBlock(ints, 0, 3);
  EXPECT_FALSE(DecodeOne(block, Type::kInt, 4).ok());  // row count differs
  EncodedBlock wide = block;
  wide.stored[8] = 3;  // code width 3 does not exist
  EXPECT_EQ(DecodeOne(wide, Type::kInt, 3).status().code(), StatusCode::kCorruption);
  EncodedBlock wrong_encoding = block;
  wrong_encoding.encoding = BlockEncoding::kStringPlain;
  EXPECT_EQ(DecodeOne(wrong_encoding, Type::kInt, 3).status().code(), StatusCode::kCorruption);
  EncodedBlock unknown_codec = block;
  unknown_codec.codec = static_cast<Codec>(9);
  EXPECT_EQ(DecodeOne(unknown_codec, Type::kInt, 3).status().code(), StatusCode::kCorruption);

  Column symbols(Type::kSymbol, std::vector<std::string>{"x", "y", "x", "y"});
  EncodedBlock dictionary = EncodeBlock(symbols, 0, 4);
  ASSERT_EQ(dictionary.codec, Codec::kNone);
  dictionary.stored.back() = 7;  // code 7 of a 2-entry dictionary
  auto decoded = DecodeOne(dictionary, Type::kSymbol, 4);
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(decoded.status().message().find("dictionary code 7"), std::string::npos);

  Column strings(Type::kString, std::vector<std::string>{"abc", "de"});
  EncodedBlock plain = EncodeBlock(strings, 0, 2);
  plain.stored[0] = 9;  // lengths no longer add up
  EXPECT_EQ(DecodeOne(plain, Type::kString, 2).status().code(), StatusCode::kCorruption);
}

TEST(SegmentCodecTest, BlocksAreBoundedByRowsAndStringBytes) {
  Column ints(Type::kInt, std::vector<int32_t>(10, 1));
  EXPECT_EQ(NextBlockRows(ints, 0, 4), 4u);
  EXPECT_EQ(NextBlockRows(ints, 8, 4), 2u);
  EXPECT_EQ(NextBlockRows(ints, 0, 0), 1u);  // at least one row
  Column big(Type::kString, std::vector<std::string>(3, std::string(kStringBlockBytesMax, 'x')));
  EXPECT_EQ(NextBlockRows(big, 0, 65536), 1u);
}

}  // namespace
}  // namespace strata
