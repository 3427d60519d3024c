// The notification service's tables, as versioned migrations.
#pragma once

#include "common/sqlite_db.h"

namespace uplift::notify {

MigrationSet NotifyMigrations();

}  // namespace uplift::notify
