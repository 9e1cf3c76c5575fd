// JobKind and JobState: what a job does and where it is in its life. Each has a text name,
// which is what the catalog's `jobs` table stores and what listings show (getRecentJobs,
// getBackupStatus), so records written by earlier versions keep reading. Immutable values;
// the functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata {

enum class JobKind : uint8_t {
  kBackupByCopyFile,   // BACKUP_BY_COPY_FILE
  kBackupBySql,        // BACKUP_BY_SQL
  kRestoreByCopyFile,  // RESTORE_BY_COPY_FILE
  kRestoreBySql,       // RESTORE_BY_SQL
  kScript,             // SCRIPT: a function run by submitJob
};

enum class JobState : uint8_t {
  kQueued,       // waiting for a background slot
  kRunning,      // working
  kFinished,     // done, with a result
  kFailed,       // done, with an error
  kCancelled,    // stopped by cancelJob or by its timeout
  kInterrupted,  // the process running it stopped first; re-run the call to resume
};

const char* JobKindName(JobKind kind);
// The kind named `name`; nullopt for a name this version does not know.
std::optional<JobKind> ParseJobKind(std::string_view name);
// Backups and restores: one of them at a time per database, across every session.
bool IsBackupOrRestore(JobKind kind);

const char* JobStateName(JobState state);
std::optional<JobState> ParseJobState(std::string_view name);
// True for the states a job never leaves (finished, failed, cancelled, interrupted).
bool IsFinal(JobState state);

}  // namespace strata
