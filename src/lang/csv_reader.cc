#include "lang/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/file_util.h"
#include "base/strings.h"
#include "types/cast.h"
#include "types/temporal.h"

namespace strata {

namespace {

constexpr size_t kReadBufferBytes = size_t{4} << 20;
// A record longer than this is almost always an unbalanced quote swallowing the file.
constexpr size_t kRecordBytesMax = size_t{256} << 20;
// Rows reserved up front for the first batch; later batches reserve what the last one held.
constexpr size_t kFirstBatchReserveRowsMax = size_t{1} << 14;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits a file into records of fields (RFC 4180: double-quoted fields may hold the delimiter,
// newlines and "" for a quote; LF or CRLF line ends). Reads the file in large blocks; the
// fields of the current record are views into the read buffer, valid until the next Next().
// Blank lines are skipped. Not thread-safe.
class RecordReader {
 public:
  RecordReader(std::string path, FilePtr file, char delimiter)
      : path_(std::move(path)), file_(std::move(file)), delimiter_(delimiter) {}

  // Moves to the next non-blank record; false at the end of the file.
  Result<bool> Next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  // The 1-based line on which the current record starts.
  size_t line() const { return line_; }

 private:
  enum class Step { kRecord, kNeedMore, kError };
  Step ParseRecord(bool* blank);
  Status Refill();

  std::string path_;
  FilePtr file_;
  char delimiter_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t pos_ = 0;  // start of the unparsed bytes
  size_t end_ = 0;  // end of the bytes read
  bool eof_ = false;
  bool started_ = false;
  size_t line_ = 1;
  size_t next_line_ = 1;
  std::vector<std::string_view> fields_;
  std::vector<size_t> escaped_fields_;  // fields holding "" to collapse
  Status error_;
};

Status RecordReader::Refill() {
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == capacity_) {
    size_t grown = capacity_ == 0 ? kReadBufferBytes : capacity_ * 2;
    if (grown > kRecordBytesMax) {
      return InvalidArgument("file " + Quote(path_) + " line " + std::to_string(next_line_) +
                             ": record is longer than " + std::to_string(kRecordBytesMax >> 20) +
                             " MiB; check for an unbalanced double quote");
    }
    auto bigger = std::make_unique<char[]>(grown);
    if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  size_t n = std::fread(buffer_.get() + end_, 1, capacity_ - end_, file_.get());
  if (n < capacity_ - end_) {
    if (std::ferror(file_.get())) return IoError(ErrnoMessage("cannot read file " + Quote(path_)));
    eof_ = true;
  }
  if (!started_) {
    started_ = true;
    if (n >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 BOM
  }
  end_ += n;
  return Status::Ok();
}

// Parses the record at pos_. kNeedMore when the buffer ends inside it and the file has more.
RecordReader::Step RecordReader::ParseRecord(bool* blank) {
  fields_.clear();
  escaped_fields_.clear();
  const char* const base = buffer_.get();
  const char* p = base + pos_;
  const char* const end = base + end_;
  size_t newlines = 0;
  bool quoted_any = false;
  auto fail = [&](const std::string& what) {
    error_ =
        InvalidArgument("file " + Quote(path_) + " line " + std::to_string(line_) + ": " + what);
    return Step::kError;
  };
  for (;;) {
    if (p < end && *p == '"') {
      quoted_any = true;
      const char* q = p + 1;
      bool escaped = false;
      for (;;) {
        q = static_cast<const char*>(std::memchr(q, '"', end - q));
        if (q == nullptr) {
          if (!eof_) return Step::kNeedMore;
          return fail("a quoted field is not closed before the end of the file");
        }
        if (q + 1 == end && !eof_) return Step::kNeedMore;
        if (q + 1 < end && q[1] == '"') {
          escaped = true;
          q += 2;
          continue;
        }
        break;
      }
      newlines += std::count(p + 1, q, '\n');
      fields_.emplace_back(p + 1, q - p - 1);
      if (escaped) escaped_fields_.push_back(fields_.size() - 1);
      p = q + 1;
      while (p < end && IsBlank(*p) && *p != delimiter_) ++p;
      if (p + 1 >= end && !eof_) return Step::kNeedMore;  // need to see past a '\r'
      if (p < end && *p == '\r' && (p + 1 == end || p[1] == '\n')) ++p;
      if (p < end && *p != delimiter_ && *p != '\n') {
        return fail("unexpected character " + Quote(std::string_view(p, 1)) +
                    " after a closing quote; write a quote inside a quoted field as \"\"");
      }
    } else {
      const char* q = p;
      while (q < end && *q != delimiter_ && *q != '\n') ++q;
      if (q == end && !eof_) return Step::kNeedMore;
      size_t size = q - p;
      if (size > 0 && (q == end || *q == '\n') && q[-1] == '\r') --size;  // CRLF
      fields_.emplace_back(p, size);
      p = q;
    }
    if (p < end && *p == delimiter_) {
      ++p;
      continue;
    }
    if (p < end) {  // at the '\n' ending the record
      ++p;
      ++newlines;
    }
    break;
  }
  *blank = !quoted_any && fields_.size() == 1 && fields_[0].empty();
  pos_ = p - base;
  next_line_ = line_ + newlines;
  return Step::kRecord;
}

Result<bool> RecordReader::Next() {
  for (;;) {
    if (pos_ == end_) {
      if (eof_) return false;
      RETURN_IF_ERROR(Refill());
      continue;
    }
    line_ = next_line_;
    bool blank = false;
    Step step = ParseRecord(&blank);
    if (step == Step::kError) return error_;
    if (step == Step::kNeedMore) {
      RETURN_IF_ERROR(Refill());
      continue;
    }
    if (blank) continue;
    for (size_t i : escaped_fields_) {
      // Collapses "" to " in place; the bytes are consumed, so the buffer may be rewritten.
      std::string_view f = fields_[i];
      char* out = buffer_.get() + (f.data() - buffer_.get());
      char* w = out;
      for (size_t r = 0; r < f.size(); ++r) {
        *w++ = f[r];
        if (f[r] == '"') ++r;
      }
      fields_[i] = std::string_view(out, w - out);
    }
    return true;
  }
}

// ---- Type inference ----

// The type a single non-empty, trimmed field suggests; STRING when nothing else fits.
Type ClassifyValue(std::string_view text) {
  if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "false")) return Type::kBool;
  char c = text[0];
  if (!IsDigit(c) && c != '-' && c != '.') return Type::kString;
  const char* end = text.data() + text.size();
  int64_t i = 0;
  auto [ip, iec] = std::from_chars(text.data(), end, i);
  if (iec == std::errc() && ip == end) {
    if (i > kNullInt32 && i <= INT32_MAX) return Type::kInt;
    if (i != kNullInt64) return Type::kLong;
  }
  double d = 0;
  auto [dp, dec] = std::from_chars(text.data(), end, d);
  if (dec == std::errc() && dp == end && std::isfinite(d) &&
      std::any_of(text.begin(), text.end(), IsDigit)) {
    return Type::kDouble;
  }
  if (auto temporal = ParseTemporal(text)) return temporal->type();
  return Type::kString;
}

// Rank within a family of types that widen into each other, or -1.
int WideningRank(Type type, int family) {
  static constexpr Type kFamilies[3][4] = {
      {Type::kInt, Type::kLong, Type::kDouble, Type::kVoid},
      {Type::kDate, Type::kDateTime, Type::kTimestamp, Type::kNanoTimestamp},
      {Type::kMinute, Type::kSecond, Type::kTime, Type::kNanoTime}};
  for (int r = 0; r < 4; ++r) {
    if (kFamilies[family][r] == type && type != Type::kVoid) return r;
  }
  return -1;
}

// The narrowest type holding values of both types (VOID means "no value yet"): INT < LONG <
// DOUBLE; DATE < DATETIME < TIMESTAMP < NANOTIMESTAMP; MINUTE < SECOND < TIME < NANOTIME.
// Anything else mixed is STRING.
Type MergeTypes(Type a, Type b) {
  if (a == b || b == Type::kVoid) return a;
  if (a == Type::kVoid) return b;
  for (int family = 0; family < 3; ++family) {
    int ra = WideningRank(a, family);
    int rb = WideningRank(b, family);
    if (ra >= 0 && rb >= 0) return ra > rb ? a : b;
  }
  return Type::kString;
}

// Header names become identifiers the script can use: whitespace and surrounding double
// quotes are removed, every character other than an ASCII letter, digit or '_' becomes '_',
// a name starting with a digit gets a 'c' prefix ("2nd price" → "c2nd_price"), and an empty
// name becomes col<index> (0-based, as DolphinDB names header-less columns).
std::string SanitizeColumnName(std::string_view raw, size_t index) {
  std::string_view text = Trim(raw);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = Trim(text.substr(1, text.size() - 2));
  }
  if (text.empty()) return "col" + std::to_string(index);
  std::string name;
  if (IsDigit(text[0])) name.push_back('c');
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
    name.push_back(ok ? c : '_');
  }
  return name;
}

bool IsValidDate(int64_t y, int64_t m, int64_t d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

// "2017-08-07" or "2017.08.07" → days since the epoch; false for any other text.
bool ParseDateFast(std::string_view s, int32_t* days) {
  if (s.size() != 10 || (s[4] != '-' && s[4] != '.') || s[7] != s[4]) return false;
  int v[8];
  static constexpr int kPos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (int i = 0; i < 8; ++i) {
    v[i] = s[kPos[i]] - '0';
    if (v[i] < 0 || v[i] > 9) return false;
  }
  int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  int64_t m = v[4] * 10 + v[5];
  int64_t d = v[6] * 10 + v[7];
  if (!IsValidDate(y, m, d)) return false;
  *days =
      static_cast<int32_t>(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

bool ParseInt32Fast(std::string_view s, int32_t* out) {
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = p < end && *p == '-';
  if (negative) ++p;
  if (p == end || end - p > 10) return false;
  int64_t v = 0;
  for (; p < end; ++p) {
    unsigned digit = static_cast<unsigned>(*p - '0');
    if (digit > 9) return false;
    v = v * 10 + digit;
  }
  if (negative) v = -v;
  if (v <= kNullInt32 || v > INT32_MAX) return false;
  *out = static_cast<int32_t>(v);
  return true;
}

// ---- Column building ----

// Converts the field texts of one column into the column of the current batch. Fast paths
// parse INT, LONG, DOUBLE, DATE, other temporal types and strings without a Scalar; anything
// else (and text the fast path rejects, like " 12") goes through ParseScalar. For an inferred
// column a value must also fit the inferred type: "1.5" in an INT column is rejected, not
// widened. Not thread-safe; must not move after StartBatch (it keeps pointers into column_).
class ColumnBuilder {
 public:
  ColumnBuilder(Type type, bool inferred) : type_(type), inferred_(inferred), column_(type) {
    switch (type) {
      case Type::kInt:
        path_ = Path::kInt32;
        break;
      case Type::kLong:
        path_ = Path::kInt64;
        break;
      case Type::kDouble:
        path_ = Path::kDouble;
        break;
      case Type::kDate:
        path_ = Path::kDate;
        break;
      case Type::kSymbol:
      case Type::kString:
        path_ = Path::kString;
        break;
      default:
        path_ = IsTemporal(type) ? Path::kTemporal : Path::kScalar;
    }
  }

  void StartBatch(size_t rows_reserve) {
    column_ = Column(type_);
    column_.Reserve(rows_reserve);
    switch (StorageOf(type_)) {
      case Storage::kInt32:
        int32_ = &column_.mutable_values<int32_t>();
        break;
      case Storage::kInt64:
        int64_ = &column_.mutable_values<int64_t>();
        break;
      case Storage::kFloat64:
        double_ = &column_.mutable_values<double>();
        break;
      case Storage::kString:
        string_ = &column_.mutable_values<std::string>();
        break;
      default:
        break;
    }
  }

  // Appends one field; false if it is not a value of the column's type.
  bool Append(std::string_view text) {
    switch (path_) {
      case Path::kInt32: {
        int32_t v;
        if (ParseInt32Fast(text, &v)) {
          int32_->push_back(v);
          return true;
        }
        break;
      }
      case Path::kInt64: {
        int64_t v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && p == text.data() + text.size() && v != kNullInt64) {
          int64_->push_back(v);
          return true;
        }
        break;
      }
      case Path::kDouble: {
        double v = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && p == text.data() + text.size() && std::isfinite(v)) {
          double_->push_back(v);
          return true;
        }
        break;
      }
      case Path::kDate: {
        int32_t days;
        if (ParseDateFast(text, &days)) {
          int32_->push_back(days);
          return true;
        }
        break;
      }
      case Path::kTemporal: {
        auto parsed = text.empty() ? std::nullopt : ParseTemporal(text);
        if (parsed && parsed->type() == type_) {
          if (int32_ != nullptr) {
            int32_->push_back(static_cast<int32_t>(parsed->int_value()));
          } else {
            int64_->push_back(parsed->int_value());
          }
          return true;
        }
        break;
      }
      case Path::kString:
        if (!text.empty() && !IsBlank(text.front()) && !IsBlank(text.back())) {
          string_->emplace_back(text);
          return true;
        }
        break;
      case Path::kScalar:
        break;
    }
    return AppendSlow(text);
  }

  ColumnPtr FinishBatch() { return std::make_shared<const Column>(std::move(column_)); }

 private:
  enum class Path : uint8_t { kInt32, kInt64, kDouble, kDate, kTemporal, kString, kScalar };

  bool AppendSlow(std::string_view text) {
    std::string_view trimmed = Trim(text);
    if (trimmed.empty()) {
      column_.AppendNull();
      return true;
    }
    if (path_ == Path::kString) {
      string_->emplace_back(text);
      return true;
    }
    if (inferred_ && MergeTypes(type_, ClassifyValue(trimmed)) != type_) return false;
    Result<Scalar> value = ParseScalar(trimmed, type_);
    if (!value.ok()) return false;
    column_.Append(*value);
    return true;
  }

  Type type_;
  bool inferred_;
  Path path_ = Path::kScalar;
  Column column_;
  std::vector<int32_t>* int32_ = nullptr;
  std::vector<int64_t>* int64_ = nullptr;
  std::vector<double>* double_ = nullptr;
  std::vector<std::string>* string_ = nullptr;
};

// ---- The reader ----

// Sample rows read for inference; the first batches replay them. Fields are kept as offsets
// into one text buffer so the sample costs one allocation per growth, not one per field.
struct Sample {
  std::string text;
  std::vector<std::pair<size_t, size_t>> fields;  // offset, size; column_count per row
  std::vector<size_t> lines;
  size_t next_row = 0;
};

class CsvFileReader final : public CsvReader {
 public:
  CsvFileReader(std::string path, const CsvOptions& options, FilePtr file)
      : path_(path), options_(options), records_(path, std::move(file), options.delimiter) {}

  Status Init();
  const Schema& schema() const override { return schema_; }
  Result<std::optional<Table>> NextBatch() override;

 private:
  Status ReadHeader();
  Status ReadSample();
  void InferTypes();
  Status CheckFieldCount(size_t count, size_t line) const;
  Status AppendRow(const std::vector<std::string_view>& fields, size_t line);
  Result<std::optional<Table>> ReadBatch();

  std::string path_;
  CsvOptions options_;
  RecordReader records_;
  std::vector<std::string> header_names_;
  Schema schema_;
  std::vector<ColumnBuilder> columns_;
  Sample sample_;
  std::vector<std::string_view> row_;  // a replayed sample row
  size_t batch_reserve_rows_ = 0;
  bool done_ = false;
  Status error_;  // sticky: once a batch fails, every later call returns the same error
};

Status CsvFileReader::ReadHeader() {
  ASSIGN_OR_RETURN(bool has_header, records_.Next());
  if (!has_header) {
    return InvalidArgument("file " + Quote(path_) +
                           " line 1: the file is empty; expected a header line naming the "
                           "columns");
  }
  const auto& fields = records_.fields();
  std::unordered_map<std::string, size_t> seen;  // lower-case name → column
  for (size_t i = 0; i < fields.size(); ++i) {
    header_names_.push_back(SanitizeColumnName(fields[i], i));
    if (options_.schema) continue;  // the schema names the columns
    auto [it, inserted] = seen.emplace(ToLower(header_names_.back()), i);
    if (!inserted) {
      return InvalidArgument("file " + Quote(path_) + " line " + std::to_string(records_.line()) +
                             ": duplicate column name " + Quote(header_names_.back()) +
                             " (columns " + std::to_string(it->second + 1) + " and " +
                             std::to_string(i + 1) +
                             "); rename a column in the header or pass a schema");
    }
  }
  return Status::Ok();
}

Status CsvFileReader::CheckFieldCount(size_t count, size_t line) const {
  if (count == header_names_.size()) return Status::Ok();
  return InvalidArgument("file " + Quote(path_) + " line " + std::to_string(line) + ": found " +
                         std::to_string(count) + " fields but the header has " +
                         std::to_string(header_names_.size()) + "; check the delimiter " +
                         Quote(std::string_view(&options_.delimiter, 1)) + " and the quoting");
}

Status CsvFileReader::ReadSample() {
  while (sample_.lines.size() < options_.inference_rows) {
    ASSIGN_OR_RETURN(bool has_row, records_.Next());
    if (!has_row) {
      done_ = true;
      break;
    }
    RETURN_IF_ERROR(CheckFieldCount(records_.fields().size(), records_.line()));
    for (std::string_view f : records_.fields()) {
      sample_.fields.emplace_back(sample_.text.size(), f.size());
      sample_.text.append(f);
    }
    sample_.lines.push_back(records_.line());
  }
  return Status::Ok();
}

// A column is the narrowest type (MergeTypes) of its non-empty sampled values. Text columns
// are SYMBOL when values repeat — at most one distinct value per 4 non-empty sampled values —
// else STRING; an all-empty column is STRING.
void CsvFileReader::InferTypes() {
  size_t column_count = header_names_.size();
  for (size_t c = 0; c < column_count; ++c) {
    Type type = Type::kVoid;
    size_t non_empty = 0;
    std::unordered_set<std::string_view> distinct;
    for (size_t r = 0; r < sample_.lines.size(); ++r) {
      auto [offset, size] = sample_.fields[r * column_count + c];
      std::string_view text = Trim(std::string_view(sample_.text).substr(offset, size));
      if (text.empty()) continue;
      ++non_empty;
      distinct.insert(text);
      if (type != Type::kString) type = MergeTypes(type, ClassifyValue(text));
    }
    if (type == Type::kVoid) type = Type::kString;
    if (type == Type::kString && non_empty > 0 && distinct.size() * 4 <= non_empty) {
      type = Type::kSymbol;
    }
    schema_.Add(Field{header_names_[c], type});
  }
}

Status CsvFileReader::Init() {
  if (options_.delimiter == '"' || options_.delimiter == '\n' || options_.delimiter == '\r') {
    return InvalidArgument("cannot read file " + Quote(path_) + " with delimiter " +
                           Quote(std::string_view(&options_.delimiter, 1)) +
                           "; choose a delimiter other than a quote or a line break");
  }
  if (options_.batch_rows_max == 0) {
    return InvalidArgument("cannot read file " + Quote(path_) +
                           ": batch_rows_max is 0; pass at least 1");
  }
  RETURN_IF_ERROR(ReadHeader());
  if (options_.schema) {
    const Schema& given = *options_.schema;
    if (given.size() != header_names_.size()) {
      return InvalidArgument("file " + Quote(path_) + " has " +
                             std::to_string(header_names_.size()) + " columns but the schema has " +
                             std::to_string(given.size()) +
                             "; pass a schema with one field per column");
    }
    for (const Field& f : given.fields()) {
      if (f.type == Type::kVoid) {
        return InvalidArgument("schema column " + Quote(f.name) + " for file " + Quote(path_) +
                               " has type VOID; give it a concrete type");
      }
    }
    schema_ = given;
  } else {
    RETURN_IF_ERROR(ReadSample());
    InferTypes();
  }
  columns_.reserve(schema_.size());  // builders must not move once batches start
  for (const Field& f : schema_.fields()) columns_.emplace_back(f.type, !options_.schema);
  batch_reserve_rows_ = std::min(options_.batch_rows_max, kFirstBatchReserveRowsMax);
  return Status::Ok();
}

Status CsvFileReader::AppendRow(const std::vector<std::string_view>& fields, size_t line) {
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].Append(fields[c])) continue;
    const Field& field = schema_.field(c);
    std::string why = options_.schema ? std::string(" (the type in the given schema)")
                                      : " (the type inferred from the first " +
                                            std::to_string(options_.inference_rows) +
                                            " rows); pass a schema giving the column a wider type";
    return InvalidArgument("file " + Quote(path_) + " line " + std::to_string(line) + " column " +
                           Quote(field.name) + ": cannot read " + Quote(fields[c]) + " as " +
                           TypeName(field.type) + why);
  }
  return Status::Ok();
}

Result<std::optional<Table>> CsvFileReader::ReadBatch() {
  for (ColumnBuilder& column : columns_) column.StartBatch(batch_reserve_rows_);
  size_t column_count = columns_.size();
  size_t rows = 0;
  while (rows < options_.batch_rows_max) {
    if (sample_.next_row < sample_.lines.size()) {
      size_t r = sample_.next_row++;
      row_.clear();
      for (size_t c = 0; c < column_count; ++c) {
        auto [offset, size] = sample_.fields[r * column_count + c];
        row_.push_back(std::string_view(sample_.text).substr(offset, size));
      }
      RETURN_IF_ERROR(AppendRow(row_, sample_.lines[r]));
      if (sample_.next_row == sample_.lines.size()) sample_ = Sample();  // free the sample
    } else {
      if (done_) break;
      ASSIGN_OR_RETURN(bool has_row, records_.Next());
      if (!has_row) {
        done_ = true;
        break;
      }
      RETURN_IF_ERROR(CheckFieldCount(records_.fields().size(), records_.line()));
      RETURN_IF_ERROR(AppendRow(records_.fields(), records_.line()));
    }
    ++rows;
  }
  if (rows == 0) return std::optional<Table>();
  if (rows == options_.batch_rows_max) batch_reserve_rows_ = rows;
  std::vector<ColumnPtr> columns;
  columns.reserve(column_count);
  for (ColumnBuilder& column : columns_) columns.push_back(column.FinishBatch());
  return std::optional<Table>(Table(schema_, std::move(columns)));
}

Result<std::optional<Table>> CsvFileReader::NextBatch() {
  if (!error_.ok()) return error_;
  Result<std::optional<Table>> batch = ReadBatch();
  if (!batch.ok()) error_ = batch.status();
  return batch;
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const CsvOptions& options) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (file == nullptr) {
    if (errno == ENOENT) return NotFound("file " + Quote(path) + " not found; check the path");
    return IoError(ErrnoMessage("cannot open file " + Quote(path)));
  }
  std::setvbuf(file.get(), nullptr, _IONBF, 0);  // RecordReader reads in large blocks itself
  auto reader = std::make_unique<CsvFileReader>(path, options, std::move(file));
  RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<CsvReader>(std::move(reader));
}

}  // namespace strata
