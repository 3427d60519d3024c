// The database every input of a service's fuzz target starts from: seeded
// once through the service's own RPCs, then copied whole for each input
// (SQLite's backup of an in-memory database takes microseconds), so a crash
// reproduces from its input alone.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "common/sql/store.h"
#include "common/sqlite_db.h"

namespace uplift::fuzz {

// Aborts the fuzz target when a step of its own set-up fails.
inline void MustOk(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz set-up: %s: %s\n", what, status.ToString().c_str());
  std::abort();
}

class SeededDatabase {
 public:
  explicit SeededDatabase(std::vector<MigrationSet> sets) {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:", sets);
    MustOk(db.status(), "open the seed database");
    seed_ = std::make_unique<sql::SqliteStore>(std::move(*db));
  }

  // The database to seed (before the first Fresh).
  sql::Store* seed() { return seed_.get(); }

  // A private copy of the seeded database.
  std::unique_ptr<sql::Store> Fresh() const {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:", {});
    MustOk(db.status(), "open an input's database");
    MustOk((*db)->RestoreFrom(seed_->database()), "copy the seed database");
    return std::make_unique<sql::SqliteStore>(std::move(*db));
  }

 private:
  std::unique_ptr<sql::SqliteStore> seed_;
};

}  // namespace uplift::fuzz
