#include "service/job_view.h"

#include "base/strings.h"

namespace strata {

namespace {

bool InClass(const JobRecord& record, JobClass job_class) {
  if (job_class == JobClass::kAll) return true;
  auto kind = ParseJobKind(record.kind);
  return kind.has_value() && IsBackupOrRestore(*kind);
}

}  // namespace

Result<std::vector<JobRecord>> ListJobs(const Session& session, const JobFilter& filter) {
  ASSIGN_OR_RETURN(JobManager * jobs, session.instance().jobs());
  RETURN_IF_ERROR(session.CheckLoggedIn());
  ASSIGN_OR_RETURN(bool superuser, session.IsSuperuser());
  std::string only = filter.user;
  if (!superuser && !only.empty() && only != session.user()) {
    const char* what = filter.job_class == JobClass::kAll ? "jobs" : "backup and restore jobs";
    return PermissionDenied("user " + Quote(session.user()) + " may see only their own " + what +
                            ", not those of " + Quote(only));
  }
  if (!superuser) only = session.user();
  ASSIGN_OR_RETURN(auto records, jobs->List());
  std::vector<JobRecord> visible;
  for (auto& r : records) {
    if (!InClass(r, filter.job_class) || (!only.empty() && r.user != only)) continue;
    visible.push_back(std::move(r));
  }
  return visible;
}

}  // namespace strata
