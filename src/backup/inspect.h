// Reading backups without restoring them: the chunks a snapshot holds, one chunk's rows, and
// verification of every object (checkBackup).
#pragma once

#include <string>
#include <vector>

#include "backup/backup_location.h"
#include "base/task_control.h"
#include "types/table.h"

namespace strata {

// The chunks of `table` (every table when empty) whose path matches `pattern`, in order.
std::vector<const ManifestChunk*> SelectChunks(const Manifest& manifest, const std::string& table,
                                               const std::string& pattern);

// The chunk of `table` at `path` (a partition path such as "/20170807/0_50", or a wildcard
// pattern matching exactly one); NotFound/InvalidArgument naming what is wrong.
Result<const ManifestChunk*> FindChunk(const Manifest& manifest, const std::string& table,
                                       const std::string& path);

// The backed-up rows of one chunk, verified.
Result<Table> LoadChunkRows(Repository& repository, const Manifest& manifest,
                            const ManifestChunk& chunk);

struct DamagedChunk {
  std::string table;
  std::string path;
  std::string chunk_id;
  std::string problem;  // the first damaged object and what is wrong with it
};

// Reads back and verifies every object of the selected chunks (each shared object once),
// counting each chunk done on `control` (whose totals the caller sets).
Result<std::vector<DamagedChunk>> CheckChunks(Repository& repository,
                                              const std::vector<const ManifestChunk*>& chunks,
                                              bool parallel, TaskControl& control);

}  // namespace strata
