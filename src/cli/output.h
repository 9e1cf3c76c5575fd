// How the strata binary prints values: aligned text (the DolphinDB console's forms) or one JSON
// document per value per line.
#pragma once

#include <cstdio>

#include "types/format.h"

namespace strata {

enum class OutputFormat : uint8_t { kTable, kJson };

inline void PrintValue(const Value& value, OutputFormat format, std::FILE* out) {
  std::string text =
      format == OutputFormat::kJson ? FormatValueJson(value) : FormatValueText(value);
  std::fwrite(text.data(), 1, text.size(), out);
  std::fputc('\n', out);
  std::fflush(out);
}

}  // namespace strata
