// Builtins for scheduled jobs (scheduleJob, getScheduledJobs, deleteScheduledJob) and the run
// of a schedule's slot (StartScheduledRun), which `strata serve`'s Scheduler calls. The
// schedule keeps its function as script text (Interpreter::FunctionSource); each run evaluates
// it in a session of its own acting as the schedule's user, so the user's rights are those
// of the moment it runs.
#include <algorithm>

#include "base/strings.h"
#include "base/utc_time.h"
#include "lang/builtin_args.h"
#include "lang/interpreter.h"
#include "lang/scheduled_run.h"
#include "lang/script_remedy.h"
#include "query/evaluator.h"
#include "service/scheduler.h"
#include "service/schedules.h"
#include "types/temporal.h"

namespace strata {

namespace {

// scheduleTime: a MINUTE scalar or vector (times of day), sorted and without repeats.
Result<std::vector<int>> MinutesArg(const Value& v) {
  std::vector<int> minutes;
  bool minute_type = (v.is_scalar() || v.is_vector()) && v.type() == Type::kMinute;
  if (minute_type && v.is_scalar() && !v.scalar().is_null()) {
    minutes.push_back(static_cast<int>(v.scalar().int_value()));
  } else if (minute_type && v.is_vector()) {
    for (size_t i = 0; i < v.size(); ++i) {
      Scalar m = v.column()->Get(i);
      if (m.is_null()) return InvalidArgument("scheduleTime of scheduleJob holds a NULL");
      minutes.push_back(static_cast<int>(m.int_value()));
    }
  } else {
    return InvalidArgument(
        "scheduleTime of scheduleJob must be a MINUTE or MINUTE vector, such "
        "as 00:05m or [09:30m, 15:00m], got a " +
        v.Describe());
  }
  std::sort(minutes.begin(), minutes.end());
  minutes.erase(std::unique(minutes.begin(), minutes.end()), minutes.end());
  return minutes;
}

Result<int64_t> DateArg(const Value& v, const char* param) {
  if (!v.is_scalar() || v.type() != Type::kDate || v.scalar().is_null()) {
    return InvalidArgument(std::string(param) + " of scheduleJob must be a DATE, such as " +
                           "today() or 2030.12.31, got a " + v.Describe());
  }
  return v.scalar().int_value();
}

// frequency: 'D', 'W' or 'M' (a CHAR, or a one-letter string).
Result<std::string> FrequencyArg(const Value& v) {
  if (v.is_scalar() && v.type() == Type::kChar && !v.scalar().is_null()) {
    return std::string(1, static_cast<char>(v.scalar().int_value()));
  }
  if (v.is_scalar() && IsStringLike(v.type())) return v.scalar().string_value();
  return InvalidArgument("frequency of scheduleJob must be 'D', 'W' or 'M', got a " + v.Describe());
}

Result<std::vector<int>> DaysArg(const Value& v) {
  std::vector<int> days;
  if (v.is_void()) return days;
  if ((v.is_scalar() || v.is_vector()) && IsIntegral(v.type()) && v.type() != Type::kBool) {
    for (size_t i = 0; i < v.size(); ++i) {
      Scalar d = v.is_scalar() ? v.scalar() : v.column()->Get(i);
      if (d.is_null()) return InvalidArgument("days of scheduleJob holds a NULL");
      days.push_back(static_cast<int>(d.int_value()));
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
  }
  return InvalidArgument("days of scheduleJob must be an integer or integer vector, got a " +
                         v.Describe());
}

Result<Value> ScheduleJob(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(in.session().CheckLoggedIn());
  ScheduleRecord s;
  ASSIGN_OR_RETURN(s.id, StringArg(a[0], "scheduleJob", "jobId"));
  ASSIGN_OR_RETURN(s.description, OptionalStringArg(a[1], "scheduleJob", "jobDesc", ""));
  FunctionPtr function = AsFunction(a[2]);
  if (!function) {
    return InvalidArgument(
        "jobFunc of scheduleJob must be a function of no arguments, such as "
        "backupJob or backup{\"/backups\", \"dfs://db\"}; got a " +
        a[2].Describe());
  }
  ASSIGN_OR_RETURN(s.script, in.FunctionSource(function));
  ASSIGN_OR_RETURN(s.minutes, MinutesArg(a[3]));
  ASSIGN_OR_RETURN(s.start_day, DateArg(a[4], "startDate"));
  ASSIGN_OR_RETURN(s.end_day, DateArg(a[5], "endDate"));
  ASSIGN_OR_RETURN(s.frequency, FrequencyArg(a[6]));
  ASSIGN_OR_RETURN(s.days, DaysArg(a[7]));
  if (!a[8].is_void()) {
    return Unimplemented(
        "scheduleJob's onComplete is not supported: follow the runs with "
        "getRecentJobs() and getBackupStatus()");
  }
  ASSIGN_OR_RETURN(std::string id,
                   CreateSchedule(in.session(), std::move(s), in.instance().ScheduleNowMs()));
  if (!in.instance().runs_schedules()) {
    in.Warn("scheduled job " + Quote(id) +
            " is stored; scheduled jobs run under `strata serve` on this data directory, not "
            "in `strata run`");
  }
  return Value(Scalar::String(Type::kString, id));
}

std::string JoinMinutes(const std::vector<int>& minutes) {
  std::vector<std::string> texts;
  for (int m : minutes) texts.push_back(FormatTemporal(Type::kMinute, m));
  return Join(texts, " ");
}

Result<Value> ScheduledJobs(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(std::string pattern,
                   OptionalStringArg(a[0], "getScheduledJobs", "jobIdPattern", "%"));
  ASSIGN_OR_RETURN(std::vector<ScheduleRecord> schedules, ListSchedules(in.session(), pattern));
  Column users(Type::kString), ids(Type::kString), descriptions(Type::kString), starts(Type::kDate),
      ends(Type::kDate), frequencies(Type::kChar), times(Type::kString), days(Type::kString);
  for (const ScheduleRecord& s : schedules) {
    users.Append(Scalar::String(Type::kString, s.user));
    ids.Append(Scalar::String(Type::kString, s.id));
    descriptions.Append(Scalar::String(Type::kString, s.description));
    starts.Append(Scalar::Int(Type::kDate, s.start_day));
    ends.Append(Scalar::Int(Type::kDate, s.end_day));
    frequencies.Append(Scalar::Int(Type::kChar, s.frequency.empty() ? 0 : s.frequency[0]));
    times.Append(Scalar::String(Type::kString, JoinMinutes(s.minutes)));
    std::vector<std::string> day_texts;
    for (int d : s.days) day_texts.push_back(std::to_string(d));
    days.Append(Scalar::String(Type::kString, Join(day_texts, " ")));
  }
  std::vector<Value> columns;
  for (Column* c : {&users, &ids, &descriptions, &starts, &ends, &frequencies, &times, &days}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue(
      {"userId", "jobId", "jobDesc", "startDate", "endDate", "frequency", "scheduleTime", "days"},
      columns);
}

}  // namespace

Result<std::string> StartScheduledRun(Instance& instance, const ScheduleRecord& schedule,
                                      int64_t slot_ms) {
  ASSIGN_OR_RETURN(JobManager * jobs, instance.jobs());
  JobSpec spec;
  spec.id = Scheduler::RunId(schedule.id, slot_ms);
  spec.kind = JobKind::kScript;
  spec.user = schedule.user;
  spec.label = schedule.description;
  spec.error_wording = ScriptMessage;
  return jobs->Submit(spec, [&instance, schedule](TaskControl& control) -> Result<Value> {
    auto session = std::make_unique<Session>(instance);
    RETURN_IF_ERROR(session->ActAs(schedule.user));
    session->set_job_control(&control);
    Interpreter interpreter(*session, [](const Value&) {});
    ASSIGN_OR_RETURN(Value function, interpreter.Answer(schedule.script));
    FunctionPtr f = AsFunction(function);
    if (!f) {
      return Corruption("scheduled job " + Quote(schedule.id) +
                        " does not hold a function; delete it and schedule it again");
    }
    return f->Invoke(interpreter, {});
  });
}

void RegisterScheduleFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  r.Register({"scheduleJob",
              {"jobId", "jobDesc", "jobFunc", "scheduleTime", "startDate", "endDate", "frequency",
               "days", "onComplete"},
              7,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return ScheduleJob(*self, a); }});
  r.Register(
      {"getScheduledJobs", {"jobIdPattern"}, 0, false, [self](EvalContext&, std::vector<Value>& a) {
         return ScheduledJobs(*self, a);
       }});
  r.Register({"deleteScheduledJob",
              {"jobId"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(std::string id, StringArg(a[0], "deleteScheduledJob", "jobId"));
                RETURN_IF_ERROR(DeleteSchedule(self->session(), id));
                return Value();
              }});
}

}  // namespace strata
