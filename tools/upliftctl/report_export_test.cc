// Exports of generated reports: CSV for Excel, and an XLSX file.
#include "tools/upliftctl/report_export.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/test_env.h"

namespace uplift::cli {
namespace {

namespace iv1 = uplift::indicators::v1;

iv1::GeneratedReport Sample() {
  iv1::GeneratedReport r;
  r.set_title("2023年第三季度县域特色产业集群工作通报");
  auto* text = r.add_sections();
  text->set_title("一、总体情况");
  text->set_text("营业收入同比增长12.50%，达到目标。");
  auto* table = r.add_sections();
  table->set_title("二、分集群情况");
  table->add_columns("集群");
  table->add_columns("营收(万元)");
  auto* line = table->add_lines();
  line->add_cells("装备制造产业集群, \"重点\"");
  line->add_cells("1234.56");
  return r;
}

TEST(ReportExport, CsvIsUtf8WithAByteOrderMarkAndQuotesWhatNeedsIt) {
  const std::string csv = ReportToCsv(Sample());
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF" "2023年第三季度县域特色产业集群工作通报\r\n", 0), 0u);
  EXPECT_NE(csv.find("\r\n二、分集群情况\r\n集群,营收(万元)\r\n\"装备制造产业集群, \"\"重点\"\"\",1234.56\r\n"),
            std::string::npos) << csv;
  EXPECT_NE(csv.find("营业收入同比增长12.50%，达到目标。"), std::string::npos);
}

TEST(ReportExport, XlsxIsAWorkbook) {
  uplift::testing::TempDir dir;
  const std::string path = dir.File("bulletin.xlsx");
  ASSERT_TRUE(WriteReportXlsx(Sample(), path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string file = bytes.str();
  ASSERT_GT(file.size(), 1000u);
  EXPECT_EQ(file.substr(0, 4), std::string("PK\x03\x04", 4));  // a zip archive
  for (const char* part : {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"}) {
    EXPECT_NE(file.find(part), std::string::npos) << part;
  }
  EXPECT_FALSE(WriteReportXlsx(Sample(), dir.File("no/such/dir/x.xlsx")).ok());
}

}  // namespace
}  // namespace uplift::cli
