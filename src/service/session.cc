#include "service/session.h"

#include "auth/auth.h"
#include "base/strings.h"

namespace strata {

Session::Session(Instance& instance)
    : instance_(instance),
      databases_(std::make_unique<DatabaseService>(instance.engine(), user_)) {}

Status Session::Login(const std::string& user, const std::string& password) {
  if (engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(::strata::CheckLogin(engine()->catalog(), user, password));
  user_ = user;
  return Status::Ok();
}

Status Session::ActAs(const std::string& user) {
  if (engine() == nullptr) return FailedPrecondition("no data directory is open");
  ASSIGN_OR_RETURN(auto record, engine()->catalog().FindUser(user));
  if (!record) {
    return NotFound("user " + Quote(user) +
                    " no longer exists; a superuser may delete the schedule with "
                    "deleteScheduledJob");
  }
  user_ = user;
  return Status::Ok();
}

Status Session::LoginNative(const std::string& user, std::string_view scramble,
                            std::string_view response) {
  if (engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(::strata::CheckNativeLogin(engine()->catalog(), user, scramble, response));
  user_ = user;
  return Status::Ok();
}

Status Session::CheckInterrupted() const {
  if (interrupt_ == nullptr || !interrupt_->load(std::memory_order_relaxed)) return Status::Ok();
  return Cancelled(
      "Query execution was interrupted (KILL QUERY); nothing of the statement was "
      "written");
}

Status Session::CheckLoggedIn() const { return ::strata::CheckLoggedIn(user_); }

Result<bool> Session::IsSuperuser() const {
  if (engine() == nullptr) return FailedPrecondition("no data directory is open");
  return IsAdmin(engine()->catalog(), user_);
}

Result<JobCaller> Session::JobCallerOf() const {
  ASSIGN_OR_RETURN(bool superuser, IsSuperuser());
  return JobCaller{user_, superuser ? JobAccess::kAllJobs : JobAccess::kOwnJobs};
}

std::unique_ptr<Session> Session::ForkForJob() const {
  auto fork = std::make_unique<Session>(instance_);
  fork->user_ = user_;
  fork->current_database_ = current_database_;
  fork->error_wording_ = error_wording_;
  return fork;
}

}  // namespace strata
