// Accounts: the person's own, and the ADMIN's management of all.
#include "services/web/accounts_service.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/auth/authenticator.h"
#include "common/page.h"
#include "common/secret_files.h"
#include "common/sql/store.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/update_mask.h"
#include "common/validation.h"
#include "services/web/account_rules.h"
#include "services/web/password_policy.h"

namespace uplift::web {
namespace {

constexpr char kFirstAdmin[] = "admin";  // the account the first start makes

constexpr int kMaxAccountsPage = 500;

absl::Status NoAccount(const std::string& login) {
  return absl::NotFoundError(absl::StrCat("no account ", QuoteInput(login)));
}

const UpdatablePaths& AccountPaths() {
  static const UpdatablePaths paths = {
      {"display_name", "role", "unit_id", "mobile", "email", "disabled"},
      {{"login", "a login never changes; create another account"},
       {"must_change_password", "use ResetPassword"},
       {"locked_until", "use ResetPassword, which also unlocks"}}};
  return paths;
}

}  // namespace

AccountsService::AccountsService(sql::Store* db, const Clock* clock, const PasswordHasher* hasher,
                                 SessionManager* sessions, UnitDirectory* units)
    : db_(db),
      clock_(clock),
      hasher_(hasher),
      sessions_(sessions),
      units_(units),
      audit_(clock),
      idempotency_(clock) {}

absl::StatusOr<std::optional<AccountRow>> AccountsService::ReadAccount(const std::string& login) {
  std::optional<AccountRow> row;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    row = FindAccount(db, login, clock_->Now());
    return absl::OkStatus();
  }));
  return row;
}

absl::Status AccountsService::Admit(const Principal& who, absl::string_view method) {
  RETURN_IF_ERROR(access_.Gate(who, method));
  if (method == "WhoAmI" || method == "ChangePassword") return absl::OkStatus();
  if (!sessions_->IsSessionToken(who.token_id)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<AccountRow> row, ReadAccount(who.subject));
  if (row && row->account.must_change_password()) {
    return absl::FailedPreconditionError("change your password first (ChangePassword)");
  }
  return absl::OkStatus();
}

absl::StatusOr<registry::v1::Unit> AccountsService::UnitFor(const std::string& field,
                                                            const std::string& unit_id, Role role) {
  absl::StatusOr<registry::v1::Unit> unit = units_->FindUnit(unit_id);
  if (absl::IsNotFound(unit.status())) {
    return FieldError(field, absl::StrCat("no unit ", QuoteInput(unit_id), " in the registry"));
  }
  if (unit.ok()) RETURN_IF_ERROR(CheckUnitFitsRole(field, role, *unit));
  return unit;
}

absl::StatusOr<acv1::WhoAmIResponse> AccountsService::WhoAmI(const Principal& who,
                                                             const acv1::WhoAmIRequest& req) {
  RETURN_IF_ERROR(Admit(who, "WhoAmI"));
  ASSIGN_OR_RETURN(std::optional<AccountRow> row, ReadAccount(who.subject));
  if (!row) return NoAccount(who.subject);
  acv1::WhoAmIResponse response;
  *response.mutable_account() = row->account;
  return response;
}

absl::StatusOr<acv1::ChangePasswordResponse> AccountsService::ChangePassword(
    const Principal& who, const acv1::ChangePasswordRequest& req) {
  RETURN_IF_ERROR(Admit(who, "ChangePassword"));
  if (req.current_password().empty()) return FieldError("current_password", "is required");
  RETURN_IF_ERROR(CheckPasswordStrength("new_password", req.new_password(), who.subject));
  if (req.new_password() == req.current_password()) {
    return FieldError("new_password", "must differ from the current password");
  }
  ASSIGN_OR_RETURN(std::optional<AccountRow> row, ReadAccount(who.subject));
  if (!row) return NoAccount(who.subject);
  if (!hasher_->Verify(row->password_hash, req.current_password())) {
    return FieldError("current_password", "is wrong");
  }
  ASSIGN_OR_RETURN(std::string hash, hasher_->Hash(req.new_password()));
  RETURN_IF_ERROR(Change(who, who.subject, "ChangePassword", [&](AccountRow& r, bool* end) {
                    r.password_hash = hash;
                    r.account.set_must_change_password(false);
                    *end = true;
                    return absl::OkStatus();
                  }).status());
  ForgetFirstPassword(who.subject);
  return acv1::ChangePasswordResponse();
}

void AccountsService::ForgetFirstPassword(const std::string& login) {
  if (login != kFirstAdmin || first_password_file_.empty()) return;
  if (std::remove(first_password_file_.c_str()) == 0) {
    spdlog::info("deleted {}: the first password of {} is changed", first_password_file_, login);
  }
}

absl::StatusOr<acv1::CreateAccountResponse> AccountsService::CreateAccount(
    const Principal& who, const acv1::CreateAccountRequest& req) {
  RETURN_IF_ERROR(Admit(who, "CreateAccount"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  const acv1::Account& in = req.account();
  RETURN_IF_ERROR(CheckLogin("account.login", in.login()));
  RETURN_IF_ERROR(CheckAccountFields("account.", in));
  acv1::CreateAccountResponse response;
  std::string password = req.initial_password();
  if (password.empty()) {
    password = GeneratePassword();
    response.set_generated_password(password);
  } else {
    RETURN_IF_ERROR(CheckPasswordStrength("initial_password", password, in.login()));
  }
  AccountRow row;
  row.account.set_login(in.login());
  row.account.set_display_name(TrimText(in.display_name()));
  row.account.set_role(in.role());
  row.account.set_unit_id(in.unit_id());
  row.account.set_mobile(in.mobile());
  row.account.set_email(in.email());
  row.account.set_must_change_password(true);
  if (!in.unit_id().empty()) {
    ASSIGN_OR_RETURN(registry::v1::Unit unit, UnitFor("account.unit_id", in.unit_id(), in.role()));
    row.account.set_unit_name(unit.name());
  }
  ASSIGN_OR_RETURN(row.password_hash, hasher_->Hash(password));
  // The password is kept out of the idempotency record, hashed or not.
  acv1::CreateAccountRequest remembered = req;
  remembered.clear_initial_password();
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    acv1::CreateAccountResponse replay;
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "CreateAccount", req.request_id(),
                                                        remembered, &replay));
    if (replayed) {
      response = replay;
      return absl::OkStatus();
    }
    if (FindAccount(tx, in.login(), clock_->Now())) {
      return absl::AlreadyExistsError(
          absl::StrCat("account.login: ", QuoteInput(in.login()), " is taken"));
    }
    *row.account.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    InsertAccount(tx, row);
    audit_.Record(tx, who, "CreateAccount", "account/" + in.login(), nullptr, &row.account,
                  req.request_id());
    *response.mutable_account() = row.account;
    acv1::CreateAccountResponse kept = response;
    kept.clear_generated_password();
    idempotency_.Remember(tx, who, "CreateAccount", req.request_id(), remembered, kept);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<acv1::ListAccountsResponse> AccountsService::ListAccounts(
    const Principal& who, const acv1::ListAccountsRequest& req) {
  RETURN_IF_ERROR(Admit(who, "ListAccounts"));
  ASSIGN_OR_RETURN(int page_size, PageSize(req.page_size()));
  page_size = std::min(page_size, kMaxAccountsPage);
  if (!req.unit_id().empty()) RETURN_IF_ERROR(CheckId("unit_id", req.unit_id()));
  if (!uplift::auth::v1::Role_IsValid(req.role())) return FieldError("role", "is not a role");
  AccountFilter filter{req.unit_id(), static_cast<int>(req.role()), req.include_disabled()};
  const std::string filter_key =
      absl::StrCat(filter.unit_id, "|", filter.role, "|", filter.include_disabled);
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(req.page_token(), filter_key));
  acv1::ListAccountsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    std::vector<acv1::Account> rows =
        ListAccountRows(db, filter, after, page_size + 1, clock_->Now());
    if (static_cast<int>(rows.size()) > page_size) {
      rows.resize(page_size);
      response.set_next_page_token(EncodePageToken(rows.back().login(), filter_key));
    }
    for (acv1::Account& a : rows) *response.add_accounts() = std::move(a);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<acv1::Account> AccountsService::Change(
    const Principal& who, const std::string& login, const std::string& action,
    const std::function<absl::Status(AccountRow&, bool* end_sessions)>& change) {
  acv1::Account after;
  bool end = false;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<AccountRow> row = FindAccount(tx, login, clock_->Now());
    if (!row) return NoAccount(login);
    const acv1::Account before = row->account;
    RETURN_IF_ERROR(change(*row, &end));
    SaveAccount(tx, *row);
    if (end) SessionManager::EndSessionsOf(tx, login);
    after = row->account;
    audit_.Record(tx, who, action, "account/" + login, &before, &after, "");
    return absl::OkStatus();
  }));
  if (end) sessions_->ForgetLogin(login);
  return after;
}

absl::StatusOr<acv1::UpdateAccountResponse> AccountsService::UpdateAccount(
    const Principal& who, const acv1::UpdateAccountRequest& req) {
  RETURN_IF_ERROR(Admit(who, "UpdateAccount"));
  const std::string& login = req.account().login();
  RETURN_IF_ERROR(CheckLogin("account.login", login));
  // A new role or unit: the unit the account will act for is looked up
  // first (outside the transaction, from the request or the current row),
  // and inside Change the row must still name it.
  bool unit_in_mask = false, role_in_mask = false;
  for (const std::string& path : req.update_mask().paths()) {
    unit_in_mask |= path == "unit_id";
    role_in_mask |= path == "role";
  }
  std::string unit_id;
  Role role = req.account().role();
  if (unit_in_mask != role_in_mask) {  // the other one is the current row's
    ASSIGN_OR_RETURN(std::optional<AccountRow> current, ReadAccount(login));
    if (current && !unit_in_mask) unit_id = current->account.unit_id();
    if (current && !role_in_mask) role = current->account.role();
  }
  if (unit_in_mask) unit_id = req.account().unit_id();
  std::optional<registry::v1::Unit> unit;
  const bool unit_checked =
      (unit_in_mask || role_in_mask) && !unit_id.empty() && RoleNeedsUnit(role);
  if (unit_checked) {
    const std::string field = unit_in_mask ? "account.unit_id" : "account.role";
    RETURN_IF_ERROR(CheckId(field, unit_id));
    ASSIGN_OR_RETURN(unit, UnitFor(field, unit_id, role));
  }
  acv1::UpdateAccountResponse response;
  ASSIGN_OR_RETURN(
      *response.mutable_account(),
      Change(who, login, "UpdateAccount", [&](AccountRow& row, bool* end) -> absl::Status {
        acv1::Account updated = row.account;
        RETURN_IF_ERROR(
            ApplyUpdateMask(req.update_mask(), AccountPaths(), req.account(), &updated));
        RETURN_IF_ERROR(CheckAccountFields("account.", updated));
        updated.set_display_name(TrimText(updated.display_name()));
        if (unit_checked && (updated.unit_id() != unit_id || updated.role() != role)) {
          return absl::AbortedError("the account changed meanwhile; read it and try again");
        }
        if (unit_in_mask) updated.set_unit_name(unit ? unit->name() : "");
        if (updated.disabled() && login == who.subject) {
          return absl::FailedPreconditionError("an ADMIN cannot disable their own account");
        }
        *end = updated.role() != row.account.role() || updated.unit_id() != row.account.unit_id() ||
               (updated.disabled() && !row.account.disabled());
        row.account = updated;
        return absl::OkStatus();
      }));
  return response;
}

absl::StatusOr<acv1::DisableAccountResponse> AccountsService::DisableAccount(
    const Principal& who, const acv1::DisableAccountRequest& req) {
  RETURN_IF_ERROR(Admit(who, "DisableAccount"));
  RETURN_IF_ERROR(CheckLogin("login", req.login()));
  RETURN_IF_ERROR(CheckText("reason", req.reason(), 200, false));
  if (req.login() == who.subject) {
    return absl::FailedPreconditionError("an ADMIN cannot disable their own account");
  }
  acv1::DisableAccountResponse response;
  ASSIGN_OR_RETURN(*response.mutable_account(),
                   Change(who, req.login(), "DisableAccount", [&](AccountRow& row, bool* end) {
                     row.account.set_disabled(true);
                     *end = true;
                     return absl::OkStatus();
                   }));
  return response;
}

absl::StatusOr<acv1::ResetPasswordResponse> AccountsService::ResetPassword(
    const Principal& who, const acv1::ResetPasswordRequest& req) {
  RETURN_IF_ERROR(Admit(who, "ResetPassword"));
  RETURN_IF_ERROR(CheckLogin("login", req.login()));
  acv1::ResetPasswordResponse response;
  std::string password = req.new_password();
  if (password.empty()) {
    password = GeneratePassword();
    response.set_generated_password(password);
  } else {
    RETURN_IF_ERROR(CheckPasswordStrength("new_password", password, req.login()));
  }
  ASSIGN_OR_RETURN(std::string hash, hasher_->Hash(password));
  ASSIGN_OR_RETURN(*response.mutable_account(),
                   Change(who, req.login(), "ResetPassword", [&](AccountRow& row, bool* end) {
                     row.password_hash = hash;
                     row.account.set_must_change_password(true);
                     row.failed_sign_ins = 0;
                     row.locked_until = absl::UnixEpoch();
                     row.account.clear_locked_until();
                     *end = true;
                     return absl::OkStatus();
                   }));
  ForgetFirstPassword(req.login());
  return response;
}

absl::StatusOr<audv1::ListAuditRecordsResponse> AccountsService::ListAuditRecords(
    const Principal& who, const audv1::ListAuditRecordsRequest& req) {
  RETURN_IF_ERROR(Admit(who, "ListAuditRecords"));
  return audit_.List(*db_, req);
}

absl::StatusOr<bool> AccountsService::CreateFirstAdmin(const std::string& password_file) {
  first_password_file_ = password_file;
  int64_t count = 0;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    count = CountAccounts(db);
    return absl::OkStatus();
  }));
  if (count > 0) return false;
  const std::string password = GeneratePassword();
  AccountRow row;
  row.account.set_login(kFirstAdmin);
  row.account.set_display_name("系统管理员");
  row.account.set_role(uplift::auth::v1::ROLE_ADMIN);
  row.account.set_must_change_password(true);
  ASSIGN_OR_RETURN(row.password_hash, hasher_->Hash(password));
  // The file first: an account whose password nobody could read is worse
  // than a file left over from a failed start (it is replaced next time).
  std::remove(password_file.c_str());
  RETURN_IF_ERROR(WriteNewFile(password_file, password + "\n", 0600));
  Principal system;
  system.subject = "uplift-web";
  system.role = uplift::auth::v1::ROLE_SERVICE;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    if (CountAccounts(tx) > 0) return absl::OkStatus();
    *row.account.mutable_create_time() = ToProtoTimestamp(clock_->Now());
    InsertAccount(tx, row);
    audit_.Record(tx, system, "CreateAccount", absl::StrCat("account/", kFirstAdmin), nullptr,
                  &row.account, "");
    return absl::OkStatus();
  }));
  return true;
}

}  // namespace uplift::web
