// The registry's tables, as versioned migrations.
#pragma once

#include "common/sql/migration.h"

namespace uplift::registry {

MigrationSet RegistryMigrations();

}  // namespace uplift::registry
