#include "lang/script_files.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "auth/auth.h"
#include "base/strings.h"
#include "lang/interpreter.h"

namespace strata {

namespace fs = std::filesystem;

namespace {

// `path` made absolute and resolved through every symlink of the part that exists.
Result<fs::path> Canonical(const std::string& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (!error) absolute = fs::weakly_canonical(absolute, error);
  if (error) return IoError("cannot resolve the path " + Quote(path) + ": " + error.message());
  return absolute;
}

// True if `path` is `dir` or inside it (both canonical).
bool IsWithin(const fs::path& path, const fs::path& dir) {
  auto [dir_end, path_end] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return dir_end == dir.end() || (std::next(dir_end) == dir.end() && dir_end->empty());
}

}  // namespace

Result<std::string> AuthorizeScriptFileRead(Interpreter& in, const std::string& path) {
  ASSIGN_OR_RETURN(fs::path resolved, Canonical(path));
  const std::string who = in.user().empty() ? std::string("a session that is not logged in")
                                            : "user " + Quote(in.user());
  std::string named = Quote(path);
  if (resolved.string() != path) named += " (resolved to " + Quote(resolved.string()) + ")";
  const std::string denied = who + " may not read " + named;
  Engine* engine = in.engine();
  if (engine != nullptr) {
    ASSIGN_OR_RETURN(fs::path data_dir, Canonical(engine->data_dir()));
    if (IsWithin(resolved, data_dir)) {
      return PermissionDenied(denied + ": it is inside the data directory " +
                              Quote(data_dir.string()) +
                              ", whose files no script may read; copy the file out of it first");
    }
    if (!in.user().empty()) {
      ASSIGN_OR_RETURN(bool superuser, IsAdmin(engine->catalog(), in.user()));
      if (superuser) return resolved.string();
    }
  }
  const std::string& file_dir = in.script_file_dir();
  if (file_dir.empty()) {
    return PermissionDenied(denied +
                            ": only superusers name files in scripts unless strata.cfg sets "
                            "scriptFileDir; set scriptFileDir=<directory> in strata.cfg and put "
                            "the file there, or log in as a superuser");
  }
  ASSIGN_OR_RETURN(fs::path allowed, Canonical(file_dir));
  std::error_code error;
  if (!fs::is_directory(allowed, error)) {
    return FailedPrecondition("scriptFileDir " + Quote(file_dir) +
                              " in strata.cfg is not a directory; create it or correct the "
                              "setting");
  }
  if (!IsWithin(resolved, allowed)) {
    return PermissionDenied(denied + ": it is outside scriptFileDir " + Quote(file_dir) +
                            "; put the file under that directory, or log in as a superuser");
  }
  return resolved.string();
}

}  // namespace strata
