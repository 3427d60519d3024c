// The indicator service's tables (migrations in the code, applied at start).
#pragma once

#include "common/sql/migration.h"

namespace uplift::indicators {

MigrationSet IndicatorsMigrations();

}  // namespace uplift::indicators
