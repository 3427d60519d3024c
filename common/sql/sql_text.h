// SQL text split into code and what code rewriting must leave alone:
// quoted strings ('...'), quoted identifiers ("..."), dollar-quoted bodies
// ($$...$$, $tag$...$tag$) and comments (-- to the line's end, /* */).
// The placeholder numbering and the DDL dialect rewrite code pieces only.
#pragma once

#include <string_view>
#include <vector>

namespace uplift::sql {

struct SqlPiece {
  std::string_view text;
  bool code = true;  // false: quoted or a comment, to be copied as it is
};

// The pieces in order; concatenated they are `sql` again. An unterminated
// quote or comment runs to the end.
std::vector<SqlPiece> SplitSql(std::string_view sql);

}  // namespace uplift::sql
