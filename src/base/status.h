// Status and Result<T>: the one error model of Strata. Fallible functions return one of them;
// exceptions never cross a module boundary. A Status carries a code and a message that names
// the object involved and, where there is one, the fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "base/check.h"
#include "base/remedy.h"

namespace strata {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kFailedPrecondition,
  kIoError,
  kCorruption,
  kCancelled,
  kUnimplemented,
  kInternal,
  kUnavailable,  // a transient failure of a remote service (worth retrying)
};

// Returns a stable, human-readable name for `code` ("InvalidArgument", ...).
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NotFound: table 'pt' ..." — for logs and tests; users see message().
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": " (the remedy stays).
  Status WithContext(const std::string& context) const;

  // What the user can do about it, in no dialect's words (base/remedy.h); each front end words
  // it after the message. Lower layers attach one instead of naming a script call.
  const Remedy& remedy() const { return remedy_; }
  Status WithRemedy(Remedy remedy) const {
    Status copy = *this;
    copy.remedy_ = std::move(remedy);
    return copy;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  Remedy remedy_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status PermissionDenied(std::string message);
Status FailedPrecondition(std::string message);
Status IoError(std::string message);
Status Corruption(std::string message);
Status Cancelled(std::string message);
Status Unimplemented(std::string message);
Status Internal(std::string message);
Status Unavailable(std::string message);

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    STRATA_CHECK(!status_.ok());
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    STRATA_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    STRATA_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    STRATA_CHECK(ok());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace strata

#define STRATA_CONCAT_INNER(a, b) a##b
#define STRATA_CONCAT(a, b) STRATA_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)      \
  do {                             \
    ::strata::Status _st = (expr); \
    if (!_st.ok()) return _st;     \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F())` declares x from a Result or returns its Status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(STRATA_CONCAT(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
