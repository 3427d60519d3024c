// What code inside a transaction of either engine shares: the status of an
// exception thrown from a statement, and savepoints (one row of a bulk
// import undone without the rest).
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "common/sql/connection.h"

namespace uplift::sql {

// The status of the exception being handled; call it inside a catch.
// sql::Error and SQLiteCpp's exceptions keep their meaning (a duplicate is
// ALREADY_EXISTS); anything else is INTERNAL.
absl::Status StatusOfCurrentException();

// Runs `fn` inside a SAVEPOINT of the caller's open transaction: if it fails
// (a status or an exception), only its own changes are undone and the
// transaction goes on (on PostgreSQL too, where a failed statement would
// otherwise abort the whole transaction). A lost connection or a
// serialization conflict is thrown on: the whole transaction must run again.
absl::Status WithSavepoint(Connection& tx, const std::function<absl::Status()>& fn);

}  // namespace uplift::sql
