#include "service/schedules.h"

#include "backup/restore.h"
#include "base/strings.h"
#include "jobs/schedule.h"

namespace strata {

namespace {

Result<Catalog*> CatalogOf(const Session& session) {
  if (session.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session.CheckLoggedIn());
  return &session.engine()->catalog();
}

bool Taken(const std::vector<ScheduleRecord>& all, const std::string& id) {
  for (const auto& s : all) {
    if (s.id == id) return true;
  }
  return false;
}

}  // namespace

Result<std::string> CreateSchedule(const Session& session, ScheduleRecord schedule,
                                   int64_t now_ms) {
  ASSIGN_OR_RETURN(Catalog * catalog, CatalogOf(session));
  if (schedule.id.empty()) return InvalidArgument("scheduleJob needs a non-empty jobId");
  RETURN_IF_ERROR(ValidateSchedule(schedule));
  schedule.user = session.user();
  schedule.create_ms = now_ms;
  // Slots up to now are not this schedule's: its first run is its next slot.
  schedule.last_slot_ms = now_ms;
  ASSIGN_OR_RETURN(auto txn, catalog->Begin());
  // Read inside the write transaction: two sessions cannot take the same id.
  ASSIGN_OR_RETURN(std::vector<ScheduleRecord> all, catalog->ListSchedules());
  std::string id = schedule.id;
  for (int suffix = 0; Taken(all, id); ++suffix) {
    if (suffix > 999) {
      return AlreadyExists("scheduled job ids " + Quote(schedule.id) + " to " +
                           Quote(schedule.id + "999") + " are all taken; choose another jobId");
    }
    std::string digits = std::to_string(suffix);
    id = schedule.id + std::string(3 - digits.size(), '0') + digits;
  }
  schedule.id = id;
  RETURN_IF_ERROR(txn->UpsertSchedule(schedule));
  RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<std::vector<ScheduleRecord>> ListSchedules(const Session& session,
                                                  const std::string& pattern) {
  ASSIGN_OR_RETURN(Catalog * catalog, CatalogOf(session));
  ASSIGN_OR_RETURN(bool superuser, session.IsSuperuser());
  ASSIGN_OR_RETURN(std::vector<ScheduleRecord> all, catalog->ListSchedules());
  std::vector<ScheduleRecord> out;
  for (auto& s : all) {
    if ((superuser || s.user == session.user()) && MatchesWildcard(pattern, s.id)) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

Status DeleteSchedule(const Session& session, const std::string& id) {
  ASSIGN_OR_RETURN(Catalog * catalog, CatalogOf(session));
  ASSIGN_OR_RETURN(bool superuser, session.IsSuperuser());
  ASSIGN_OR_RETURN(auto txn, catalog->Begin());
  ASSIGN_OR_RETURN(std::vector<ScheduleRecord> all, catalog->ListSchedules());
  for (const auto& s : all) {
    if (s.id != id) continue;
    if (!superuser && s.user != session.user()) {
      return PermissionDenied("scheduled job " + Quote(id) + " belongs to user " + Quote(s.user) +
                              ": only they or a superuser may delete it");
    }
    RETURN_IF_ERROR(txn->DeleteSchedule(id));
    return txn->Commit();
  }
  return NotFound("no scheduled job " + Quote(id) + "; getScheduledJobs() lists them");
}

}  // namespace strata
