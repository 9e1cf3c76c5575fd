#include "lang/script_remedy.h"

namespace strata {

namespace {

std::string Arg(const Remedy& remedy, size_t index) {
  return index < remedy.args.size() ? remedy.args[index] : "";
}

}  // namespace

std::string ScriptRemedy(const Remedy& remedy) {
  switch (remedy.kind) {
    case RemedyKind::kNone:
      return "";
    case RemedyKind::kLogin:
      return ": call login(userId, password) first";
    case RemedyKind::kGrant:
      return "; a superuser can grant it with grant(\"" + Arg(remedy, 0) + "\", " + Arg(remedy, 1) +
             ", \"" + Arg(remedy, 2) + "\")";
    case RemedyKind::kCancelJob:
      return "; wait for it or cancel it with cancelJob(\"" + Arg(remedy, 0) + "\")";
    case RemedyKind::kWaitForJob:
      return "; call getJobReturn(\"" + Arg(remedy, 0) + "\", true) to wait for it";
  }
  return "";
}

std::string ScriptMessage(const Status& status) {
  return status.message() + ScriptRemedy(status.remedy());
}

}  // namespace strata
