#include "storage/segment_layout.h"

#include <cstring>

#include "base/bytes.h"
#include "base/hash.h"
#include "base/strings.h"

namespace strata {
namespace {

void PutStat(const Scalar& value, Storage storage, ByteWriter& writer) {
  switch (storage) {
    case Storage::kFloat32:
    case Storage::kFloat64: {
      double v = value.float_value();
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof(bits));
      writer.PutU64(bits);
      return;
    }
    case Storage::kString:
      writer.PutString(value.string_value());
      return;
    default:
      writer.PutU64(static_cast<uint64_t>(value.int_value()));
      return;
  }
}

Result<Scalar> GetStat(Type type, ByteReader& reader) {
  switch (StorageOf(type)) {
    case Storage::kFloat32:
    case Storage::kFloat64: {
      ASSIGN_OR_RETURN(uint64_t bits, reader.GetU64());
      double v;
      std::memcpy(&v, &bits, sizeof(v));
      return Scalar::Float(type, v);
    }
    case Storage::kString: {
      ASSIGN_OR_RETURN(std::string_view s, reader.GetString());
      return Scalar::String(type, std::string(s));
    }
    default: {
      ASSIGN_OR_RETURN(uint64_t v, reader.GetU64());
      return Scalar::Int(type, static_cast<int64_t>(v));
    }
  }
}

Result<ColumnLayout> ParseColumn(ByteReader& reader, const SegmentFooter& footer,
                                 uint64_t body_end) {
  ColumnLayout column;
  ASSIGN_OR_RETURN(std::string_view name, reader.GetString());
  column.field.name = std::string(name);
  ASSIGN_OR_RETURN(uint8_t type_id, reader.GetU8());
  auto type = TypeFromId(type_id);
  if (!type)
    return Corruption("column " + Quote(name) + " has unknown type id " + std::to_string(type_id));
  column.field.type = *type;
  ASSIGN_OR_RETURN(column.stats.null_count, reader.GetVarint());
  ASSIGN_OR_RETURN(uint8_t has_range, reader.GetU8());
  if (has_range > 1) return Corruption("column " + Quote(name) + " has an invalid stats flag");
  column.stats.min = Scalar::Null(*type);
  column.stats.max = Scalar::Null(*type);
  if (has_range == 1) {
    ASSIGN_OR_RETURN(column.stats.min, GetStat(*type, reader));
    ASSIGN_OR_RETURN(column.stats.max, GetStat(*type, reader));
  }
  ASSIGN_OR_RETURN(uint64_t block_count, reader.GetVarint());
  if (block_count > reader.remaining() / 2) {  // each block takes at least two bytes
    return Corruption("column " + Quote(name) + " claims " + std::to_string(block_count) +
                      " blocks, more than the footer can hold");
  }
  uint64_t rows = 0;
  for (uint64_t i = 0; i < block_count; ++i) {
    BlockRef block;
    ASSIGN_OR_RETURN(block.offset, reader.GetVarint());
    ASSIGN_OR_RETURN(uint64_t block_rows, reader.GetVarint());
    if (block_rows == 0 || block_rows > footer.block_rows_max) {
      return Corruption("column " + Quote(name) + " block " + std::to_string(i) + " has " +
                        std::to_string(block_rows) + " rows, outside 1.." +
                        std::to_string(footer.block_rows_max));
    }
    if (block.offset < kSegmentHeaderBytes || block.offset > body_end ||
        body_end - block.offset < kBlockHeaderBytes) {
      return Corruption("column " + Quote(name) + " block " + std::to_string(i) +
                        " starts at offset " + std::to_string(block.offset) +
                        ", outside the block area");
    }
    block.rows = static_cast<uint32_t>(block_rows);
    rows += block_rows;
    column.blocks.push_back(block);
  }
  if (rows != footer.rows) {
    return Corruption("column " + Quote(name) + " has " + std::to_string(rows) +
                      " rows in its blocks, the segment has " + std::to_string(footer.rows));
  }
  if (column.stats.null_count > rows) {
    return Corruption("column " + Quote(name) + " counts more NULLs than rows");
  }
  return column;
}

}  // namespace

void AppendBlock(const EncodedBlock& block, std::string& out) {
  // The checksum covers the header fields and the stored bytes, so a damaged size or codec id
  // is caught by the same check that catches damaged data.
  ByteWriter fields;
  fields.PutU8(static_cast<uint8_t>(block.encoding));
  fields.PutU8(static_cast<uint8_t>(block.codec));
  fields.PutU32(block.raw_size_bytes);
  fields.PutU32(static_cast<uint32_t>(block.stored.size()));
  std::string body = fields.Release();
  body.append(block.stored);
  uint64_t checksum = Xxh3(body);
  char checksum_bytes[8];
  std::memcpy(checksum_bytes, &checksum, sizeof(checksum));
  out.append(checksum_bytes, sizeof(checksum_bytes));
  out.append(body);
}

Result<BlockView> ReadBlock(std::string_view file, uint64_t offset, uint64_t body_end) {
  if (offset > body_end || body_end - offset < kBlockHeaderBytes || body_end > file.size()) {
    return Corruption("block header at offset " + std::to_string(offset) +
                      " runs past the block area");
  }
  const char* p = file.data() + offset;
  uint64_t checksum;
  uint32_t raw_size;
  uint32_t stored_size;
  std::memcpy(&checksum, p, 8);
  std::memcpy(&raw_size, p + 10, 4);
  std::memcpy(&stored_size, p + 14, 4);
  if (stored_size > body_end - offset - kBlockHeaderBytes) {
    return Corruption("block at offset " + std::to_string(offset) + " claims " +
                      std::to_string(stored_size) + " stored bytes, past the block area");
  }
  std::string_view checked(p + 8, kBlockHeaderBytes - 8 + stored_size);
  uint64_t actual = Xxh3(checked);
  if (actual != checksum) {
    return Corruption("block checksum mismatch (stored " + std::to_string(checksum) +
                      ", computed " + std::to_string(actual) + ")");
  }
  BlockView view;
  view.encoding = static_cast<BlockEncoding>(static_cast<uint8_t>(p[8]));
  view.codec = static_cast<Codec>(static_cast<uint8_t>(p[9]));
  view.raw_size_bytes = raw_size;
  view.stored = std::string_view(p + kBlockHeaderBytes, stored_size);
  return view;
}

std::string SerializeFooter(const SegmentFooter& footer) {
  ByteWriter writer;
  writer.PutVarint(footer.rows);
  writer.PutVarint(footer.block_rows_max);
  writer.PutVarint(footer.columns.size());
  for (const ColumnLayout& column : footer.columns) {
    writer.PutString(column.field.name);
    writer.PutU8(static_cast<uint8_t>(column.field.type));
    writer.PutVarint(column.stats.null_count);
    const bool has_range = !column.stats.min.is_null();
    writer.PutU8(has_range ? 1 : 0);
    if (has_range) {
      PutStat(column.stats.min, StorageOf(column.field.type), writer);
      PutStat(column.stats.max, StorageOf(column.field.type), writer);
    }
    writer.PutVarint(column.blocks.size());
    for (const BlockRef& block : column.blocks) {
      writer.PutVarint(block.offset);
      writer.PutVarint(block.rows);
    }
  }
  return writer.Release();
}

Result<SegmentFooter> ParseFooter(std::string_view bytes, uint64_t body_end) {
  ByteReader reader(bytes);
  SegmentFooter footer;
  ASSIGN_OR_RETURN(footer.rows, reader.GetVarint());
  ASSIGN_OR_RETURN(uint64_t block_rows_max, reader.GetVarint());
  if (block_rows_max == 0 || block_rows_max > kBlockRowsLimit) {
    return Corruption("footer block_rows_max " + std::to_string(block_rows_max) +
                      " is outside 1.." + std::to_string(kBlockRowsLimit));
  }
  footer.block_rows_max = static_cast<uint32_t>(block_rows_max);
  ASSIGN_OR_RETURN(uint64_t column_count, reader.GetVarint());
  if (column_count > reader.remaining()) {
    return Corruption("footer claims " + std::to_string(column_count) +
                      " columns, more than it can hold");
  }
  for (uint64_t i = 0; i < column_count; ++i) {
    auto column = ParseColumn(reader, footer, body_end);
    if (!column.ok()) {
      return column.status().WithContext("footer entry of column " + std::to_string(i));
    }
    footer.columns.push_back(std::move(column).value());
  }
  if (reader.remaining() != 0) {
    return Corruption("footer has " + std::to_string(reader.remaining()) +
                      " unexpected bytes after its last column");
  }
  return footer;
}

std::string DescribeBlock(const SegmentFooter& footer, size_t column, size_t block) {
  const ColumnLayout& layout = footer.columns[column];
  uint64_t first_row = 0;
  for (size_t i = 0; i < block; ++i) first_row += layout.blocks[i].rows;
  const BlockRef& ref = layout.blocks[block];
  return "column " + Quote(layout.field.name) + " (index " + std::to_string(column) + ") block " +
         std::to_string(block) + " (rows " + std::to_string(first_row) + ".." +
         std::to_string(first_row + ref.rows - 1) + ", offset " + std::to_string(ref.offset) + ")";
}

}  // namespace strata
