// Tests of CSV parsing and decoding as spreadsheets write it.
#include "tools/upliftctl/csv.h"

#include <gtest/gtest.h>

namespace uplift::cli {
namespace {

TEST(Csv, QuotesCommasNewlinesAndLineNumbers) {
  auto records = ParseCsv(
      "credit_code,name\r\n"
      "A,\"新乐市\"\"华信\"\"机械, 有限公司\"\r\n"
      "\n"
      "B,\"两行\n名称\"\n"
      "C,last");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].fields[1], "新乐市\"华信\"机械, 有限公司");
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].fields[1], "两行\n名称");
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_EQ((*records)[3].fields[1], "last");
}

TEST(Csv, UnclosedQuoteNamesItsLine) {
  auto records = ParseCsv("a,b\nc,\"open\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().message(), "line 2: a quoted field is never closed");
}

TEST(Csv, StripsTheUtf8ByteOrderMark) {
  auto text = DecodeCsvText("\xEF\xBB\xBF" "名称\n", CsvEncoding::kAuto);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "名称\n");
}

TEST(Csv, ConvertsGb18030FromExcel) {
  const std::string gb = "\xB3\xD0\xB0\xB2\xD5\xF2";  // 承安镇 in GB18030
  auto automatic = DecodeCsvText(gb, CsvEncoding::kAuto);
  ASSERT_TRUE(automatic.ok()) << automatic.status();
  EXPECT_EQ(*automatic, "承安镇");
  EXPECT_EQ(*DecodeCsvText(gb, CsvEncoding::kGb18030), "承安镇");
  EXPECT_FALSE(DecodeCsvText(gb, CsvEncoding::kUtf8).ok());
}

TEST(Csv, EncodingNames) {
  CsvEncoding e;
  EXPECT_TRUE(ParseCsvEncoding("GBK", &e));
  EXPECT_EQ(e, CsvEncoding::kGb18030);
  EXPECT_TRUE(ParseCsvEncoding("utf-8", &e));
  EXPECT_EQ(e, CsvEncoding::kUtf8);
  EXPECT_FALSE(ParseCsvEncoding("latin1", &e));
}

TEST(Csv, CellsThatASpreadsheetWouldRunAreNeutralised) {
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvCell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
  EXPECT_EQ(CsvCell("-2+3"), "'-2+3");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\t=1"), "'\t=1");
  EXPECT_EQ(CsvCell("\r=1"), "\"'\r=1\"");
  // Numbers stay numbers; other text is untouched.
  EXPECT_EQ(CsvCell("-3"), "-3");
  EXPECT_EQ(CsvCell("-12.5%"), "-12.5%");
  EXPECT_EQ(CsvCell("+4.50"), "+4.50");
  EXPECT_EQ(CsvCell("承安镇"), "承安镇");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  std::string line;
  AppendCsvLine(&line, {"=1", "2", "x\"y"});
  EXPECT_EQ(line, "'=1,2,\"x\"\"y\"\r\n");
}

}  // namespace
}  // namespace uplift::cli
