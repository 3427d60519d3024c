// NumberPlaceholders: `?` outside quotes and comments becomes $1, $2, ...
#include "common/sql/placeholders.h"

#include <gtest/gtest.h>

namespace uplift::sql {
namespace {

TEST(NumberPlaceholders, NumbersEachParameterInOrder) {
  const NumberedSql n = NumberPlaceholders("UPDATE t SET a=?, b=? WHERE id=? AND c IN (?,?)");
  EXPECT_EQ(n.sql, "UPDATE t SET a=$1, b=$2 WHERE id=$3 AND c IN ($4,$5)");
  EXPECT_EQ(n.parameters, 5);
}

TEST(NumberPlaceholders, LeavesQuotedTextAndCommentsAlone) {
  const NumberedSql n = NumberPlaceholders(
      "SELECT 'what?', 'it''s ?', \"odd?name\", ? -- a comment?\n"
      "/* and? */ FROM t WHERE x = $$ body? $$ AND y = $tag$ ? $tag$ AND z = ?");
  EXPECT_EQ(n.sql,
            "SELECT 'what?', 'it''s ?', \"odd?name\", $1 -- a comment?\n"
            "/* and? */ FROM t WHERE x = $$ body? $$ AND y = $tag$ ? $tag$ AND z = $2");
  EXPECT_EQ(n.parameters, 2);
}

TEST(NumberPlaceholders, ADigitAfterADollarOpensNoQuotedBody) {
  // Were "$9 ... $" taken for a dollar quote, the `?` inside would be left.
  const NumberedSql n = NumberPlaceholders("SELECT $9 FROM t WHERE a = ? AND b = '$'");
  EXPECT_EQ(n.sql, "SELECT $9 FROM t WHERE a = $1 AND b = '$'");
  EXPECT_EQ(n.parameters, 1);
}

TEST(NumberPlaceholders, AnUnterminatedQuoteRunsToTheEnd) {
  const NumberedSql n = NumberPlaceholders("SELECT ? WHERE 'open ?");
  EXPECT_EQ(n.sql, "SELECT $1 WHERE 'open ?");
  EXPECT_EQ(n.parameters, 1);
}

TEST(NumberPlaceholders, NumberedOnesKeepTheirNumberAndMayRepeat) {
  const NumberedSql n = NumberPlaceholders(
      "UPDATE leases SET holder=?2, expires_ms=?3 WHERE name=?1 AND (holder=?2 OR ?4 > 0)");
  EXPECT_EQ(n.sql,
            "UPDATE leases SET holder=$2, expires_ms=$3 WHERE name=$1 AND (holder=$2 OR $4 > 0)");
  EXPECT_EQ(n.parameters, 4);
}

TEST(NumberPlaceholders, KeepsUtf8AsItIs) {
  const NumberedSql n = NumberPlaceholders("SELECT '装备制造？' WHERE name=?");
  EXPECT_EQ(n.sql, "SELECT '装备制造？' WHERE name=$1");
}

}  // namespace
}  // namespace uplift::sql
