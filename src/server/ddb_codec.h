// The object format of DolphinDB's client protocol (../shared/notes/dolphindb-api-protocol.md
// §6): how a script Value travels to and from the official clients (JavaScript, C++, Java,
// Python). Every object is a type byte and a form byte, then its payload, little-endian; NULLs
// are the types' sentinels, as in Strata's own columns. Pure functions: no sockets, no
// sessions.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/value.h"

namespace strata::ddb {

// Type ids beyond Strata's own (types/type.h holds 0..18 with DolphinDB's ids).
inline constexpr uint8_t kTypeFunctionDef = 20;
inline constexpr uint8_t kTypeHandle = 21;
inline constexpr uint8_t kTypeAny = 25;
inline constexpr uint8_t kTypeSymbolWithBase = 17 + 128;  // a SYMBOL vector with its base

enum class WireForm : uint8_t {
  kScalar = 0,
  kVector = 1,
  kPair = 2,
  kMatrix = 3,
  kSet = 4,
  kDictionary = 5,
  kTable = 6,
};

// Appends `value` to `out` as one top-level object (its SYMBOL vectors number their bases
// from 0). VOID goes out as the NULL scalar; an Object (a function, a handle) as a HANDLE
// scalar holding its text. InvalidArgument naming what cannot travel: a string holding a NUL
// byte, a table without columns, more than 2^31 - 1 elements.
Status EncodeObject(const Value& value, std::string& out);

// How an answer too big to build whole goes out in pieces: once `out` holds `piece_bytes` or
// more (at the end of a column, an element, a string), `send` is given it and clears it. An
// error of `send` ends the encoding with it; an error of the value leaves what was sent, so
// check first (a run whose `send` only clears `out` makes nothing and checks everything).
struct Pieces {
  size_t piece_bytes = 1 << 20;
  std::function<Status(std::string& out)> send;
};

// EncodeObject in pieces.
Status EncodeObject(const Value& value, std::string& out, const Pieces& pieces);

// Appends `table` as the C++ and Java APIs read an answer when they asked for one in blocks
// (a request's fetchSize, protocol note §4.6): the head of an ANY vector whose length is the
// number of blocks, then each block as a table of at most `block_rows` rows. A table of no
// rows is one empty block. In pieces when `pieces` has a `send`.
Status EncodeTableBlocks(const Table& table, size_t block_rows, std::string& out,
                         const Pieces& pieces = {});

struct DecodeLimits {
  size_t max_elements = size_t{1} << 28;  // per vector, table column, dictionary or tuple
  size_t max_depth = 32;                  // tuples and dictionaries within each other
  // The memory the decoded objects of one request may take: this many bytes per byte of input,
  // plus `memory_base`. A few bytes must not claim gigabytes (a VOID vector has no payload, a
  // SYMBOL code copies its base string); no real upload comes near (an empty STRING, one byte
  // sent, takes 32 in memory).
  size_t memory_per_input_byte = 64;
  size_t memory_base = size_t{16} << 20;
};

// Reads objects one after another from a request's arguments. The symbol bases an object
// defines stay known to the objects after it in the same request (clients reuse id 0).
class ObjectReader {
 public:
  explicit ObjectReader(DecodeLimits limits = {}) : limits_(limits) {}
  // The object at `*pos` of `in`, advancing `*pos` past it; nullopt (and `*pos` unchanged)
  // when `in` ends before the object does, so a caller reading a stream reads more and asks
  // again. InvalidArgument naming the type, form or field for anything malformed or past the
  // limits (the memory limit counts every object this reader has read); Unimplemented for
  // forms and types Strata has no value for (matrices, DECIMAL, compressed columns, ...).
  Result<std::optional<Value>> Read(std::string_view in, size_t* pos);

 private:
  DecodeLimits limits_;
  std::map<int32_t, std::vector<std::string>> symbol_bases_;
  size_t memory_ = 0;  // what the objects read so far take
};

}  // namespace strata::ddb
