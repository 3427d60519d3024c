// StatusOfCurrentException and WithSavepoint.
#include "common/sql/transaction.h"

#include <SQLiteCpp/Exception.h>

#include <exception>

#include "absl/strings/str_cat.h"
#include "common/sql/sql_error.h"
#include "common/sql/sqlite_connection.h"

namespace uplift::sql {

absl::Status StatusOfCurrentException() {
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    return ErrorToStatus(FromSqlite(e));
  } catch (const Error& e) {
    return ErrorToStatus(e);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("unexpected exception: ", e.what()));
  } catch (...) {
    return absl::InternalError("unexpected exception of an unknown type");
  }
}

absl::Status WithSavepoint(Connection& tx, const std::function<absl::Status()>& fn) {
  tx.ExecScript("SAVEPOINT row");
  absl::Status status;
  try {
    status = fn();
  } catch (const Error& e) {
    // A lost connection or a lost race spoils the whole transaction, which
    // its runner then runs again; anything else stays inside the savepoint.
    if (e.kind() == ErrorKind::kUnavailable || e.kind() == ErrorKind::kConflict) throw;
    status = StatusOfCurrentException();
  } catch (...) {
    status = StatusOfCurrentException();
  }
  if (!status.ok()) tx.ExecScript("ROLLBACK TO SAVEPOINT row");
  tx.ExecScript("RELEASE SAVEPOINT row");
  return status;
}

}  // namespace uplift::sql
