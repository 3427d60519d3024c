// SplitSql: one pass over the text, tracking quotes and comments.
#include "common/sql/sql_text.h"

#include <cctype>

namespace uplift::sql {
namespace {

// The end of the dollar-quote tag starting at `at` ("$$" or "$tag$"), or
// npos ("$1" is a parameter: a tag does not start with a digit).
size_t DollarTagEnd(std::string_view sql, size_t at) {
  if (at + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[at + 1]))) {
    return std::string_view::npos;
  }
  size_t i = at + 1;
  while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) {
    ++i;
  }
  return i < sql.size() && sql[i] == '$' ? i + 1 : std::string_view::npos;
}

}  // namespace

std::vector<SqlPiece> SplitSql(std::string_view sql) {
  std::vector<SqlPiece> pieces;
  size_t code_start = 0;
  size_t i = 0;
  // Ends the code before `i` and adds the quoted piece from `i` through the
  // first `close` at or after `from` (or the end of the text).
  auto quoted = [&](size_t from, std::string_view close) {
    if (i > code_start) pieces.push_back({sql.substr(code_start, i - code_start), true});
    size_t end = sql.find(close, from);
    end = end == std::string_view::npos ? sql.size() : end + close.size();
    pieces.push_back({sql.substr(i, end - i), false});
    i = code_start = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"') {
      quoted(i + 1, sql.substr(i, 1));  // a doubled quote re-enters at the next one
    } else if (c == '-' && next == '-') {
      quoted(i + 2, "\n");
    } else if (c == '/' && next == '*') {
      quoted(i + 2, "*/");
    } else if (c == '$' && DollarTagEnd(sql, i) != std::string_view::npos) {
      const size_t tag_end = DollarTagEnd(sql, i);
      quoted(tag_end, sql.substr(i, tag_end - i));
    } else {
      ++i;
    }
  }
  if (sql.size() > code_start) pieces.push_back({sql.substr(code_start), true});
  return pieces;
}

}  // namespace uplift::sql
