// The run of a scheduled job's slot, for `strata serve`'s Scheduler (service/scheduler.h): a
// background job named Scheduler::RunId(...) as the schedule's user, which evaluates the
// schedule's script in a session of its own acting as that user (Session::ActAs) and calls the
// function it gives. The user's rights are checked as the function runs; a user deleted since
// fails the job. Print output is dropped; the result is the job's return (getJobReturn).
#pragma once

#include <string>

#include "catalog/records.h"
#include "service/instance.h"

namespace strata {

// Submits the run; returns its job id. `instance` must outlive the job.
Result<std::string> StartScheduledRun(Instance& instance, const ScheduleRecord& schedule,
                                      int64_t slot_ms);

}  // namespace strata
