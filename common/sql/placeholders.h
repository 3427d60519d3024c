// Stores write `?` for a parameter, as SQLite reads it (or `?2` for the
// second, which may appear more than once); PostgreSQL numbers its
// parameters ($1, $2, ...). NumberPlaceholders rewrites the one into the
// other, leaving alone a `?` inside a quoted string, a quoted
// identifier, a dollar-quoted body or a comment. (A `?` operator of
// PostgreSQL's, e.g. jsonb's, cannot be written in a store's SQL.)
#pragma once

#include <string>
#include <string_view>

namespace uplift::sql {

struct NumberedSql {
  std::string sql;
  int parameters = 0;
};

NumberedSql NumberPlaceholders(std::string_view sql);

}  // namespace uplift::sql
