// How the script dialect words an error's Remedy (base/remedy.h): the script call that fixes it,
// appended to the message (`not logged in: call login(userId, password) first`). Pure functions,
// thread-safe.
#pragma once

#include <string>

#include "base/status.h"

namespace strata {

// The text to append to a message for `remedy` ("" for none).
std::string ScriptRemedy(const Remedy& remedy);
// `status`'s message with its remedy worded as a script call: what a script user reads.
std::string ScriptMessage(const Status& status);

}  // namespace strata
