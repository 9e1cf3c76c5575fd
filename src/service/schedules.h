// Scheduled jobs (DESIGN §11), the session side: storing, listing and deleting the schedules of
// the script's scheduleJob, getScheduledJobs and deleteScheduledJob. Any logged-in user may
// schedule; a schedule runs as its user, with that user's rights at run time (Scheduler).
// Superusers see and delete every schedule, other users their own. Stateless functions;
// thread-safe as the session is used by one thread at a time.
#pragma once

#include <string>
#include <vector>

#include "catalog/records.h"
#include "service/session.h"

namespace strata {

// Stores `schedule` for the session's user (its `user` and `create_ms` are set here) after
// ValidateSchedule. Its id is the one asked for when no schedule has it, else the first free of
// id + "000", id + "001", ...; returns it. A new schedule's first run is its first slot after
// now (`now_ms`).
Result<std::string> CreateSchedule(const Session& session, ScheduleRecord schedule, int64_t now_ms);
// The schedules the session may see whose id matches `pattern` (`%` any run, `?` one
// character; "%" for all), ordered by id.
Result<std::vector<ScheduleRecord>> ListSchedules(const Session& session,
                                                  const std::string& pattern);
// Deletes schedule `id`: NotFound naming it, PermissionDenied unless it is the session user's
// or the user is a superuser. A run already started goes on.
Status DeleteSchedule(const Session& session, const std::string& id);

}  // namespace strata
