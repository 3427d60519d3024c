// The one error both engines throw from a statement, with what kind of
// failure it was, so stores and the transaction runner decide without
// knowing the engine: a duplicate key is ALREADY_EXISTS whichever engine
// reported it, a lost connection is worth retrying, a syntax error is not.
#pragma once

#include <stdexcept>
#include <string>

#include "absl/status/status.h"

namespace uplift::sql {

enum class ErrorKind {
  kDuplicate,     // a UNIQUE or PRIMARY KEY constraint
  kConstraint,    // any other constraint (CHECK, NOT NULL, FOREIGN KEY)
  kConflict,      // a concurrent transaction won (busy, locked, serialization, deadlock)
  kUnavailable,   // the connection or the disk failed; the server may be back soon
  kBadStatement,  // the SQL or its parameters are wrong: a defect, not a condition
  kOther,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string code = "")
      : std::runtime_error(message), kind_(kind), code_(std::move(code)) {}
  ErrorKind kind() const { return kind_; }
  // The engine's own code: SQLite's extended result code, PostgreSQL's SQLSTATE.
  const std::string& code() const { return code_; }

 private:
  ErrorKind kind_;
  std::string code_;
};

// ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, UNAVAILABLE or INTERNAL,
// with the engine's message.
absl::Status ErrorToStatus(const Error& e);

}  // namespace uplift::sql
