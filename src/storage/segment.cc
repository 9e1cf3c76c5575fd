#include "storage/segment.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>

#include "base/bytes.h"
#include "base/hash.h"
#include "storage/segment_codec.h"
#include "storage/segment_layout.h"

namespace strata {
namespace {

template <typename T>
void ComputeRange(const std::vector<T>& values, Type type, ColumnStats& stats) {
  const T* low = nullptr;
  const T* high = nullptr;
  for (const T& v : values) {
    if (IsNullValue(v)) {
      ++stats.null_count;
      continue;
    }
    if (low == nullptr || v < *low) low = &v;
    if (high == nullptr || *high < v) high = &v;
  }
  if (low == nullptr) return;
  if constexpr (std::is_same_v<T, std::string>) {
    stats.min = Scalar::String(type, *low);
    stats.max = Scalar::String(type, *high);
  } else if constexpr (std::is_floating_point_v<T>) {
    stats.min = Scalar::Float(type, *low);
    stats.max = Scalar::Float(type, *high);
  } else {
    stats.min = Scalar::Int(type, *low);
    stats.max = Scalar::Int(type, *high);
  }
}

ColumnStats ComputeStats(const Column& column, Type type) {
  ColumnStats stats;
  stats.min = Scalar::Null(type);
  stats.max = Scalar::Null(type);
  std::visit([&](const auto& values) { ComputeRange(values, type, stats); }, column.data());
  return stats;
}

uint64_t GetU64At(std::string_view bytes, size_t offset) {
  uint64_t v;
  std::memcpy(&v, bytes.data() + offset, sizeof(v));
  return v;
}

// Called when the whole-file checksum fails: finds the part that is damaged so the message can
// name it. Always returns Corruption.
Status LocateDamage(std::string_view bytes, uint64_t footer_begin, uint64_t footer_size) {
  const std::string prefix =
      "segment checksum mismatch (" + std::to_string(bytes.size()) + " bytes): ";
  std::string_view footer_bytes = bytes.substr(footer_begin, footer_size);
  if (Xxh3(footer_bytes) != GetU64At(bytes, bytes.size() - 24)) {
    return Corruption(prefix + "the footer (offset " + std::to_string(footer_begin) +
                      ") is damaged; the segment must be restored from a copy");
  }
  auto footer = ParseFooter(footer_bytes, footer_begin);
  if (!footer.ok()) {
    return Corruption(prefix + "the footer is damaged: " + footer.status().message());
  }
  for (size_t c = 0; c < footer->columns.size(); ++c) {
    for (size_t b = 0; b < footer->columns[c].blocks.size(); ++b) {
      auto block = ReadBlock(bytes, footer->columns[c].blocks[b].offset, footer_begin);
      if (!block.ok()) {
        return Corruption(prefix + DescribeBlock(*footer, c, b) + " is damaged: " +
                          block.status().message() + "; the segment must be restored from a copy");
      }
    }
  }
  return Corruption(prefix +
                    "the file header or trailer is damaged; the segment must be "
                    "restored from a copy");
}

// Checks the framing and the whole-file checksum, then parses the footer.
Result<SegmentFooter> VerifyAndParse(std::string_view bytes) {
  const size_t min_size = kSegmentHeaderBytes + kSegmentTrailerBytes;
  if (bytes.size() < min_size || bytes.substr(bytes.size() - 8) != kSegmentMagic) {
    return Corruption("segment is truncated or not a segment: its " + std::to_string(bytes.size()) +
                      " bytes do not end with the magic '" + std::string(kSegmentMagic) +
                      "' (at least " + std::to_string(min_size) +
                      " bytes); the segment must be restored from a copy");
  }
  const uint64_t footer_size = GetU64At(bytes, bytes.size() - kSegmentTrailerBytes);
  const uint64_t body_size = bytes.size() - kSegmentTrailerBytes;
  const bool footer_fits = footer_size <= body_size - kSegmentHeaderBytes;
  const uint64_t footer_begin = footer_fits ? body_size - footer_size : 0;
  if (Xxh3(bytes.substr(0, bytes.size() - 16)) != GetU64At(bytes, bytes.size() - 16)) {
    if (!footer_fits) {
      return Corruption("segment checksum mismatch: the trailer is damaged (footer size " +
                        std::to_string(footer_size) + ")");
    }
    return LocateDamage(bytes, footer_begin, footer_size);
  }
  // Intact bytes from here on; what remains is checking that they are a segment we can read.
  if (bytes.substr(0, 8) != kSegmentMagic) {
    return Corruption("not a segment: the file does not start with the magic '" +
                      std::string(kSegmentMagic) + "'");
  }
  uint32_t version;
  std::memcpy(&version, bytes.data() + 8, sizeof(version));
  if (version != kSegmentFormatVersion) {
    return Unimplemented("segment format version " + std::to_string(version) +
                         " is not supported by this build (it reads version " +
                         std::to_string(kSegmentFormatVersion) + "); upgrade Strata");
  }
  if (!footer_fits) {
    return Corruption("segment footer size " + std::to_string(footer_size) + " exceeds the file");
  }
  auto footer = ParseFooter(bytes.substr(footer_begin, footer_size), footer_begin);
  if (!footer.ok()) return footer.status().WithContext("segment footer is invalid");
  return footer;
}

Result<ColumnPtr> DecodeColumn(std::string_view bytes, const SegmentFooter& footer, size_t index,
                               uint64_t footer_begin, std::string& scratch) {
  const ColumnLayout& layout = footer.columns[index];
  ColumnData data = MakeColumnData(layout.field.type);
  std::visit([&](auto& values) { values.resize(footer.rows); }, data);
  size_t row = 0;
  for (size_t b = 0; b < layout.blocks.size(); ++b) {
    const BlockRef& ref = layout.blocks[b];
    auto block = ReadBlock(bytes, ref.offset, footer_begin);
    Status status = block.ok() ? DecodeBlock(block->encoding, block->codec, block->stored,
                                             block->raw_size_bytes, ref.rows, data, row, scratch)
                               : block.status();
    if (!status.ok()) return status.WithContext("segment " + DescribeBlock(footer, index, b));
    row += ref.rows;
  }
  return std::make_shared<const Column>(layout.field.type, std::move(data));
}

}  // namespace

std::string EncodeSegment(const Table& table, const SegmentEncodeOptions& options) {
  std::string out;
  out.append(kSegmentMagic);
  ByteWriter header;
  header.PutU32(kSegmentFormatVersion);
  header.PutU32(0);  // flags, none defined in version 1
  out.append(header.bytes());

  SegmentFooter footer;
  footer.rows = table.rows();
  footer.block_rows_max =
      static_cast<uint32_t>(std::clamp<size_t>(options.block_rows_max, 1, kBlockRowsLimit));
  for (size_t c = 0; c < table.column_count(); ++c) {
    const Column& column = *table.column(c);
    ColumnLayout layout;
    layout.field = table.schema().field(c);
    layout.stats = ComputeStats(column, layout.field.type);
    for (size_t begin = 0; begin < column.size();) {
      size_t rows = NextBlockRows(column, begin, footer.block_rows_max);
      layout.blocks.push_back({out.size(), static_cast<uint32_t>(rows)});
      AppendBlock(EncodeBlock(column, begin, begin + rows), out);
      begin += rows;
    }
    footer.columns.push_back(std::move(layout));
  }

  std::string footer_bytes = SerializeFooter(footer);
  ByteWriter trailer;
  trailer.PutU64(footer_bytes.size());
  trailer.PutU64(Xxh3(footer_bytes));
  out.append(footer_bytes);
  out.append(trailer.bytes());
  ByteWriter tail;
  tail.PutU64(Xxh3(out));  // everything before this field
  tail.PutBytes(kSegmentMagic);
  out.append(tail.bytes());
  return out;
}

Result<SegmentSummary> ReadSegmentSummary(std::string_view bytes) {
  ASSIGN_OR_RETURN(SegmentFooter footer, VerifyAndParse(bytes));
  SegmentSummary summary;
  summary.rows = footer.rows;
  for (ColumnLayout& column : footer.columns) {
    summary.schema.Add(column.field);
    summary.stats.push_back(std::move(column.stats));
  }
  return summary;
}

Result<Table> DecodeSegment(std::string_view bytes, const std::vector<size_t>& column_indices) {
  ASSIGN_OR_RETURN(SegmentFooter footer, VerifyAndParse(bytes));
  std::vector<size_t> indices = column_indices;
  if (indices.empty()) {
    for (size_t i = 0; i < footer.columns.size(); ++i) indices.push_back(i);
  }
  const uint64_t footer_begin =
      bytes.size() - kSegmentTrailerBytes - GetU64At(bytes, bytes.size() - kSegmentTrailerBytes);
  Schema schema;
  std::vector<ColumnPtr> columns;
  std::string scratch;
  for (size_t index : indices) {
    if (index >= footer.columns.size()) {
      return InvalidArgument("column index " + std::to_string(index) +
                             " is out of range: the segment has " +
                             std::to_string(footer.columns.size()) + " columns");
    }
    ASSIGN_OR_RETURN(ColumnPtr column, DecodeColumn(bytes, footer, index, footer_begin, scratch));
    schema.Add(footer.columns[index].field);
    columns.push_back(std::move(column));
  }
  return Table(std::move(schema), std::move(columns));
}

}  // namespace strata
