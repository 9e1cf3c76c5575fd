// RepositoryService: the repositories Doris's CREATE REPOSITORY registers under a name — where
// BACKUP SNAPSHOT writes and RESTORE SNAPSHOT reads — persisted in the catalog so every
// session and every later process sees them. Creating or dropping one needs a superuser;
// creating one checks at once that the location can be reached and (unless READ ONLY) written,
// and attaches to a repository already there. Secrets given in PROPERTIES reach the store and
// the catalog only: no listing, error or log shows them. Stateless; thread-safe as its session
// is used by one thread at a time.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "backup/backup_location.h"
#include "catalog/records.h"
#include "service/session.h"

namespace strata {

struct RepositorySpec {
  std::string name;
  bool read_only = false;
  std::string type;      // "S3" or "LOCAL" (case-insensitive)
  std::string location;  // "s3://bucket/prefix" or "file:///absolute/path"
  std::vector<std::pair<std::string, std::string>> properties;  // as written, keys kept
};

// A repository as SHOW REPOSITORIES shows it: nothing secret.
struct RepositoryView {
  int64_t id = 0;
  std::string name;
  int64_t create_ms = 0;
  bool read_only = false;
  std::string location;
  std::string type;
  std::string error;  // why it cannot be reached now; "" when it can (or was not tried)
};

// A registered repository opened for a job.
struct OpenedRepository {
  RepositoryRecord record;
  BackupLocation location;
};

class RepositoryService {
 public:
  // `session` must outlive the service.
  explicit RepositoryService(Session& session) : session_(session) {}

  // Registers the repository after reaching its location: an empty one becomes a repository
  // (unless READ ONLY, which must find one there). Errors: not a superuser, a name in use, a
  // bad type, location or property (naming it), a location that cannot be reached or written.
  Status Create(const RepositorySpec& spec);
  // Forgets the repository (its files stay). NotFound naming it (none when `if_exists`);
  // FailedPrecondition while a job uses it, naming the job.
  Status Drop(const std::string& name);
  // Every registered repository, in creation order; with `probe`, each is reached and `error`
  // says why one cannot be.
  Result<std::vector<RepositoryView>> List(bool probe);
  // The repository `name` opened for a job: NotFound naming it and how to list them.
  Result<OpenedRepository> Open(const std::string& name);

  // The location of a registered repository as backups name it: "s3://bucket/prefix" or the
  // local path.
  static std::string BackupDirOf(const RepositoryRecord& record);

 private:
  Status CheckSuperuser(const char* action) const;
  // How `record`'s location is reached: the node's settings with the repository's own keys.
  Result<StoreSettings> SettingsOf(const RepositoryRecord& record) const;

  Session& session_;
};

}  // namespace strata
