// What the backup builtins (builtins_backup.cc, builtins_backup_inspect.cc) share: the
// prelude every function of the family runs. Internal to lang.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "lang/interpreter.h"

namespace strata {

// OK when a data directory is open and someone is logged in; the login error carries the
// function's name.
Status BackupPrelude(Interpreter& in, const char* function);

// keyPath, the last parameter of DolphinDB's backup and restore functions (and Strata's
// inspection functions): the key file of an encrypted repository; "" (or left out): none.
Result<std::string> KeyPathArg(const Value& v, const char* function);

using BackupBuiltin = std::function<Result<Value>(Interpreter&, std::vector<Value>&)>;
// Registers builtin `name` of the backup family on `in`.
void AddBackupBuiltin(Interpreter& in, std::string name, std::vector<std::string> params,
                      size_t required, BackupBuiltin body);

// Registers getBackupList, getBackupMeta, loadBackup, checkBackup, getBackupSnapshots and
// pruneBackup (builtins_backup_inspect.cc).
void RegisterBackupInspectionFunctions(Interpreter& in);

}  // namespace strata
