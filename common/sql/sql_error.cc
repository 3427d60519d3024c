// Maps the engines' errors, already sorted by kind, to statuses.
#include "common/sql/sql_error.h"

#include "absl/strings/str_cat.h"

namespace uplift::sql {

absl::Status ErrorToStatus(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::kDuplicate:
      return absl::AlreadyExistsError(absl::StrCat("already exists: ", e.what()));
    case ErrorKind::kConstraint:
      return absl::FailedPreconditionError(absl::StrCat("constraint violated: ", e.what()));
    case ErrorKind::kConflict:
      return absl::AbortedError(absl::StrCat("database conflict, try again: ", e.what()));
    case ErrorKind::kUnavailable:
      return absl::UnavailableError(absl::StrCat("database unavailable: ", e.what()));
    case ErrorKind::kBadStatement:
    case ErrorKind::kOther:
      break;
  }
  return absl::InternalError(absl::StrCat("database: ", e.what()));
}

}  // namespace uplift::sql
