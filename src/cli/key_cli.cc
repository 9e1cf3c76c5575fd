#include "cli/key_cli.h"

#include <cstdio>

#include "backup/backup_location.h"
#include "base/config_file.h"
#include "cli/process.h"
#include "repository/key_file.h"

namespace strata {

int KeyGen(const std::string& path) {
  Result<KeyFile> made = CreateKeyFile(path);
  if (!made.ok()) return Fail(made.status().message());
  std::printf(
      "made key file %s (key id %s, readable by you only)\n"
      "Keep a copy of it away from the backups: a backup encrypted with it cannot be restored "
      "without it.\n",
      path.c_str(), made->key_id.c_str());
  return 0;
}

CLI::App* AddKeyCommands(CLI::App& app, KeyOptions& options) {
  CLI::App* key =
      app.add_subcommand("key", "list, add or remove the keys of an encrypted backup repository");
  key->require_subcommand(1);
  auto common = [&options](CLI::App* command) {
    command->add_option("backupDir", options.backup_dir, "the repository: a path or s3://...")
        ->required();
    command->add_option("--key", options.key_path, "a key file the repository opens with")
        ->required();
    command->add_option("--config", options.config,
                        "node configuration file with the S3 settings (default: none; the "
                        "AWS_* environment)");
  };
  CLI::App* list = key->add_subcommand("list", "list the key ids that open the repository");
  common(list);
  CLI::App* add = key->add_subcommand(
      "add", "let another key file open the repository too (the first step of a rotation)");
  common(add);
  add->add_option("--new-key", options.new_key_path, "the key file to add (strata keygen)")
      ->required();
  CLI::App* remove = key->add_subcommand(
      "remove", "stop a key from opening the repository (refused for its last key)");
  common(remove);
  remove->add_option("keyId", options.key_id, "the key id to remove (strata key list)")->required();
  return key;
}

namespace {

Result<BackupLocation> OpenWithKey(const KeyOptions& options) {
  ConfigMap config;
  if (!options.config.empty()) {
    ASSIGN_OR_RETURN(config, ReadConfigFile(options.config));
  }
  return OpenBackupDir(options.backup_dir, RepositoryOpen::kMustExist,
                       StoreSettings(std::move(config)), options.key_path);
}

Status RunKey(const CLI::App& key, const KeyOptions& options) {
  ASSIGN_OR_RETURN(BackupLocation location, OpenWithKey(options));
  Repository& repository = *location.repository;
  if (!repository.encrypted()) {
    return FailedPrecondition("the backup repository in " + options.backup_dir +
                              " is not encrypted; it has no keys");
  }
  if (key.got_subcommand("add")) {
    auto added = ReadKeyFile(options.new_key_path);
    if (!added.ok()) return added.status().WithContext("--new-key " + options.new_key_path);
    RETURN_IF_ERROR(repository.AddKey(*added));
    std::printf("key %s (%s) now opens %s too\n", added->key_id.c_str(),
                options.new_key_path.c_str(), options.backup_dir.c_str());
    return Status::Ok();
  }
  if (key.got_subcommand("remove")) {
    RETURN_IF_ERROR(repository.RemoveKey(options.key_id));
    std::printf("key %s no longer opens %s\n", options.key_id.c_str(), options.backup_dir.c_str());
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto keys, repository.ListKeys());
  for (const auto& k : keys) std::printf("%s  %s\n", k.key_id.c_str(), k.created.c_str());
  return Status::Ok();
}

}  // namespace

int RunKeyCommand(const CLI::App& key, const KeyOptions& options) {
  Status status = RunKey(key, options);
  return status.ok() ? 0 : Fail(status.message());
}

}  // namespace strata
