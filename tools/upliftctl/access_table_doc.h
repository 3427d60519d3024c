// docs/access.md, generated from the suite's access table (`upliftctl
// access-table`); a test keeps the file equal to what this prints.
#pragma once

#include <string>

#include "common/auth/access_table.h"

namespace uplift::cli {

// The table as Markdown: one section per gRPC service, one row per RPC.
std::string AccessTableMarkdown(const AccessTable& table);

}  // namespace uplift::cli
