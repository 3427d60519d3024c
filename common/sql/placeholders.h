// Stores write `?` for a parameter, as SQLite reads it (or `?2` for the
// second, which may appear more than once); PostgreSQL numbers its
// parameters ($1, $2, ...). NumberPlaceholders rewrites the one into the
// other, leaving alone a `?` inside a quoted string, a quoted
// identifier, a dollar-quoted body or a comment. (A `?` operator of
// PostgreSQL's, e.g. jsonb's, cannot be written in a store's SQL.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uplift::sql {

struct NumberedSql {
  std::string sql;
  int parameters = 0;
  // Whether each parameter (1..parameters, at [n - 1]) appears in the SQL:
  // SQLite lets `?1 ... ?7` skip numbers, and PostgreSQL must be told the
  // type of one it never sees.
  std::vector<bool> used;
};

NumberedSql NumberPlaceholders(std::string_view sql);

}  // namespace uplift::sql
