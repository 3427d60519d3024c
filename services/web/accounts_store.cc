// The accounts table.
#include "services/web/accounts_store.h"

#include "common/sql/query.h"
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

AccountRow RowOf(sql::Query& q, absl::Time now) {
  AccountRow row;
  acv1::Account& a = row.account;
  a.set_login(q.Text(0));
  a.set_display_name(q.Text(1));
  a.set_role(static_cast<uplift::auth::v1::Role>(q.Int(2)));
  a.set_unit_id(q.Text(3));
  a.set_unit_name(q.Text(4));
  a.set_mobile(q.Text(5));
  a.set_email(q.Text(6));
  a.set_disabled(q.Int(7) != 0);
  a.set_must_change_password(q.Int(8) != 0);
  row.password_hash = q.Text(9);
  row.failed_sign_ins = q.Int(10);
  row.locked_until = absl::FromUnixSeconds(q.Int64(11));
  if (row.locked_until > now) SetTime(q.Int64(11), a.mutable_locked_until());
  SetTime(q.Int64(12), a.mutable_create_time());
  if (q.Int64(13) > 0) {
    SetTime(q.Int64(13), a.mutable_last_sign_in_time());
  }
  return row;
}

int64_t Unix(const google::protobuf::Timestamp& ts) { return ts.seconds(); }

// Binds the mutable fields in the order of SaveAccount's statement: 1..11.
void BindMutable(sql::Query& q, const AccountRow& row) {
  const acv1::Account& a = row.account;
  q.Bind(1, a.display_name());
  q.Bind(2, static_cast<int>(a.role()));
  q.Bind(3, a.unit_id());
  q.Bind(4, a.unit_name());
  q.Bind(5, a.mobile());
  q.Bind(6, a.email());
  q.Bind(7, a.disabled() ? 1 : 0);
  q.Bind(8, a.must_change_password() ? 1 : 0);
  q.Bind(9, row.password_hash);
  q.Bind(10, row.failed_sign_ins);
  q.Bind(11, static_cast<int64_t>(absl::ToUnixSeconds(row.locked_until)));
  q.Bind(12, static_cast<int64_t>(Unix(a.last_sign_in_time())));
}

}  // namespace

std::optional<AccountRow> FindAccount(sql::Connection& db, absl::string_view login,
                                      absl::Time now) {
  sql::Query q(db, std::string("SELECT ") + kColumns + " FROM accounts WHERE login=?");
  q.Bind(1, std::string(login));
  if (!q.Step()) return std::nullopt;
  return RowOf(q, now);
}

void InsertAccount(sql::Connection& tx, const AccountRow& row) {
  sql::Query q(tx,
               "INSERT INTO accounts(display_name, role, unit_id, unit_name, mobile, email,"
               " disabled, must_change_password, password_hash, failed_sign_ins,"
               " locked_until, last_sign_in_time, login, create_time)"
               " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindMutable(q, row);
  q.Bind(13, row.account.login());
  q.Bind(14, static_cast<int64_t>(Unix(row.account.create_time())));
  q.Exec();
}

void SaveAccount(sql::Connection& tx, const AccountRow& row) {
  sql::Query q(tx,
               "UPDATE accounts SET display_name=?, role=?, unit_id=?, unit_name=?,"
               " mobile=?, email=?, disabled=?, must_change_password=?, password_hash=?,"
               " failed_sign_ins=?, locked_until=?, last_sign_in_time=? WHERE login=?");
  BindMutable(q, row);
  q.Bind(13, row.account.login());
  q.Exec();
}

std::vector<acv1::Account> ListAccountRows(sql::Connection& db, const AccountFilter& filter,
                                           absl::string_view after_login, int limit,
                                           absl::Time now) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM accounts WHERE login > ?";
  if (!filter.unit_id.empty()) sql += " AND unit_id = ?";
  if (filter.role != 0) sql += " AND role = ?";
  if (!filter.include_disabled) sql += " AND disabled = 0";
  sql += " ORDER BY login LIMIT ?";
  sql::Query q(db, sql);
  int i = 1;
  q.Bind(i++, std::string(after_login));
  if (!filter.unit_id.empty()) q.Bind(i++, filter.unit_id);
  if (filter.role != 0) q.Bind(i++, filter.role);
  q.Bind(i++, limit);
  std::vector<acv1::Account> out;
  while (q.Step()) out.push_back(RowOf(q, now).account);
  return out;
}

int64_t CountAccounts(sql::Connection& db) {
  sql::Query q(db, "SELECT COUNT(*) FROM accounts");
  q.Step();
  return q.Int64(0);
}

}  // namespace uplift::web
