// Temporal encodings (as DolphinDB): DATE days since 1970.01.01; MONTH months since year 0
// (year*12 + month-1); TIME ms, MINUTE minutes, SECOND seconds, NANOTIME ns since midnight;
// DATETIME s, TIMESTAMP ms, NANOTIMESTAMP ns since the epoch. Text forms: 2017.08.07,
// 2017.08M, 13:30:10.008, 13:30m, 13:30:10, 13:30:10.008007006, 2017.08.07T13:30:10,
// 2017.08.07T13:30:10.008, 2017.08.07T13:30:10.008007006.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types/scalar.h"
#include "types/type.h"

namespace strata {

// Division and remainder rounding toward negative infinity (dates before 1970 stay right).
int64_t FloorDiv(int64_t a, int64_t b);
int64_t FloorMod(int64_t a, int64_t b);

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day);

// The DolphinDB text form of a non-NULL temporal physical value.
std::string FormatTemporal(Type type, int64_t value);

// Parses a temporal literal in any of the text forms above, and also ISO forms
// (2017-08-07, 2017-08-07T10:00:00, 2017-08-07 10:00:00.123) and 2017.08.07 10:00:00.
// Returns the scalar with the type the text implies, or nullopt if it is not temporal.
std::optional<Scalar> ParseTemporal(std::string_view text);

// Converts a temporal (or integer, taken as the target's physical unit) value between types,
// e.g. TIMESTAMP → DATE (floor), DATE → MONTH, DATE → DATETIME (midnight). NULL stays NULL.
// nullopt when the conversion is meaningless (TIME → DATE).
std::optional<int64_t> ConvertTemporal(Type from, int64_t value, Type to);

}  // namespace strata
