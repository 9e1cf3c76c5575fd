// Builtins that manage users and their grants: createUser, deleteUser, changePwd, resetPwd,
// grant, revoke, getUserList. Thin front ends over src/auth, which decides who may do what;
// every one acts as the session's logged-in user.
#include "auth/auth.h"
#include "lang/builtin_args.h"
#include "lang/interpreter.h"

namespace strata {

namespace {

Result<Catalog*> NeedCatalog(Interpreter& in) {
  if (in.engine() == nullptr) return FailedPrecondition("no data directory is open");
  return &in.engine()->catalog();
}

// DolphinDB's user groups are not supported; an omitted or empty groupIds is accepted.
Status NoGroups(const Value& v) {
  bool none = v.is_void() ||
              (v.is_scalar() && IsStringLike(v.type()) && v.scalar().string_value().empty()) ||
              (v.is_vector() && v.size() == 0);
  if (none) return Status::Ok();
  return Unimplemented(
      "user groups are not supported: leave groupIds out, e.g. createUser(userId, password, , "
      "isAdmin)");
}

// accessType: DB_READ or DB_WRITE (the constants hold those strings).
Result<std::string> AccessArg(const Value& v, const char* function) {
  if (v.is_scalar() && IsStringLike(v.type())) return v.scalar().string_value();
  return InvalidArgument(std::string("argument 'accessType' of ") + function +
                         " must be DB_READ or DB_WRITE, got a " + v.Describe());
}

// objs: a "dfs://..." name or a vector of them; omitted means every database ("*").
Result<std::vector<std::string>> DatabasesArg(const Value& v, const char* function) {
  if (v.is_void()) return std::vector<std::string>{kAllDatabases};
  return StringListArg(v, function, "objs");
}

Result<Value> CreateUserFn(Interpreter& in, std::vector<Value>& a) {
  ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(in));
  ASSIGN_OR_RETURN(std::string name, StringArg(a[0], "createUser", "userId"));
  ASSIGN_OR_RETURN(std::string password, StringArg(a[1], "createUser", "password"));
  RETURN_IF_ERROR(NoGroups(a[2]));
  ASSIGN_OR_RETURN(bool is_admin, BoolArg(a[3], "createUser", "isAdmin", false));
  RETURN_IF_ERROR(CreateUser(*catalog, in.user(), name, password,
                             is_admin ? UserRole::kSuperuser : UserRole::kUser));
  return Value();
}

Result<Value> ChangeGrantFn(Interpreter& in, std::vector<Value>& a, const char* function) {
  ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(in));
  ASSIGN_OR_RETURN(std::string name, StringArg(a[0], function, "userId"));
  ASSIGN_OR_RETURN(std::string access, AccessArg(a[1], function));
  ASSIGN_OR_RETURN(auto databases, DatabasesArg(a[2], function));
  bool grant = std::string_view(function) == "grant";
  RETURN_IF_ERROR(grant ? Grant(*catalog, in.user(), name, access, databases)
                        : Revoke(*catalog, in.user(), name, access, databases));
  return Value();
}

Result<Value> UserList(Interpreter& in) {
  ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(in));
  ASSIGN_OR_RETURN(auto names, ListUsers(*catalog, in.user()));
  Column out(Type::kString);
  for (const auto& name : names) out.Append(Scalar::String(Type::kString, name));
  return Value::Vector(std::move(out));
}

}  // namespace

void RegisterUserFunctions(Interpreter& in) {
  Interpreter* self = &in;
  FunctionRegistry& r = in.registry();
  r.Register({"createUser",
              {"userId", "password", "groupIds", "isAdmin"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) { return CreateUserFn(*self, a); }});
  r.Register({"deleteUser",
              {"userId"},
              1,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(*self));
                ASSIGN_OR_RETURN(std::string name, StringArg(a[0], "deleteUser", "userId"));
                RETURN_IF_ERROR(DeleteUser(*catalog, self->user(), name));
                return Value();
              }});
  r.Register({"changePwd",
              {"oldPwd", "newPwd"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(*self));
                ASSIGN_OR_RETURN(std::string old_password, StringArg(a[0], "changePwd", "oldPwd"));
                ASSIGN_OR_RETURN(std::string new_password, StringArg(a[1], "changePwd", "newPwd"));
                RETURN_IF_ERROR(ChangePassword(*catalog, self->user(), old_password, new_password));
                return Value();
              }});
  r.Register({"resetPwd",
              {"userId", "newPwd"},
              2,
              false,
              [self](EvalContext&, std::vector<Value>& a) -> Result<Value> {
                ASSIGN_OR_RETURN(Catalog * catalog, NeedCatalog(*self));
                ASSIGN_OR_RETURN(std::string name, StringArg(a[0], "resetPwd", "userId"));
                ASSIGN_OR_RETURN(std::string password, StringArg(a[1], "resetPwd", "newPwd"));
                RETURN_IF_ERROR(ResetPassword(*catalog, self->user(), name, password));
                return Value();
              }});
  for (const char* function : {"grant", "revoke"}) {
    r.Register({function,
                {"userId", "accessType", "objs"},
                2,
                false,
                [self, function](EvalContext&, std::vector<Value>& a) {
                  return ChangeGrantFn(*self, a, function);
                }});
  }
  r.Register({"getUserList", {}, 0, false, [self](EvalContext&, std::vector<Value>&) {
                return UserList(*self);
              }});
}

}  // namespace strata
