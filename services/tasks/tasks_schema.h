// The tasks service's tables, as versioned migrations.
#pragma once

#include "common/sqlite_db.h"

namespace uplift::tasks {

MigrationSet TasksMigrations();

}  // namespace uplift::tasks
