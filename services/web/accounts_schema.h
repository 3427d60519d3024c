// uplift-web's tables (accounts, sessions, the tokens minted for sessions),
// as versioned migrations.
#pragma once

#include "common/sql/migration.h"

namespace uplift::web {

MigrationSet AccountsMigrations();

}  // namespace uplift::web
