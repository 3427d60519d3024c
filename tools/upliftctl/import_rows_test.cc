// The CSV imports' row parsing: headers in English or Chinese, bad values
// kept as error rows that quote what the file held, bad headers refused.
#include <gtest/gtest.h>

#include "tools/upliftctl/csv.h"
#include "tools/upliftctl/enterprise_rows.h"
#include "tools/upliftctl/report_rows.h"

namespace uplift::cli {
namespace {

std::vector<CsvRecord> Records(const std::string& text) { return *ParseCsv(text); }

TEST(EnterpriseRows, MapsColumnsAndKeepsBadRowsAside) {
  auto rows =
      ParseEnterpriseRows(Records("统一社会信用代码,企业名称,集群,乡镇,骨干企业\n"
                                  "91130181MA0A1B2C3D,新乐市华信机械,equipment, town-chengan ,是\n"
                                  "91130181MA0A1B2C4E,某公司,food,town-a,maybe\n"
                                  "91130181MA0A1B2C5F,另一公司,food,town-a,否,extra\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0].enterprise().township_id(), "town-chengan");
  EXPECT_TRUE(rows->rows[0].enterprise().key_enterprise());
  EXPECT_EQ(rows->rows[0].line(), 2);
  ASSERT_EQ(rows->local_errors.size(), 2u);
  EXPECT_EQ(rows->local_errors[0].line(), 3);
  EXPECT_EQ(rows->local_errors[0].message(),
            "enterprise.key_enterprise: \"maybe\" is not 是/否 or yes/no");
  EXPECT_EQ(rows->local_errors[1].message(), "has 6 fields but the header has 5");
}

TEST(EnterpriseRows, RefusesUnknownOrMissingColumnsQuotingThem) {
  auto unknown =
      ParseEnterpriseRows(Records("credit_code,name,cluster_id,township_id,\x1b[31mx\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown column \"\\x1b[31mx\""), std::string::npos)
      << unknown.status().message();
  EXPECT_FALSE(ParseEnterpriseRows(Records("credit_code,name\n")).ok());
  EXPECT_FALSE(ParseEnterpriseRows({}).ok());
}

TEST(ReportRows, ConvertsYuanAndMuAndKeepsBadRowsAside) {
  auto rows =
      ParseReportRows(Records("统一社会信用代码,月份,营业收入(元),从业人员,占地面积（亩）\n"
                              "91130181MA0A1B2C3D,2023-09,1234.56,50,12.5\n"
                              "91130181MA0A1B2C3D,2023-10,12abc,50,1\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->rows[0].report().figures().revenue_fen(), 123456);
  EXPECT_EQ(rows->rows[0].report().figures().land_centi_mu(), 1250);
  EXPECT_EQ(rows->rows[0].report().figures().employees(), 50);
  ASSERT_EQ(rows->local_errors.size(), 1u);
  EXPECT_EQ(rows->local_errors[0].period(), "2023-10");
  EXPECT_EQ(rows->local_errors[0].message(),
            "report.figures.revenue: \"12abc\" is not a number (yuan and mu take up to two "
            "decimals)");
  EXPECT_FALSE(ParseReportRows(Records("credit_code,period\n")).ok());
}

}  // namespace
}  // namespace uplift::cli
