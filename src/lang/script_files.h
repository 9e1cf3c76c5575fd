// Which files a script may name (loadText, loadTextEx): superusers any file outside the data
// directory; other sessions, logged in or not, only files under the directory strata.cfg's
// scriptFileDir names. Paths are compared as canonical paths, so `..` and symlinks cannot
// escape. No script may read the data directory (its strata.cfg holds secrets, its catalog the
// password hashes).
#pragma once

#include <string>

#include "base/status.h"

namespace strata {

class Interpreter;

// The canonical path of `path` (relative paths are resolved against the working directory) if
// the session of `interpreter` may read it; PermissionDenied naming the path, the
// user and the fix otherwise; FailedPrecondition when scriptFileDir is not a directory.
Result<std::string> AuthorizeScriptFileRead(Interpreter& interpreter, const std::string& path);

}  // namespace strata
