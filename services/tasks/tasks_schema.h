// The tasks service's tables, as versioned migrations.
#pragma once

#include "common/sql/migration.h"

namespace uplift::tasks {

MigrationSet TasksMigrations();

}  // namespace uplift::tasks
