// NumberPlaceholders: `?` in the code pieces of the SQL becomes $n.
#include "common/sql/placeholders.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/sql/sql_text.h"

namespace uplift::sql {
namespace {

void Mark(int n, std::vector<bool>* used) {
  if (static_cast<int>(used->size()) < n) used->resize(n, false);
  (*used)[n - 1] = true;
}

}  // namespace

NumberedSql NumberPlaceholders(std::string_view sql) {
  NumberedSql out;
  out.sql.reserve(sql.size() + 16);
  for (const SqlPiece& piece : SplitSql(sql)) {
    if (!piece.code) {
      out.sql.append(piece.text);
      continue;
    }
    const std::string_view text = piece.text;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '?') {
        out.sql += text[i];
        continue;
      }
      // SQLite's ?NNN names a parameter by number (it may appear more than
      // once); a bare ? is the next one.
      size_t end = i + 1;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end > i + 1) {
        const int n = std::stoi(std::string(text.substr(i + 1, end - i - 1)));
        out.sql += '$';
        out.sql.append(text.substr(i + 1, end - i - 1));
        out.parameters = std::max(out.parameters, n);
        Mark(n, &out.used);
        i = end - 1;
      } else {
        out.sql += '$';
        out.sql += std::to_string(++out.parameters);
        Mark(out.parameters, &out.used);
      }
    }
  }
  return out;
}

}  // namespace uplift::sql
