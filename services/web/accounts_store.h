// The accounts table as free functions over a connection or transaction.
// A row is the Account message plus what never leaves the service: the
// password hash and the failed sign-in count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "uplift/accounts/v1/accounts.pb.h"

namespace uplift::web {

namespace acv1 = uplift::accounts::v1;

struct AccountRow {
  acv1::Account account;  // locked_until set only while the lock holds
  std::string password_hash;
  int failed_sign_ins = 0;
  absl::Time locked_until = absl::UnixEpoch();
};

// `now` decides whether the lock still shows.
std::optional<AccountRow> FindAccount(sql::Connection& db, absl::string_view login, absl::Time now);
void InsertAccount(sql::Connection& tx, const AccountRow& row);
// Writes every field of the row but login and create_time.
void SaveAccount(sql::Connection& tx, const AccountRow& row);

struct AccountFilter {
  std::string unit_id;  // empty: every unit
  int role = 0;         // 0: every role
  bool include_disabled = false;
};
// Ordered by login, after `after_login`, at most `limit`.
std::vector<acv1::Account> ListAccountRows(sql::Connection& db, const AccountFilter& filter,
                                           absl::string_view after_login, int limit,
                                           absl::Time now);
int64_t CountAccounts(sql::Connection& db);

}  // namespace uplift::web
