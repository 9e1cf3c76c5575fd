// Remedy: what the user can do about an error, in no dialect's words. Lower layers (auth, jobs,
// engine, backup) attach one to a Status instead of naming a script call; each front end words
// it in its own syntax (the script dialect: `login(userId, password)`, `grant(...)`,
// `cancelJob(...)`; the SQL dialect: its statements). Immutable value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

enum class RemedyKind : uint8_t {
  kNone,
  kLogin,       // log in first
  kGrant,       // a superuser grants args = {user, access, database}
  kCancelJob,   // wait for job args = {id}, or cancel it
  kWaitForJob,  // wait for job args = {id} to finish
  // Databases.
  kDefineDatabase,      // create database args = {database} (its scheme)
  kOpenOrDropDatabase,  // use the existing database args = {database}, or drop it first
  kComposeLevels,       // build a COMPO scheme from 2-3 partitioned levels
  // Restores and backups (args name the database and the backup directory as given).
  kCreateDatabase,        // create database args = {database} first, or restore it whole
  kCreateTable,           // create table args = {database, table} first, or restore it whole
  kRestoreQueryBackup,    // restore args = {dir, database}, a query backup, table by table
  kBackUpFirst,           // back something up into args = {dir} first
  kUseBackupMethod,       // back args = {database} up with method args[0] ("files" or "sql")
  kCheckBackup,           // a check of the backup in args = {dir, database or ""} lists it
  kCheckThenForceBackup,  // list the damaged partitions of args = {dir, database}, then back
                          // them up again, forced, while the source still has the data
  kEarlierSnapshotOrForceBackup,  // restore an earlier snapshot of args = {dir, database}, or
                                  // write a new head with a forced backup
  kAskSuperuserToPrune,           // a superuser prunes args = {dir, database}
  kAddPartition,  // a named partition that holds the value (the message already says so)
};

struct Remedy {
  RemedyKind kind = RemedyKind::kNone;
  std::vector<std::string> args;
  bool operator==(const Remedy&) const = default;
};

}  // namespace strata
