// The accounts table.
#include "services/web/accounts_store.h"

#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift::web {
namespace {

constexpr const char* kColumns =
    "login, display_name, role, unit_id, unit_name, mobile, email, disabled,"
    " must_change_password, password_hash, failed_sign_ins, locked_until, create_time,"
    " last_sign_in_time";

void SetTime(int64_t unix_seconds, google::protobuf::Timestamp* out) {
  *out = ToProtoTimestamp(absl::FromUnixSeconds(unix_seconds));
}

AccountRow RowOf(SQLite::Statement& q, absl::Time now) {
  AccountRow row;
  acv1::Account& a = row.account;
  a.set_login(q.getColumn(0).getString());
  a.set_display_name(q.getColumn(1).getString());
  a.set_role(static_cast<uplift::auth::v1::Role>(q.getColumn(2).getInt()));
  a.set_unit_id(q.getColumn(3).getString());
  a.set_unit_name(q.getColumn(4).getString());
  a.set_mobile(q.getColumn(5).getString());
  a.set_email(q.getColumn(6).getString());
  a.set_disabled(q.getColumn(7).getInt() != 0);
  a.set_must_change_password(q.getColumn(8).getInt() != 0);
  row.password_hash = q.getColumn(9).getString();
  row.failed_sign_ins = q.getColumn(10).getInt();
  row.locked_until = absl::FromUnixSeconds(q.getColumn(11).getInt64());
  if (row.locked_until > now) SetTime(q.getColumn(11).getInt64(), a.mutable_locked_until());
  SetTime(q.getColumn(12).getInt64(), a.mutable_create_time());
  if (q.getColumn(13).getInt64() > 0) {
    SetTime(q.getColumn(13).getInt64(), a.mutable_last_sign_in_time());
  }
  return row;
}

int64_t Unix(const google::protobuf::Timestamp& ts) { return ts.seconds(); }

// Binds the mutable fields in the order of SaveAccount's statement: 1..11.
void BindMutable(SQLite::Statement& q, const AccountRow& row) {
  const acv1::Account& a = row.account;
  q.bind(1, a.display_name());
  q.bind(2, static_cast<int>(a.role()));
  q.bind(3, a.unit_id());
  q.bind(4, a.unit_name());
  q.bind(5, a.mobile());
  q.bind(6, a.email());
  q.bind(7, a.disabled() ? 1 : 0);
  q.bind(8, a.must_change_password() ? 1 : 0);
  q.bind(9, row.password_hash);
  q.bind(10, row.failed_sign_ins);
  q.bind(11, static_cast<int64_t>(absl::ToUnixSeconds(row.locked_until)));
  q.bind(12, static_cast<int64_t>(Unix(a.last_sign_in_time())));
}

}  // namespace

std::optional<AccountRow> FindAccount(SQLite::Database& db, absl::string_view login,
                                      absl::Time now) {
  CachedStatement q(db, std::string("SELECT ") + kColumns + " FROM accounts WHERE login=?");
  q.bind(1, std::string(login));
  if (!q.executeStep()) return std::nullopt;
  return RowOf(q, now);
}

void InsertAccount(SQLite::Database& tx, const AccountRow& row) {
  CachedStatement q(tx,
                    "INSERT INTO accounts(display_name, role, unit_id, unit_name, mobile, email,"
                    " disabled, must_change_password, password_hash, failed_sign_ins,"
                    " locked_until, last_sign_in_time, login, create_time)"
                    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindMutable(q, row);
  q.bind(13, row.account.login());
  q.bind(14, static_cast<int64_t>(Unix(row.account.create_time())));
  q.exec();
}

void SaveAccount(SQLite::Database& tx, const AccountRow& row) {
  CachedStatement q(tx,
                    "UPDATE accounts SET display_name=?, role=?, unit_id=?, unit_name=?,"
                    " mobile=?, email=?, disabled=?, must_change_password=?, password_hash=?,"
                    " failed_sign_ins=?, locked_until=?, last_sign_in_time=? WHERE login=?");
  BindMutable(q, row);
  q.bind(13, row.account.login());
  q.exec();
}

std::vector<acv1::Account> ListAccountRows(SQLite::Database& db, const AccountFilter& filter,
                                           absl::string_view after_login, int limit,
                                           absl::Time now) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM accounts WHERE login > ?";
  if (!filter.unit_id.empty()) sql += " AND unit_id = ?";
  if (filter.role != 0) sql += " AND role = ?";
  if (!filter.include_disabled) sql += " AND disabled = 0";
  sql += " ORDER BY login LIMIT ?";
  CachedStatement q(db, sql);
  int i = 1;
  q.bind(i++, std::string(after_login));
  if (!filter.unit_id.empty()) q.bind(i++, filter.unit_id);
  if (filter.role != 0) q.bind(i++, filter.role);
  q.bind(i++, limit);
  std::vector<acv1::Account> out;
  while (q.executeStep()) out.push_back(RowOf(q, now).account);
  return out;
}

int64_t CountAccounts(SQLite::Database& db) {
  CachedStatement q(db, "SELECT COUNT(*) FROM accounts");
  q.executeStep();
  return q.getColumn(0).getInt64();
}

}  // namespace uplift::web
