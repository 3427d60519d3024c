// NumberPlaceholders: one pass over the SQL, tracking quotes and comments.
#include "common/sql/placeholders.h"

#include <cctype>

namespace uplift::sql {
namespace {

// The end of the dollar-quote tag starting at `at` ("$$" or "$tag$"), or npos.
size_t DollarTagEnd(std::string_view sql, size_t at) {
  size_t i = at + 1;
  while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
    ++i;
  }
  if (i < sql.size() && sql[i] == '$') {
    // "$1" is a parameter, not a tag: a tag does not start with a digit.
    if (i > at + 1 && std::isdigit(static_cast<unsigned char>(sql[at + 1]))) {
      return std::string_view::npos;
    }
    return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace

NumberedSql NumberPlaceholders(std::string_view sql) {
  NumberedSql out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  // Copies up to and including the first `close` at or after `from` (the
  // rest of the text if there is none); a doubled quote inside stays inside.
  auto copy_through = [&](size_t from, std::string_view close) {
    size_t end = sql.find(close, from);
    end = end == std::string_view::npos ? sql.size() : end + close.size();
    out.sql.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_through(i + 1, std::string_view(&sql[i], 1));  // '' re-enters at the next quote
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      copy_through(i + 2, "\n");
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      copy_through(i + 2, "*/");
    } else if (c == '$' && DollarTagEnd(sql, i) != std::string_view::npos) {
      const size_t tag_end = DollarTagEnd(sql, i);
      copy_through(tag_end, sql.substr(i, tag_end - i));
    } else if (c == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.parameters);
      ++i;
    } else {
      out.sql += c;
      ++i;
    }
  }
  return out;
}

}  // namespace uplift::sql
