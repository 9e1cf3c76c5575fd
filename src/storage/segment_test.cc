#include "storage/segment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "base/hash.h"
#include "storage/segment_layout.h"
#include "storage/segment_test_util.h"

namespace strata {
namespace {

using testing_util::AllStoredTypes;
using testing_util::ExpectSameTable;
using testing_util::MakeAllTypesTable;
using testing_util::OneColumnTable;

constexpr uint64_t kSeed = 20240807;

// encode → decode → re-encode, checking the values and the bytes.
void ExpectRoundTrip(const Table& table, const SegmentEncodeOptions& options = {}) {
  std::string bytes = EncodeSegment(table, options);
  auto decoded = DecodeSegment(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameTable(table, *decoded);
  EXPECT_EQ(EncodeSegment(*decoded, options), bytes) << "re-encoding changed the bytes";
}

// The footer of an intact segment, parsed with the module's internal reader.
SegmentFooter FooterOf(const std::string& bytes) {
  uint64_t footer_size;
  std::memcpy(&footer_size, bytes.data() + bytes.size() - kSegmentTrailerBytes, 8);
  const uint64_t footer_begin = bytes.size() - kSegmentTrailerBytes - footer_size;
  auto footer =
      ParseFooter(std::string_view(bytes).substr(footer_begin, footer_size), footer_begin);
  STRATA_CHECK(footer.ok());
  return std::move(footer).value();
}

void RewriteFileChecksum(std::string& bytes) {
  uint64_t checksum = Xxh3(std::string_view(bytes).substr(0, bytes.size() - 16));
  std::memcpy(bytes.data() + bytes.size() - 16, &checksum, 8);
}

TEST(SegmentTest, RoundTripsEveryTypeWithNullsAcrossBlocks) {
  SCOPED_TRACE("seed " + std::to_string(kSeed));
  Table table = MakeAllTypesTable(10'007, kSeed);
  ExpectRoundTrip(table, {.block_rows_max = 1000});  // 11 blocks, the last one partial
  const SegmentFooter footer = FooterOf(EncodeSegment(table, {.block_rows_max = 1000}));
  EXPECT_EQ(footer.columns[17].blocks.size(), 11u);
  EXPECT_EQ(footer.columns[17].blocks[10].rows, 7u);
  ExpectRoundTrip(table);  // one block
  ExpectRoundTrip(table, {.block_rows_max = 1});
}

TEST(SegmentTest, RoundTripsEmptyTables) {
  ExpectRoundTrip(MakeAllTypesTable(0, kSeed));
  ExpectRoundTrip(Table());
  auto summary = ReadSegmentSummary(EncodeSegment(MakeAllTypesTable(0, kSeed)));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows, 0u);
  EXPECT_EQ(summary->schema.size(), AllStoredTypes().size());
  EXPECT_TRUE(summary->stats[0].min.is_null());
}

TEST(SegmentTest, RoundTripsAllNullAndExtremeColumns) {
  ExpectRoundTrip(OneColumnTable<int64_t>(Type::kLong, {kNullInt64, kNullInt64}));
  ExpectRoundTrip(
      OneColumnTable<int64_t>(Type::kLong, {INT64_MAX, kNullInt64, INT64_MIN + 1, 0, INT64_MAX}));
  ExpectRoundTrip(OneColumnTable<int32_t>(Type::kInt, {INT32_MAX, kNullInt32, INT32_MIN + 1}));
  ExpectRoundTrip(OneColumnTable<int16_t>(Type::kShort, {INT16_MAX, kNullInt16, INT16_MIN + 1}));
  ExpectRoundTrip(OneColumnTable<int8_t>(Type::kChar, {127, kNullInt8, -127}));
  // 255 distinct offsets plus NULL need the 1-byte code space exactly.
  std::vector<int16_t> fits;
  for (int i = 0; i < 255; ++i) fits.push_back(static_cast<int16_t>(1000 + i));
  fits.push_back(kNullInt16);
  ExpectRoundTrip(OneColumnTable<int16_t>(Type::kShort, fits));
  fits.push_back(1255);  // one more: 2-byte codes
  ExpectRoundTrip(OneColumnTable<int16_t>(Type::kShort, fits));
  ExpectRoundTrip(OneColumnTable<double>(
      Type::kDouble, {NAN, kNullDouble, -0.0, INFINITY, -INFINITY, DBL_MIN, 1.5}));
  ExpectRoundTrip(OneColumnTable<float>(Type::kFloat, {NAN, kNullFloat, -0.0f, FLT_MAX}));
  ExpectRoundTrip(OneColumnTable<std::string>(Type::kString, {"", "", ""}));
  ExpectRoundTrip(OneColumnTable<std::string>(Type::kSymbol, {"a", "", "a", "b", "", "a"}));
  ExpectRoundTrip(OneColumnTable<std::string>(Type::kString, {std::string("a\0b", 3), "é"}));
}

TEST(SegmentTest, SplitsLargeStringBlocksBySize) {
  std::vector<std::string> values;
  for (int i = 0; i < 20; ++i) values.push_back(std::string(1 << 20, static_cast<char>('a' + i)));
  Table table = OneColumnTable<std::string>(Type::kString, values);
  ExpectRoundTrip(table);
  const SegmentFooter footer = FooterOf(EncodeSegment(table));
  EXPECT_EQ(footer.columns[0].blocks.size(), 2u);  // 16 MiB, then 4 MiB
  EXPECT_EQ(footer.columns[0].blocks[0].rows, 16u);
}

TEST(SegmentTest, EncodingIsDeterministic) {
  Table a = MakeAllTypesTable(5000, kSeed);
  Table b = MakeAllTypesTable(5000, kSeed);  // equal values, separately built
  EXPECT_EQ(EncodeSegment(a), EncodeSegment(b));
  EXPECT_NE(EncodeSegment(a), EncodeSegment(MakeAllTypesTable(5000, kSeed + 1)));
}

TEST(SegmentTest, ProjectsColumnsInTheRequestedOrder) {
  Table table = MakeAllTypesTable(3000, kSeed);
  std::string bytes = EncodeSegment(table, {.block_rows_max = 512});
  auto projected = DecodeSegment(bytes, {16, 0, 16});
  ASSERT_TRUE(projected.ok()) << projected.status().ToString();
  Table expected(
      Schema({table.schema().field(16), table.schema().field(0), table.schema().field(16)}),
      {table.column(16), table.column(0), table.column(16)});
  ExpectSameTable(expected, *projected);

  auto out_of_range = DecodeSegment(bytes, {18});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out_of_range.status().message().find("18 columns"), std::string::npos);
}

TEST(SegmentTest, SummaryHoldsSchemaRowsAndStats) {
  auto ints = std::make_shared<Column>(
      Type::kInt, ColumnData(std::vector<int32_t>{5, kNullInt32, -3, 9, kNullInt32}));
  auto doubles = std::make_shared<Column>(
      Type::kDouble, ColumnData(std::vector<double>{2.5, NAN, -1.0, kNullDouble, 7.0}));
  auto symbols = std::make_shared<Column>(
      Type::kSymbol, ColumnData(std::vector<std::string>{"m", "b", "", "z", "b"}));
  auto nulls =
      std::make_shared<Column>(Type::kDate, ColumnData(std::vector<int32_t>(5, kNullInt32)));
  Schema schema(
      {{"i", Type::kInt}, {"d", Type::kDouble}, {"s", Type::kSymbol}, {"n", Type::kDate}});
  Table table(schema, {ints, doubles, symbols, nulls});
  auto summary = ReadSegmentSummary(EncodeSegment(table, {.block_rows_max = 2}));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->schema, schema);
  EXPECT_EQ(summary->rows, 5u);
  ASSERT_EQ(summary->stats.size(), 4u);
  EXPECT_EQ(summary->stats[0].min, Scalar::Int(Type::kInt, -3));
  EXPECT_EQ(summary->stats[0].max, Scalar::Int(Type::kInt, 9));
  EXPECT_EQ(summary->stats[0].null_count, 2u);
  EXPECT_EQ(summary->stats[1].min, Scalar::Float(Type::kDouble, -1.0));
  EXPECT_EQ(summary->stats[1].max, Scalar::Float(Type::kDouble, 7.0));
  EXPECT_EQ(summary->stats[1].null_count, 2u);
  EXPECT_EQ(summary->stats[2].min, Scalar::String(Type::kSymbol, "b"));
  EXPECT_EQ(summary->stats[2].max, Scalar::String(Type::kSymbol, "z"));
  EXPECT_EQ(summary->stats[2].null_count, 1u);
  EXPECT_TRUE(summary->stats[3].min.is_null());
  EXPECT_TRUE(summary->stats[3].max.is_null());
  EXPECT_EQ(summary->stats[3].null_count, 5u);
  EXPECT_EQ(summary->stats[0].min.type(), Type::kInt);
}

TEST(SegmentTest, NarrowsIntegersAndUsesDictionariesForSymbols) {
  constexpr size_t kRows = 100'000;
  std::mt19937_64 rng(kSeed);
  std::vector<int32_t> small_ints(kRows);
  for (auto& v : small_ints) v = static_cast<int32_t>(rng() % 100);
  std::vector<std::string> symbols(kRows);
  for (auto& v : symbols) v = "SYM" + std::to_string(rng() % 10);
  const double int_bytes_per_row =
      EncodeSegment(OneColumnTable(Type::kInt, small_ints)).size() / double(kRows);
  const double symbol_bytes_per_row =
      EncodeSegment(OneColumnTable(Type::kSymbol, symbols)).size() / double(kRows);
  EXPECT_LT(int_bytes_per_row, 1.1);  // 1-byte codes, not 4-byte values
  EXPECT_LT(symbol_bytes_per_row, 1.1);
}

// Every single-byte flip anywhere in the file, and every truncation, is Corruption.
TEST(SegmentTest, DetectsEveryFlippedByteAndTruncation) {
  Table table = MakeAllTypesTable(40, kSeed);
  const std::string bytes = EncodeSegment(table, {.block_rows_max = 16});
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ (1 << (i % 8)));
    auto decoded = DecodeSegment(damaged);
    ASSERT_FALSE(decoded.ok()) << "flip at " << i;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption) << decoded.status().ToString();
    auto summary = ReadSegmentSummary(damaged);
    ASSERT_FALSE(summary.ok()) << "flip at " << i;
    EXPECT_EQ(summary.status().code(), StatusCode::kCorruption);
  }
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = DecodeSegment(std::string_view(bytes).substr(0, size));
    ASSERT_FALSE(decoded.ok()) << "truncated to " << size;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  }
  EXPECT_FALSE(DecodeSegment(bytes + "x").ok());
}

TEST(SegmentTest, CorruptionMessageNamesTheDamagedColumnAndBlock) {
  Table table = MakeAllTypesTable(64, kSeed);
  const std::string bytes = EncodeSegment(table, {.block_rows_max = 16});
  const SegmentFooter footer = FooterOf(bytes);
  for (size_t c = 0; c < footer.columns.size(); ++c) {
    for (size_t b = 0; b < footer.columns[c].blocks.size(); ++b) {
      const std::string where = DescribeBlock(footer, c, b);
      // A flip in the block's header fields and one in its stored bytes.
      for (uint64_t delta : {uint64_t{9}, uint64_t{kBlockHeaderBytes + 1}}) {
        std::string damaged = bytes;
        damaged[footer.columns[c].blocks[b].offset + delta] ^= 0x10;
        auto decoded = DecodeSegment(damaged);
        ASSERT_FALSE(decoded.ok()) << where;
        EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
        EXPECT_NE(decoded.status().message().find(where), std::string::npos)
            << decoded.status().message();
        // Even with a whole-file checksum that matches, the block checksum catches it.
        RewriteFileChecksum(damaged);
        decoded = DecodeSegment(damaged);
        ASSERT_FALSE(decoded.ok()) << where;
        EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
        EXPECT_NE(decoded.status().message().find(where), std::string::npos)
            << decoded.status().message();
      }
    }
  }
  EXPECT_NE(DescribeBlock(footer, 3, 1).find("column 'c_INT' (index 3) block 1 (rows 16..31"),
            std::string::npos);

  std::string footer_damaged = bytes;
  footer_damaged[bytes.size() - kSegmentTrailerBytes - 3] ^= 1;
  EXPECT_NE(DecodeSegment(footer_damaged).status().message().find("footer"), std::string::npos);

  auto short_read = ReadSegmentSummary(std::string_view(bytes).substr(0, bytes.size() / 2));
  ASSERT_FALSE(short_read.ok());
  EXPECT_NE(short_read.status().message().find("truncated"), std::string::npos);
}

TEST(SegmentTest, RejectsOtherFilesAndNewerVersions) {
  EXPECT_EQ(DecodeSegment(std::string(100, 'x')).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeSegment("").status().code(), StatusCode::kCorruption);
  std::string newer = EncodeSegment(MakeAllTypesTable(10, kSeed));
  newer[8] = 2;  // version 2, with checksums that match
  RewriteFileChecksum(newer);
  auto decoded = DecodeSegment(newer);
  EXPECT_EQ(decoded.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(decoded.status().message().find("version 2"), std::string::npos);
}

}  // namespace
}  // namespace strata
