#include "lang/script_remedy.h"

namespace strata {

namespace {

std::string Arg(const Remedy& remedy, size_t index) {
  return index < remedy.args.size() ? remedy.args[index] : "";
}

// checkBackup("dir", "db") for a remedy whose args are {dir, database}.
std::string CheckBackupCall(const Remedy& remedy) {
  return "checkBackup(\"" + Arg(remedy, 0) + "\", \"" + Arg(remedy, 1) + "\")";
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
    case RemedyKind::kDefineDatabase:
      return "; create it with database(\"" + Arg(remedy, 0) + "\", ...)";
    case RemedyKind::kOpenOrDropDatabase:
      return "; open it with database(\"" + Arg(remedy, 0) +
             "\") or drop it first with dropDatabase";
    case RemedyKind::kComposeLevels:
      return ": pass a vector of 2-3 database handles, as database(\"dfs://db\", COMPO, "
             "[dbDate, dbID])";
    case RemedyKind::kCreateDatabase:
      return "; create it first, or use restoreDB/migrate, which create it";
    case RemedyKind::kCreateTable:
      return "; create it first, or use restoreTable/migrate, which create it";
    case RemedyKind::kRestoreQueryBackup:
      return "; use migrate or restore instead";
    case RemedyKind::kBackUpFirst:
      return "; back something up there first with backup(...)";
    case RemedyKind::kUseBackupMethod:
      return Arg(remedy, 0) == "sql"
                 ? ": back it up with a query, as backup(backupDir, <select * from loadTable(\"" +
                       Arg(remedy, 1) + "\", tableName)>)"
                 : ": back it up by its path, as backup(backupDir, \"" + Arg(remedy, 1) + "\")";
    case RemedyKind::kCheckBackup:
      return "; " +
             (Arg(remedy, 1).empty() ? "checkBackup(\"" + Arg(remedy, 0) + "\")"
                                     : CheckBackupCall(remedy)) +
             " lists it";
    case RemedyKind::kCheckThenForceBackup:
      return "; " + CheckBackupCall(remedy) +
             " lists the damaged partitions; backup(..., force=true) repairs them while the "
             "source still has the data";
    case RemedyKind::kEarlierSnapshotOrForceBackup:
      return "; restore an earlier snapshot with snapshotId= (getBackupSnapshots lists them), or "
             "write a new head with backup(..., force=true)";
    case RemedyKind::kAskSuperuserToPrune:
      return "; ask one to run pruneBackup";
    case RemedyKind::kAddPartition:
      return "";
  }
  return "";
}

std::string ScriptMessage(const Status& status) {
  return status.message() + ScriptRemedy(status.remedy());
}

}  // namespace strata
