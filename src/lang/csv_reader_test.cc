#include "lang/csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "types/format.h"
#include "types/temporal.h"

namespace strata {
namespace {

constexpr const char* kNullCell = "<null>";

// Every row of a file as text cells (kNullCell for NULL), with the batches it came in.
struct ReadOutput {
  Schema schema;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> batch_rows;
};

Result<ReadOutput> ReadAll(const std::string& path, const CsvOptions& options = {}) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::Open(path, options));
  ReadOutput out;
  out.schema = reader->schema();
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<Table> batch, reader->NextBatch());
    if (!batch) break;
    EXPECT_EQ(batch->schema(), out.schema);
    out.batch_rows.push_back(batch->rows());
    for (size_t r = 0; r < batch->rows(); ++r) {
      std::vector<std::string> row;
      for (const ColumnPtr& column : batch->columns()) {
        row.push_back(column->IsNull(r) ? kNullCell : FormatScalar(column->Get(r)));
      }
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

// The first batch of a file, for tests that look at physical values.
Table FirstBatch(const std::string& path, const CsvOptions& options = {}) {
  auto reader = CsvReader::Open(path, options);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  auto batch = (*reader)->NextBatch();
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_TRUE(batch->has_value());
  return **batch;
}

// Type names, so failures print readably.
std::vector<std::string> TypesOf(const Schema& schema) {
  std::vector<std::string> types;
  for (const Field& f : schema.fields()) types.push_back(TypeName(f.type));
  return types;
}

std::vector<std::string> NamesOf(const Schema& schema) {
  std::vector<std::string> names;
  for (const Field& f : schema.fields()) names.push_back(f.name);
  return names;
}

class CsvReaderTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& path : paths_) std::filesystem::remove(path);
  }

  // Writes `content` to a fresh file under the temp directory; removed after the test.
  std::string Write(std::string_view content) {
    std::string name = "strata_csv_test_" + std::to_string(::getpid()) + "_" +
                       std::to_string(paths_.size()) + ".csv";
    std::string path = (std::filesystem::temp_directory_path() / name).string();
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    paths_.push_back(path);
    return path;
  }

  std::vector<std::string> paths_;
};

TEST_F(CsvReaderTest, InfersEachType) {
  std::string text = "b,i,l,d,e,iso,ddb,mon,tm,mi,sec,dtm,ts,nts,sym,str,none\n";
  for (int r = 0; r < 8; ++r) {
    std::string n = std::to_string(r);
    text += std::string(r % 2 ? "true" : "FALSE") + "," + n + ",300000000" + n + "," + n + ".5,1e" +
            n + ",2017-08-0" + std::to_string(r + 1) + ",2017.08.07,2017.08M," +
            "13:30:10.008,13:30m,13:30:1" + n + ",2017-08-07 10:00:00,2017-08-07T10:00:00.123," +
            "2017.08.07T10:00:00.123456789," + (r % 2 ? "IBM" : "AAPL") + ",name" + n + ",\n";
  }
  auto out = ReadAll(Write(text));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(TypesOf(out->schema),
            (std::vector<std::string>{"BOOL", "INT", "LONG", "DOUBLE", "DOUBLE", "DATE", "DATE",
                                      "MONTH", "TIME", "MINUTE", "SECOND", "DATETIME", "TIMESTAMP",
                                      "NANOTIMESTAMP", "SYMBOL", "STRING", "STRING"}));
  ASSERT_EQ(out->rows.size(), 8u);
  EXPECT_EQ(out->rows[1],
            (std::vector<std::string>{"true", "1", "3000000001", "1.5", "10", "2017.08.02",
                                      "2017.08.07", "2017.08M", "13:30:10.008", "13:30m",
                                      "13:30:11", "2017.08.07T10:00:00", "2017.08.07T10:00:00.123",
                                      "2017.08.07T10:00:00.123456789", "IBM", "name1", kNullCell}));
  EXPECT_EQ(out->rows[0][0], "false");
}

TEST_F(CsvReaderTest, IsoAndDolphinDbDatesReadTheSame) {
  Table t = FirstBatch(Write("iso,ddb\n2017-08-07,2017.08.07\n1969-12-31,1969.12.31\n"));
  ASSERT_EQ(t.schema().field(0).type, Type::kDate);
  ASSERT_EQ(t.schema().field(1).type, Type::kDate);
  EXPECT_EQ(t.column(0)->values<int32_t>(), (std::vector<int32_t>{17385, -1}));
  EXPECT_EQ(t.column(1)->values<int32_t>(), (std::vector<int32_t>{17385, -1}));
}

TEST_F(CsvReaderTest, MixedSamplesTakeTheWiderType) {
  auto out =
      ReadAll(Write("when,num,big,text,flag\n"
                    "2017-08-07,1,1,1,1\n"
                    "2017-08-07 10:00:00,2.5,9000000000,x,0\n"
                    "2017.08.08T10:00:00.500,3,3,2017-08-07,1\n"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // DATE and DATETIME and TIMESTAMP → TIMESTAMP; INT and DOUBLE → DOUBLE; 0/1 are INT, not BOOL.
  EXPECT_EQ(TypesOf(out->schema),
            (std::vector<std::string>{"TIMESTAMP", "DOUBLE", "LONG", "STRING", "INT"}));
  EXPECT_EQ(out->rows[0][0], "2017.08.07T00:00:00.000");
  EXPECT_EQ(out->rows[1][0], "2017.08.07T10:00:00.000");
  EXPECT_EQ(out->rows[2][0], "2017.08.08T10:00:00.500");
  EXPECT_EQ(out->rows[0][1], "1");
  EXPECT_EQ(out->rows[1][1], "2.5");
}

TEST_F(CsvReaderTest, SymbolOnlyWhenValuesRepeat) {
  std::string text = "few,many\n";
  for (int r = 0; r < 40; ++r)
    text += "s" + std::to_string(r % 10) + ",m" + std::to_string(r) + "\n";
  auto out = ReadAll(Write(text));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // 10 distinct in 40 values is at the 1-in-4 limit → SYMBOL; 40 distinct → STRING.
  EXPECT_EQ(TypesOf(out->schema), (std::vector<std::string>{"SYMBOL", "STRING"}));
}

TEST_F(CsvReaderTest, QuotedFieldsHoldDelimitersNewlinesAndQuotes) {
  auto out =
      ReadAll(Write("id,note\n"
                    "1,\"a,b\"\n"
                    "2,\"line1\nline2\"\n"
                    "3,\"say \"\"hi\"\"\"\n"
                    "4,\"\"\n"
                    "5,plain \"inner\" quotes\n"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->rows.size(), 5u);
  EXPECT_EQ(out->rows[0][1], "a,b");
  EXPECT_EQ(out->rows[1][1], "line1\nline2");
  EXPECT_EQ(out->rows[2][1], "say \"hi\"");
  EXPECT_EQ(out->rows[3][1], kNullCell);
  EXPECT_EQ(out->rows[4][1], "plain \"inner\" quotes");
}

TEST_F(CsvReaderTest, CrLfLineEndsAndMissingFinalNewline) {
  auto crlf = ReadAll(Write("a,b\r\nx,1\r\n\"y\",2\r\n\r\n"));
  auto lf = ReadAll(Write("a,b\nx,1\ny,2"));
  ASSERT_TRUE(crlf.ok()) << crlf.status().ToString();
  ASSERT_TRUE(lf.ok()) << lf.status().ToString();
  EXPECT_EQ(crlf->schema, lf->schema);
  EXPECT_EQ(crlf->rows, lf->rows);
  EXPECT_EQ(crlf->rows, (std::vector<std::vector<std::string>>{{"x", "1"}, {"y", "2"}}));
  EXPECT_EQ(crlf->schema.field(1).type, Type::kInt);
}

TEST_F(CsvReaderTest, CustomDelimiter) {
  CsvOptions options{.delimiter = '|'};
  auto out = ReadAll(Write("a|b|c\n1|x,y|2017.01.02\n2|\"p|q\"|\n"), options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->rows, (std::vector<std::vector<std::string>>{{"1", "x,y", "2017.01.02"},
                                                              {"2", "p|q", kNullCell}}));
  options.delimiter = '\t';
  auto tabs = ReadAll(Write("a\tb\n1\thello world\n"), options);
  ASSERT_TRUE(tabs.ok()) << tabs.status().ToString();
  EXPECT_EQ(tabs->rows, (std::vector<std::vector<std::string>>{{"1", "hello world"}}));
}

TEST_F(CsvReaderTest, EmptyFieldsAreNulls) {
  Table t =
      FirstBatch(Write("i,d,dt,s,b\n1,1.5,2017-08-07,x,true\n,,,,\n3, ,2017-08-09,  ,false\n"));
  EXPECT_EQ(TypesOf(t.schema()),
            (std::vector<std::string>{"INT", "DOUBLE", "DATE", "STRING", "BOOL"}));
  for (size_t c = 0; c < t.column_count(); ++c) {
    EXPECT_FALSE(t.column(c)->IsNull(0)) << c;
    EXPECT_TRUE(t.column(c)->IsNull(1)) << c;
  }
  EXPECT_EQ(t.column(0)->values<int32_t>()[1], kNullInt32);
  EXPECT_EQ(t.column(1)->values<double>()[1], kNullDouble);
  EXPECT_TRUE(t.column(1)->IsNull(2));  // whitespace only
  EXPECT_TRUE(t.column(3)->IsNull(2));
}

// A row with quoted fields (delimiters, quotes, newlines), NULL prices and LF or CRLF ends.
std::string MakeRow(int r, std::vector<std::string>* expected) {
  std::string note = "n" + std::to_string(r);
  if (r % 3 == 0) note += ",comma";
  if (r % 5 == 0) note += "\nnewline";
  if (r % 7 == 0) note += " \"q\"";
  std::string quoted = "\"";
  for (char c : note) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += "\"";
  int day = 1 + r % 28;
  std::string date = "2017-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
  bool null_price = r % 11 == 0;
  std::string price = null_price ? "" : std::to_string(r) + ".25";
  *expected = {std::to_string(r), note,
               date.substr(0, 4) + "." + date.substr(5, 2) + "." + date.substr(8, 2),
               null_price ? kNullCell : std::to_string(r) + ".25"};
  return std::to_string(r) + "," + quoted + "," + date + "," + price + (r % 2 ? "\r\n" : "\n");
}

TEST_F(CsvReaderTest, BatchesAcrossBoundariesGiveTheSameRows) {
  std::string text = "id,note,day,price\n";
  std::vector<std::vector<std::string>> expected(1000);
  for (int r = 0; r < 1000; ++r) text += MakeRow(r, &expected[r]);
  std::string path = Write(text);
  auto whole = ReadAll(path);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->rows, expected);
  EXPECT_EQ(whole->batch_rows, (std::vector<size_t>{1000}));

  // Small batches, with the inference sample ending inside a batch.
  auto small = ReadAll(path, CsvOptions{.batch_rows_max = 7, .inference_rows = 10});
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->schema, whole->schema);
  EXPECT_EQ(small->rows, expected);
  ASSERT_EQ(small->batch_rows.size(), 143u);  // ceil(1000 / 7)
  for (size_t rows : small->batch_rows) EXPECT_LE(rows, 7u);
}

TEST_F(CsvReaderTest, RecordsSpanningReadBlocks) {
  // Over 4 MiB, so quoted fields and lines straddle the read buffer's refills.
  std::string text = "id,note,day,price\n";
  std::vector<std::vector<std::string>> expected(150000);
  for (int r = 0; r < 150000; ++r) text += MakeRow(r, &expected[r]);
  ASSERT_GT(text.size(), size_t{4} << 20);
  auto out = ReadAll(Write(text), CsvOptions{.batch_rows_max = 65536});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->rows, expected);
  EXPECT_EQ(out->batch_rows, (std::vector<size_t>{65536, 65536, 18928}));

  // A single field larger than the read buffer.
  std::string big(5 << 20, 'x');
  big[1000] = ',';
  auto huge = ReadAll(Write("a,b\n1,\"" + big + "\"\n2,y\n"));
  ASSERT_TRUE(huge.ok()) << huge.status().ToString();
  ASSERT_EQ(huge->rows.size(), 2u);
  EXPECT_EQ(huge->rows[0][1], big);
  EXPECT_EQ(huge->rows[1][1], "y");
}

TEST_F(CsvReaderTest, HeaderNamesAreSanitized) {
  auto out = ReadAll(Write(" \"first name\" ,2nd,a-b,,_ok9,\" quoted \"\n1,2,3,4,5,6\n"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(NamesOf(out->schema),
            (std::vector<std::string>{"first_name", "c2nd", "a_b", "col3", "_ok9", "quoted"}));
}

TEST_F(CsvReaderTest, HeaderOnlyFileHasNoBatches) {
  auto reader = CsvReader::Open(Write("\xEF\xBB\xBF"
                                      "a,b\n"),
                                {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(NamesOf((*reader)->schema()), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(TypesOf((*reader)->schema()), (std::vector<std::string>{"STRING", "STRING"}));
  auto batch = (*reader)->NextBatch();
  ASSERT_TRUE(batch.ok());
  EXPECT_FALSE(batch->has_value());
}

TEST_F(CsvReaderTest, GivenSchemaOverridesNamesAndTypes) {
  CsvOptions options;
  options.schema = Schema({{"id", Type::kLong},
                           {"px", Type::kFloat},
                           {"day", Type::kDate},
                           {"sym", Type::kSymbol},
                           {"t", Type::kSecond}});
  // The schema reads "1" as LONG, a DATETIME as DATE (floored), 12:00:00 as SECOND.
  Table t = FirstBatch(Write("a,b,c,d,a\n1,2.5,2017-08-07 23:59:59,007,12:00:00\n,,,,\n"), options);
  EXPECT_EQ(t.schema(), *options.schema);
  EXPECT_EQ(t.column(0)->values<int64_t>(), (std::vector<int64_t>{1, kNullInt64}));
  EXPECT_EQ(t.column(1)->values<float>()[0], 2.5f);
  EXPECT_TRUE(t.column(1)->IsNull(1));
  EXPECT_EQ(t.column(2)->values<int32_t>()[0], 17385);
  EXPECT_EQ(t.column(3)->values<std::string>()[0], "007");
  EXPECT_EQ(t.column(4)->values<int32_t>()[0], 12 * 3600);
}

TEST_F(CsvReaderTest, ErrorMissingFile) {
  std::string path = (std::filesystem::temp_directory_path() / "strata_no_such_file.csv").string();
  auto reader = CsvReader::Open(path, {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find(path), std::string::npos);
}

TEST_F(CsvReaderTest, ErrorEmptyFile) {
  auto reader = CsvReader::Open(Write(""), {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("empty"), std::string::npos);
}

TEST_F(CsvReaderTest, ErrorRaggedRowNamesLineAndCounts) {
  // The quoted newline in row 2 makes the ragged record start on line 5.
  std::string path = Write("a,b\n1,x\n2,\"two\nlines\"\n3,y,extra\n");
  auto out = ReadAll(path);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = out.status().message();
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("line 5"), std::string::npos) << message;
  EXPECT_NE(message.find("found 3 fields"), std::string::npos) << message;
  EXPECT_NE(message.find("header has 2"), std::string::npos) << message;

  // The same when the row comes after the inference sample, and the error sticks.
  auto reader = CsvReader::Open(path, CsvOptions{.inference_rows = 1});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto batch = (*reader)->NextBatch();
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("line 5"), std::string::npos);
  EXPECT_FALSE((*reader)->NextBatch().ok());
}

TEST_F(CsvReaderTest, ErrorValueAfterInferenceDoesNotWiden) {
  std::string path = Write("n,day\n1,2017-08-07\n2,2017-08-08\n1.5,2017-08-09\n");
  auto out = ReadAll(path, CsvOptions{.inference_rows = 2});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = out.status().message();
  for (const char* part : {"line 4", "column 'n'", "'1.5'", "INT", "schema"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
  }
  EXPECT_NE(message.find(path), std::string::npos) << message;

  // A time of day is not silently dropped from an inferred DATE column.
  auto dates =
      ReadAll(Write("day\n2017-08-07\n2017-08-08 10:00:00\n"), CsvOptions{.inference_rows = 1});
  ASSERT_FALSE(dates.ok());
  EXPECT_NE(dates.status().message().find("DATE"), std::string::npos);
  // Out of INT range after inference.
  auto big = ReadAll(Write("n\n1\n3000000000\n"), CsvOptions{.inference_rows = 1});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("'3000000000'"), std::string::npos);
}

TEST_F(CsvReaderTest, ErrorDuplicateHeader) {
  auto reader = CsvReader::Open(Write("id,price,ID\n1,2,3\n"), {});
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("duplicate column name 'ID'"), std::string::npos)
      << reader.status().message();
  // A schema renames the columns, so the header's duplicates do not matter.
  CsvOptions options;
  options.schema = Schema({{"a", Type::kInt}, {"b", Type::kInt}, {"c", Type::kInt}});
  EXPECT_TRUE(CsvReader::Open(Write("id,price,ID\n1,2,3\n"), options).ok());
}

TEST_F(CsvReaderTest, ErrorSchemaColumnCountMismatch) {
  CsvOptions options;
  options.schema = Schema({{"a", Type::kInt}});
  auto reader = CsvReader::Open(Write("a,b\n1,2\n"), options);
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("schema has 1"), std::string::npos)
      << reader.status().message();
}

TEST_F(CsvReaderTest, ErrorUnterminatedQuote) {
  auto out = ReadAll(Write("a,b\n1,\"open\n2,x\n"));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("line 2"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("not closed"), std::string::npos);
}

}  // namespace
}  // namespace strata
