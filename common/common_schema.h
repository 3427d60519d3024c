// Tables every service's database holds: the outbox, the audit log and the
// idempotency keys. Services open their Database with CommonMigrations()
// followed by their own set.
#pragma once

#include "common/sqlite_db.h"

namespace uplift {

MigrationSet CommonMigrations();

}  // namespace uplift
