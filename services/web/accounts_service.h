// uplift.accounts.v1.Accounts but SignIn and SignOut (SessionManager):
// a person's own account (WhoAmI, ChangePassword) and, for ADMIN, creating,
// listing, updating, disabling accounts and resetting passwords. Every
// change is audited; whatever changes what a person's token says (role,
// unit, disabled, password) ends their sessions and revokes their tokens.
// A person signed in with a password an ADMIN set may only change it.
// Free of gRPC; tests build it on a Database with fakes of the registry.
#pragma once

#include "absl/status/statusor.h"
#include "common/audit_log.h"
#include "common/auth/access_table.h"
#include "common/auth/principal.h"
#include "common/idempotency.h"
#include "common/sql/store.h"
#include "services/web/password_hasher.h"
#include "services/web/registry_links.h"
#include "services/web/session_manager.h"

namespace uplift::web {

namespace audv1 = uplift::audit::v1;

class AccountsService {
 public:
  AccountsService(sql::Store* db, const Clock* clock, const PasswordHasher* hasher,
                  SessionManager* sessions, UnitDirectory* units);

  absl::StatusOr<acv1::WhoAmIResponse> WhoAmI(const Principal& who, const acv1::WhoAmIRequest& req);
  absl::StatusOr<acv1::ChangePasswordResponse> ChangePassword(
      const Principal& who, const acv1::ChangePasswordRequest& req);
  absl::StatusOr<acv1::CreateAccountResponse> CreateAccount(const Principal& who,
                                                            const acv1::CreateAccountRequest& req);
  absl::StatusOr<acv1::ListAccountsResponse> ListAccounts(const Principal& who,
                                                          const acv1::ListAccountsRequest& req);
  absl::StatusOr<acv1::UpdateAccountResponse> UpdateAccount(const Principal& who,
                                                            const acv1::UpdateAccountRequest& req);
  absl::StatusOr<acv1::DisableAccountResponse> DisableAccount(
      const Principal& who, const acv1::DisableAccountRequest& req);
  absl::StatusOr<acv1::ResetPasswordResponse> ResetPassword(const Principal& who,
                                                            const acv1::ResetPasswordRequest& req);
  absl::StatusOr<audv1::ListAuditRecordsResponse> ListAuditRecords(
      const Principal& who, const audv1::ListAuditRecordsRequest& req);

  // On first start (no account at all): an ADMIN account `admin` with a
  // random password, written to `password_file` (0600). True if made. The
  // file is deleted when admin's password changes (ChangePassword or
  // ResetPassword), in this run or a later one.
  absl::StatusOr<bool> CreateFirstAdmin(const std::string& password_file);

 private:
  // The account as stored now; nullopt if there is none.
  absl::StatusOr<std::optional<AccountRow>> ReadAccount(const std::string& login);
  // Gate, then FAILED_PRECONDITION for a session that must change its password.
  absl::Status Admit(const Principal& who, absl::string_view method);
  // The unit from the registry, checked to be of the kind `role` acts
  // for; the error names `field`.
  absl::StatusOr<registry::v1::Unit> UnitFor(const std::string& field, const std::string& unit_id,
                                             Role role);
  // Loads `login` in `tx`, applies `change`, saves, audits `action` with
  // before and after, and ends the sessions if `end_sessions` says so.
  absl::StatusOr<acv1::Account> Change(
      const Principal& who, const std::string& login, const std::string& action,
      const std::function<absl::Status(AccountRow&, bool* end_sessions)>& change);

  // Deletes the first admin password's file once that password is gone.
  void ForgetFirstPassword(const std::string& login);

  std::string first_password_file_;  // set once, at start
  sql::Store* const db_;
  const Clock* const clock_;
  const PasswordHasher* const hasher_;
  SessionManager* const sessions_;
  UnitDirectory* const units_;
  AuditLog audit_;
  IdempotencyKeys idempotency_;
  const ServiceAccess access_{"uplift.accounts.v1.Accounts"};
};

}  // namespace uplift::web
