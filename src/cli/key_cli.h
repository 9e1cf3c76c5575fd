// `strata keygen FILE` and `strata key list|add|remove`: making key files and rotating the keys
// of an encrypted repository (docs/backup.md, "Encrypted backups"). A key is rotated by adding
// the new key file to the repository, then removing the old key; no data is rewritten.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace strata {

struct KeyOptions {
  std::string backup_dir;  // a path or s3://bucket/prefix
  std::string key_path;    // --key: a key file the repository opens with
  std::string new_key_path;
  std::string key_id;
  std::string config;  // --config: the node configuration with the S3 settings
};

// Makes the key file `path`; the exit status.
int KeyGen(const std::string& path);

// Adds `strata key` and its subcommands to `app`; returns the `key` command.
CLI::App* AddKeyCommands(CLI::App& app, KeyOptions& options);
// Runs the `strata key` subcommand that was parsed; the exit status.
int RunKeyCommand(const CLI::App& key, const KeyOptions& options);

}  // namespace strata
