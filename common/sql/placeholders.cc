// NumberPlaceholders: `?` in the code pieces of the SQL becomes $n.
#include "common/sql/placeholders.h"

#include "common/sql/sql_text.h"

namespace uplift::sql {

NumberedSql NumberPlaceholders(std::string_view sql) {
  NumberedSql out;
  out.sql.reserve(sql.size() + 16);
  for (const SqlPiece& piece : SplitSql(sql)) {
    if (!piece.code) {
      out.sql.append(piece.text);
      continue;
    }
    for (const char c : piece.text) {
      if (c == '?') {
        out.sql += '$';
        out.sql += std::to_string(++out.parameters);
      } else {
        out.sql += c;
      }
    }
  }
  return out;
}

}  // namespace uplift::sql
