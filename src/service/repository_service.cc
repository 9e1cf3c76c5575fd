#include "service/repository_service.h"

#include <map>

#include "base/strings.h"
#include "base/utc_time.h"

namespace strata {

namespace {

// Doris's S3 repository properties (and the legacy AWS_* spellings) → the node setting each
// one stands for.
const std::map<std::string, std::string, std::less<>>& S3PropertySettings() {
  static const auto* settings = new std::map<std::string, std::string, std::less<>>{
      {"s3.endpoint", "s3Endpoint"},
      {"aws_endpoint", "s3Endpoint"},
      {"s3.region", "s3Region"},
      {"aws_region", "s3Region"},
      {"s3.access_key", "s3AccessKeyId"},
      {"aws_access_key", "s3AccessKeyId"},
      {"s3.secret_key", "s3SecretAccessKey"},
      {"aws_secret_key", "s3SecretAccessKey"},
      {"use_path_style", "s3Addressing"},
  };
  return *settings;
}

// The properties an S3 repository cannot do without, by the setting they give.
constexpr std::pair<const char*, const char*> kRequiredS3[] = {
    {"s3Endpoint", "s3.endpoint"},
    {"s3Region", "s3.region"},
    {"s3AccessKeyId", "s3.access_key"},
    {"s3SecretAccessKey", "s3.secret_key"},
};

// The store settings a repository's properties give; InvalidArgument naming a key (never a
// value: values may be secret).
Result<ConfigMap> S3Overrides(const std::string& repository,
                              const std::vector<std::pair<std::string, std::string>>& properties) {
  ConfigMap overrides;
  for (const auto& [key, value] : properties) {
    auto setting = S3PropertySettings().find(ToLower(key));
    if (setting == S3PropertySettings().end()) {
      return InvalidArgument("repository " + Quote(repository) + ": unknown property " +
                             Quote(key) +
                             "; an S3 repository takes s3.endpoint, s3.region, s3.access_key, "
                             "s3.secret_key and use_path_style (or AWS_ENDPOINT, AWS_REGION, "
                             "AWS_ACCESS_KEY, AWS_SECRET_KEY)");
    }
    std::string setting_value = value;
    if (setting->second == "s3Addressing") {
      const std::string flag = ToLower(value);
      if (flag != "true" && flag != "false") {
        return InvalidArgument("repository " + Quote(repository) +
                               ": use_path_style must be \"true\" or \"false\", not " +
                               Quote(value));
      }
      setting_value = flag == "true" ? "path" : "virtual";
    }
    if (overrides.count(setting->second)) {
      return InvalidArgument("repository " + Quote(repository) + ": property " + Quote(key) +
                             " repeats a setting given before (s3.* and AWS_* spellings of one "
                             "property count as the same); give it once");
    }
    overrides[setting->second] = setting_value;
  }
  for (const auto& [setting, property] : kRequiredS3) {
    if (!overrides.count(setting)) {
      return InvalidArgument("repository " + Quote(repository) + " needs the property " +
                             Quote(property) + " in PROPERTIES");
    }
  }
  // Without use_path_style an explicit endpoint is addressed by path, as MinIO and most
  // S3-compatible stores need.
  if (!overrides.count("s3Addressing")) overrides["s3Addressing"] = "path";
  return overrides;
}

// The local path of a LOCAL repository's "file:///path"; InvalidArgument otherwise.
Result<std::string> LocalPathOf(const std::string& repository, const std::string& location) {
  constexpr std::string_view kScheme = "file://";
  if (!location.starts_with(kScheme) || location.size() <= kScheme.size() ||
      location[kScheme.size()] != '/') {
    return InvalidArgument("repository " + Quote(repository) + ": a LOCAL location is " +
                           "\"file:///absolute/path\", got " + Quote(location));
  }
  return location.substr(kScheme.size());
}

}  // namespace

std::string RepositoryService::BackupDirOf(const RepositoryRecord& record) {
  if (record.type == "LOCAL") return record.location.substr(std::string_view("file://").size());
  return record.location;
}

Status RepositoryService::CheckSuperuser(const char* action) const {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  ASSIGN_OR_RETURN(bool superuser, session_.IsSuperuser());
  if (superuser) return Status::Ok();
  return PermissionDenied("user " + Quote(session_.user()) + " may not " + action +
                          ": only a superuser may (Doris's ADMIN privilege); ask one to");
}

Result<StoreSettings> RepositoryService::SettingsOf(const RepositoryRecord& record) const {
  const StoreSettings& node = session_.instance().store_settings();
  if (record.type == "LOCAL") {
    if (!record.properties.empty()) {
      return InvalidArgument("repository " + Quote(record.name) + ": a LOCAL repository takes " +
                             "no properties, got " + Quote(record.properties[0].first));
    }
    RETURN_IF_ERROR(LocalPathOf(record.name, record.location).status());
    return node;
  }
  if (!record.location.starts_with("s3://")) {
    return InvalidArgument("repository " + Quote(record.name) +
                           ": an S3 location is \"s3://bucket/prefix\", got " +
                           Quote(record.location));
  }
  ASSIGN_OR_RETURN(ConfigMap overrides, S3Overrides(record.name, record.properties));
  return node.WithOwnKeys(overrides);
}

Status RepositoryService::Create(const RepositorySpec& spec) {
  RETURN_IF_ERROR(CheckSuperuser("create a repository"));
  if (spec.name.empty()) return InvalidArgument("a repository needs a name");
  Catalog& catalog = session_.engine()->catalog();
  ASSIGN_OR_RETURN(auto existing, catalog.FindRepository(spec.name));
  if (existing) {
    return AlreadyExists("repository " + Quote(spec.name) +
                         " already exists; DROP REPOSITORY it first or use another name");
  }
  RepositoryRecord record;
  record.name = spec.name;
  record.type = ToUpper(spec.type);
  if (record.type != "S3" && record.type != "LOCAL") {
    return InvalidArgument("repository " + Quote(spec.name) + ": type " + Quote(spec.type) +
                           " is not supported; use WITH S3 or WITH LOCAL");
  }
  record.location = spec.location;
  record.read_only = spec.read_only;
  record.properties = spec.properties;
  record.create_ms = NowMs();
  ASSIGN_OR_RETURN(StoreSettings settings, SettingsOf(record));
  // Reach it now: an empty location becomes a repository (the write check), a READ ONLY one
  // must find one there.
  const RepositoryOpen mode =
      record.read_only ? RepositoryOpen::kMustExist : RepositoryOpen::kCreateIfMissing;
  auto opened = OpenBackupDir(BackupDirOf(record), mode, settings);
  if (!opened.ok()) {
    return Status(opened.status().code(), "repository " + Quote(spec.name) + " at " +
                                              Quote(spec.location) + " cannot be " +
                                              (record.read_only ? "read" : "reached and written") +
                                              ": " + opened.status().message());
  }
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  RETURN_IF_ERROR(txn->InsertRepository(record).status());
  return txn->Commit();
}

Status RepositoryService::Drop(const std::string& name) {
  RETURN_IF_ERROR(CheckSuperuser("drop a repository"));
  Catalog& catalog = session_.engine()->catalog();
  ASSIGN_OR_RETURN(auto existing, catalog.FindRepository(name));
  if (!existing) {
    return NotFound("repository " + Quote(name) + " does not exist; SHOW REPOSITORIES lists them");
  }
  ASSIGN_OR_RETURN(JobManager * jobs, session_.instance().jobs());
  ASSIGN_OR_RETURN(auto records, jobs->List());
  for (const auto& job : records) {
    auto state = ParseJobState(job.state);
    if (!state || IsFinal(*state) || job.details.empty()) continue;
    auto details = nlohmann::json::parse(job.details, nullptr, false);
    if (details.is_object() && details.value("repository", "") == name) {
      return FailedPrecondition("repository " + Quote(name) + " is in use by job " + Quote(job.id) +
                                " (" + job.label +
                                "); wait for it or CANCEL it, "
                                "then drop the repository");
    }
  }
  ASSIGN_OR_RETURN(auto txn, catalog.Begin());
  RETURN_IF_ERROR(txn->DeleteRepository(name));
  return txn->Commit();
}

Result<std::vector<RepositoryView>> RepositoryService::List(bool probe) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  RETURN_IF_ERROR(session_.CheckLoggedIn());
  ASSIGN_OR_RETURN(auto records, session_.engine()->catalog().ListRepositories());
  std::vector<RepositoryView> views;
  for (const auto& r : records) {
    RepositoryView view{r.id, r.name, r.create_ms, r.read_only, r.location, r.type, ""};
    if (probe) {
      auto settings = SettingsOf(r);
      Status reached = settings.status();
      if (settings.ok()) {
        reached = OpenBackupDir(BackupDirOf(r), RepositoryOpen::kMustExist, *settings).status();
      }
      if (!reached.ok()) view.error = reached.message();
    }
    views.push_back(std::move(view));
  }
  return views;
}

Result<OpenedRepository> RepositoryService::Open(const std::string& name) {
  if (session_.engine() == nullptr) return FailedPrecondition("no data directory is open");
  ASSIGN_OR_RETURN(auto record, session_.engine()->catalog().FindRepository(name));
  if (!record) {
    return NotFound("repository " + Quote(name) +
                    " does not exist; SHOW REPOSITORIES lists them, CREATE REPOSITORY adds one");
  }
  ASSIGN_OR_RETURN(StoreSettings settings, SettingsOf(*record));
  const RepositoryOpen mode =
      record->read_only ? RepositoryOpen::kMustExist : RepositoryOpen::kCreateIfMissing;
  auto location = OpenBackupDir(BackupDirOf(*record), mode, settings);
  if (!location.ok()) {
    return Status(location.status().code(), "repository " + Quote(name) + " cannot be reached: " +
                                                location.status().message());
  }
  location->on_warning = [this](const Status& warning) { session_.Warn(warning); };
  return OpenedRepository{std::move(*record), std::move(*location)};
}

}  // namespace strata
