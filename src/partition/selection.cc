#include "partition/selection.h"

#include <set>

namespace strata {

bool IsPathSelection(const Value& selection) {
  if (!IsStringLike(selection.type())) return false;
  if (selection.is_scalar()) return selection.scalar().string_value().starts_with("/");
  return selection.is_vector() && selection.size() > 0 &&
         selection.column()->Get(0).string_value().starts_with("/");
}

Result<std::vector<std::string>> ResolveSelection(const PartitionScheme& scheme,
                                                  const Value& selection,
                                                  const std::vector<std::string>& existing_paths) {
  if (!IsPathSelection(selection)) return scheme.SelectByFilter(selection, existing_paths);
  std::set<std::string, std::less<>> wanted;
  auto add = [&](const std::string& path) -> Status {
    RETURN_IF_ERROR(scheme.ValidatePath(path));
    wanted.insert(path);
    return Status::Ok();
  };
  if (selection.is_scalar()) {
    RETURN_IF_ERROR(add(selection.scalar().string_value()));
  } else {
    for (size_t i = 0; i < selection.size(); ++i) {
      RETURN_IF_ERROR(add(selection.column()->Get(i).string_value()));
    }
  }
  std::vector<std::string> selected;
  for (const auto& path : existing_paths) {
    if (wanted.count(path)) selected.push_back(path);
  }
  return selected;
}

}  // namespace strata
