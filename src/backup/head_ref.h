// The head record of a database in a repository (docs/format/repository.md, "Heads"):
// heads/<hash of the database name>.json (its SHA-256, keyed in an
// encrypted repository) names the snapshot the database's last backup
// wrote. Readers take the newest snapshot of the database as its head, and the record lets
// them tell a head that was deleted or damaged from a database whose newest snapshot is older:
// the first is reported, never silently replaced by its parent.
#pragma once

#include <optional>
#include <string>

#include "repository/repository.h"

namespace strata {

// Records `snapshot_id` as the head of `database` (a sealed document, written after the
// manifest it names).
Status WriteHeadRef(Repository& repository, const std::string& database,
                    const std::string& snapshot_id);

// Removes the head record of `database` (its last snapshot is being deleted); none is fine.
Status DeleteHeadRef(Repository& repository, const std::string& database);

// The snapshot id recorded as the head of `database`; nullopt when there is no record (a
// repository written before records existed, or a database never backed up there).
// Corruption naming the record when it is damaged.
Result<std::optional<std::string>> ReadHeadRef(Repository& repository, const std::string& database);

}  // namespace strata
