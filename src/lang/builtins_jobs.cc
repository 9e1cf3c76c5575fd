// Builtins for background jobs (submitJob, getRecentJobs, getJobReturn, cancelJob) and the
// status of backup and restore jobs (getBackupStatus).
#include "auth/auth.h"
#include "base/json.h"
#include "base/strings.h"
#include "base/utc_time.h"
#include "lang/builtin_args.h"
#include "lang/interpreter.h"
#include "query/evaluator.h"
#include "service/job_view.h"

namespace strata {

namespace {

constexpr size_t kJobArgsMax = 8;

Result<JobManager*> NeedJobs(Interpreter& in) { return in.jobs(); }

Scalar Str(const std::string& s) { return Scalar::String(Type::kString, s); }
Scalar Time(int64_t ms) {
  return ms == 0 ? Scalar::Null(Type::kTimestamp) : Scalar::Int(Type::kTimestamp, ms);
}

Result<Value> SubmitJob(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(JobManager * jobs, NeedJobs(in));
  RETURN_IF_ERROR(CheckLoggedIn(in.user()));
  ASSIGN_OR_RETURN(std::string id, StringArg(a[0], "submitJob", "jobId"));
  ASSIGN_OR_RETURN(std::string description, OptionalStringArg(a[1], "submitJob", "jobDesc", ""));
  const FunctionObject* function =
      a[2].is_object() ? dynamic_cast<const FunctionObject*>(a[2].object().get()) : nullptr;
  if (function == nullptr) {
    return InvalidArgument("argument 'func' of submitJob must be a function, got a " +
                           a[2].Describe());
  }
  if (id.empty()) return InvalidArgument("submitJob needs a non-empty jobId");
  std::vector<Value> args(a.begin() + 3, a.end());
  while (!args.empty() && args.back().is_void()) args.pop_back();
  // The job runs in its own session (as DolphinDB's do): the same user and `def` functions.
  std::shared_ptr<Interpreter> session = in.ForkForJob();
  ASSIGN_OR_RETURN(FunctionPtr bound,
                   session->Adopt(std::static_pointer_cast<const FunctionObject>(a[2].object())));
  JobSpec spec;
  spec.id = id;
  spec.kind = JobKind::kScript;
  spec.user = in.user();
  spec.label = description;
  spec.parent = in.job_control();
  spec.error_wording = in.session().error_wording();
  ASSIGN_OR_RETURN(
      std::string job_id,
      jobs->Submit(spec, [session, bound, args](TaskControl& control) -> Result<Value> {
        session->session().set_job_control(&control);
        return bound->Invoke(*session, args);
      }));
  return Value(Str(job_id));
}

Result<Value> RecentJobs(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(NeedJobs(in).status());
  RETURN_IF_ERROR(CheckLoggedIn(in.user()));
  int64_t limit = INT64_MAX;
  if (!a[0].is_void()) {
    if (!a[0].is_scalar() || !IsIntegral(a[0].type()) || a[0].scalar().int_value() < 0) {
      return InvalidArgument("argument 'n' of getRecentJobs must be a non-negative integer");
    }
    limit = a[0].scalar().int_value();
  }
  ASSIGN_OR_RETURN(std::vector<JobRecord> mine, ListJobs(in.session(), JobFilter{}));
  size_t skip = mine.size() > static_cast<uint64_t>(limit) ? mine.size() - limit : 0;
  Column users(Type::kString), ids(Type::kString), descriptions(Type::kString),
      kinds(Type::kString), starts(Type::kTimestamp), ends(Type::kTimestamp), states(Type::kString),
      errors(Type::kString);
  for (size_t i = skip; i < mine.size(); ++i) {
    const JobRecord& r = mine[i];
    users.Append(Str(r.user));
    ids.Append(Str(r.id));
    descriptions.Append(Str(r.label));
    kinds.Append(Str(r.kind));
    starts.Append(Time(r.start_ms));
    ends.Append(Time(r.end_ms));
    states.Append(Str(r.state));
    errors.Append(Str(r.error));
  }
  std::vector<Value> columns;
  for (Column* c : {&users, &ids, &descriptions, &kinds, &starts, &ends, &states, &errors}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue(
      {"userID", "jobId", "jobDesc", "jobType", "startTime", "endTime", "state", "errorMsg"},
      columns);
}

// One job's progress per table: JobRecord::table_progress, or the whole job as one row (jobs
// from before per-table progress, or whose record cannot be read as such).
std::vector<TableProgress> TablesOfJob(const JobRecord& r) {
  std::vector<TableProgress> tables;
  if (!r.table_progress.empty()) {
    auto rows = ParseJson(r.table_progress, "job " + Quote(r.id) + " table progress");
    if (rows.ok() && rows->is_array()) {
      for (const auto& row : *rows) {
        if (!row.is_array() || row.size() != 3 || !row[0].is_string() ||
            !row[1].is_number_integer() || !row[2].is_number_integer()) {
          tables.clear();
          break;
        }
        tables.push_back({row[0].get<std::string>(), row[1].get<int64_t>(), row[2].get<int64_t>()});
      }
    }
  }
  if (tables.empty()) tables.push_back({r.table, r.total_units, r.done_units});
  return tables;
}

// getBackupStatus: backup and restore jobs, the caller's own unless a superuser; as DolphinDB
// shows them, one row per table of each job.
Result<Value> BackupStatus(Interpreter& in, std::vector<Value>& a) {
  RETURN_IF_ERROR(NeedJobs(in).status());
  RETURN_IF_ERROR(CheckLoggedIn(in.user()));
  ASSIGN_OR_RETURN(std::string only, OptionalStringArg(a[0], "getBackupStatus", "userName", ""));
  ASSIGN_OR_RETURN(auto records,
                   ListJobs(in.session(), JobFilter{JobClass::kBackupOrRestore, only}));
  Column users(Type::kString), types(Type::kString), starts(Type::kTimestamp),
      databases(Type::kString), tables(Type::kString), totals(Type::kInt), dones(Type::kInt),
      percents(Type::kDouble), ends(Type::kTimestamp), completed(Type::kBool);
  for (const auto& r : records) {
    bool finished = r.state == JobStateName(JobState::kFinished);
    int64_t end = r.end_ms;
    if (end == 0 && r.state == JobStateName(JobState::kRunning) && r.done_units > 0) {  // estimated
      end = r.start_ms + (NowMs() - r.start_ms) * r.total_units / r.done_units;
    }
    for (const TableProgress& t : TablesOfJob(r)) {
      users.Append(Str(r.user));
      types.Append(Str(r.kind));
      starts.Append(Time(r.start_ms));
      databases.Append(Str(r.database));
      tables.Append(Str(t.table));
      totals.Append(Scalar::Int(Type::kInt, t.total_units));
      dones.Append(Scalar::Int(Type::kInt, t.done_units));
      double percent = finished || t.total_units == 0
                           ? (finished ? 100.0 : 0.0)
                           : 100.0 * static_cast<double>(t.done_units) / t.total_units;
      percents.Append(Scalar::Float(Type::kDouble, percent));
      ends.Append(Time(end));
      completed.Append(Scalar::Int(Type::kBool, finished ? 1 : 0));
    }
  }
  std::vector<Value> columns;
  for (Column* c : {&users, &types, &starts, &databases, &tables, &totals, &dones, &percents, &ends,
                    &completed}) {
    columns.push_back(Value::Vector(std::move(*c)));
  }
  return MakeTableValue({"userName", "type", "startTime", "dbName", "tableName", "totalPartitions",
                         "completedPartitions", "percentComplete", "endTime", "completed"},
                        columns);
}

}  // namespace

void RegisterJobFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  std::vector<std::string> submit_params = {"jobId", "jobDesc", "func"};
  for (size_t i = 1; i <= kJobArgsMax; ++i) submit_params.push_back("arg" + std::to_string(i));
  r.Register({"submitJob", submit_params, 3, false,
              [self](EvalContext&, std::vector<Value>& a) { return SubmitJob(*self, a); }});
  r.Register({"getRecentJobs", {"n"}, 0, false, [self](EvalContext&, std::vector<Value>& a) {
                return RecentJobs(*self, a);
              }});
  r.Register({"getJobReturn",
              {"jobId", "blocking"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(JobManager * jobs, NeedJobs(*self));
                RETURN_IF_ERROR(CheckLoggedIn(self->user()));
                ASSIGN_OR_RETURN(std::string id, StringArg(a[0], "getJobReturn", "jobId"));
                ASSIGN_OR_RETURN(bool wait, BoolArg(a[1], "getJobReturn", "blocking", false));
                ASSIGN_OR_RETURN(JobCaller caller, self->session().JobCallerOf());
                return jobs->GetReturn(id, wait ? JobWait::kUntilDone : JobWait::kNo, caller);
              }});
  r.Register({"cancelJob",
              {"jobId"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(JobManager * jobs, NeedJobs(*self));
                RETURN_IF_ERROR(CheckLoggedIn(self->user()));
                ASSIGN_OR_RETURN(std::vector<std::string> ids,
                                 StringListArg(a[0], "cancelJob", "jobId"));
                ASSIGN_OR_RETURN(JobCaller caller, self->session().JobCallerOf());
                for (const auto& id : ids) RETURN_IF_ERROR(jobs->Cancel(id, caller));
                return Value();
              }});
  r.Register(
      {"getBackupStatus", {"userName"}, 0, false, [self](EvalContext&, std::vector<Value>& a) {
         return BackupStatus(*self, a);
       }});
}

}  // namespace strata
