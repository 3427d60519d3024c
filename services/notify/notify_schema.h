// The notification service's tables, as versioned migrations.
#pragma once

#include "common/sql/migration.h"

namespace uplift::notify {

MigrationSet NotifyMigrations();

}  // namespace uplift::notify
