// Helpers shared by the service module's tests: the one-column table both fixtures fill their
// databases with. Test-only.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "types/table.h"

namespace strata {

// A table of one INT column `id` holding `values`.
inline Table Ids(const std::vector<int32_t>& values) {
  Column id(Type::kInt);
  for (int32_t v : values) id.Append(Scalar::Int(Type::kInt, v));
  return Table(Schema({{"id", Type::kInt}}), {std::make_shared<const Column>(std::move(id))});
}

}  // namespace strata
