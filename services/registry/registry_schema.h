// The registry's tables, as versioned migrations.
#pragma once

#include "common/sqlite_db.h"

namespace uplift::registry {

MigrationSet RegistryMigrations();

}  // namespace uplift::registry
