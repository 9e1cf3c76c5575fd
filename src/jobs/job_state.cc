#include "jobs/job_state.h"

#include <array>
#include <utility>

namespace strata {

namespace {

constexpr std::array<std::pair<JobKind, const char*>, 5> kKindNames = {{
    {JobKind::kBackupByCopyFile, "BACKUP_BY_COPY_FILE"},
    {JobKind::kBackupBySql, "BACKUP_BY_SQL"},
    {JobKind::kRestoreByCopyFile, "RESTORE_BY_COPY_FILE"},
    {JobKind::kRestoreBySql, "RESTORE_BY_SQL"},
    {JobKind::kScript, "SCRIPT"},
}};

constexpr std::array<std::pair<JobState, const char*>, 6> kStateNames = {{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kFinished, "finished"},
    {JobState::kFailed, "failed"},
    {JobState::kCancelled, "cancelled"},
    {JobState::kInterrupted, "interrupted"},
}};

template <typename Enum, size_t N>
const char* NameOf(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [e, name] : names) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, const char*>, N>& names,
                          std::string_view text) {
  for (const auto& [e, name] : names) {
    if (text == name) return e;
  }
  return std::nullopt;
}

}  // namespace

const char* JobKindName(JobKind kind) { return NameOf(kKindNames, kind); }
std::optional<JobKind> ParseJobKind(std::string_view name) { return Parse(kKindNames, name); }
bool IsBackupOrRestore(JobKind kind) { return kind != JobKind::kScript; }

const char* JobStateName(JobState state) { return NameOf(kStateNames, state); }
std::optional<JobState> ParseJobState(std::string_view name) { return Parse(kStateNames, name); }
bool IsFinal(JobState state) { return state != JobState::kQueued && state != JobState::kRunning; }

}  // namespace strata
