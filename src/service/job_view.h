// Job visibility (DESIGN §11): which job records a session may list. Superusers see every job;
// anyone else sees their own, and asking for another user's jobs is refused. One policy for
// getRecentJobs, getBackupStatus and, later, SHOW BACKUP / SHOW RESTORE. Stateless functions;
// thread-safe as the session is used by one thread at a time.
#pragma once

#include <string>
#include <vector>

#include "jobs/job_manager.h"
#include "service/session.h"

namespace strata {

enum class JobClass : uint8_t { kAll, kBackupOrRestore };

struct JobFilter {
  JobClass job_class = JobClass::kAll;
  std::string user;  // "" = every user the session may see
};

// The job records `filter` selects among those the session may see, oldest first (live state
// and progress for unfinished jobs). Errors: not logged in; PermissionDenied when a user who is
// not a superuser asks for another user's jobs; the catalog's.
Result<std::vector<JobRecord>> ListJobs(const Session& session, const JobFilter& filter);

}  // namespace strata
