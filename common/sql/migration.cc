// CheckMigrations: the rules both engines' migration runners apply.
#include "common/sql/migration.h"

#include "absl/strings/str_cat.h"

namespace uplift {

absl::Status CheckMigrations(const MigrationSet& set, int current) {
  const int known = set.migrations.empty() ? 0 : set.migrations.back().version;
  if (current > known) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema of ", set.component, " is at version ", current,
                     ", newer than this binary knows (", known, "); run a newer release"));
  }
  int expected = 1;
  for (const Migration& m : set.migrations) {
    if (m.version != expected++) {
      return absl::InternalError(
          absl::StrCat("migrations of ", set.component, " are not numbered 1, 2, 3..."));
    }
  }
  return absl::OkStatus();
}

}  // namespace uplift
