// Generated reports: sections as data, Markdown with aligned columns, and
// the formatting of figures.
#include "services/indicators/report_document.h"

#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "common/display_width.h"
#include "services/indicators/figure_format.h"

namespace uplift::indicators {
namespace {

TEST(ReportDocument, KeepsTheDataAndRendersAlignedMarkdown) {
  ReportDocument doc("2023年6月县域特色产业集群工作调度");
  doc.AddText("一、总体情况", "营业收入同比增长12.50%。");
  doc.AddTable("二、分集群情况", {"集群", "营收(万元)"},
               {{"装备制造产业集群", "1234.56"}, {"a|b", "7"}});
  const v1::GeneratedReport r = doc.Finish(absl::FromUnixSeconds(1687500000));
  ASSERT_EQ(r.sections_size(), 2);
  EXPECT_EQ(r.sections(1).lines(1).cells(0), "a|b");  // data unescaped
  const std::string& md = r.markdown();
  EXPECT_EQ(md.rfind("# 2023年6月县域特色产业集群工作调度\n", 0), 0u);
  EXPECT_NE(md.find("## 一、总体情况\n\n营业收入同比增长12.50%。"), std::string::npos);
  EXPECT_NE(md.find("a\\|b"), std::string::npos);  // escaped in the table
  // Every line of the table has the same display width.
  std::vector<std::string> lines = absl::StrSplit(md, '\n');
  std::vector<int> widths;
  for (const std::string& l : lines) {
    if (!l.empty() && l[0] == '|') widths.push_back(DisplayWidth(l));
  }
  ASSERT_EQ(widths.size(), 4u);
  for (int w : widths) EXPECT_EQ(w, widths[0]);
  EXPECT_NE(md.find("_生成时间: 2023-06-23"), std::string::npos);
}

TEST(FigureFormat, RoundsExactly) {
  EXPECT_EQ(FormatWanYuan(123456789), "123.46");
  EXPECT_EQ(FormatWanYuan(-5000), "-0.01");
  EXPECT_EQ(FormatWanYuan(4999), "0.00");
  EXPECT_EQ(FormatYuan(1234567), "12345.67");
  EXPECT_EQ(FormatAmountText(23706009400000), "2370.60亿元");
  EXPECT_EQ(FormatAmountText(123456789), "123.46万元");
  EXPECT_EQ(FormatPercent(1234), "12.34%");
  EXPECT_EQ(FormatPercent(-50), "-0.50%");
  EXPECT_EQ(FormatMu(12345), "123.45");
  v1::Growth g;
  EXPECT_EQ(FormatGrowth(g), "—");
  g.set_defined(true);
  g.set_growth_bp(1250);
  EXPECT_EQ(FormatGrowth(g), "+12.50%");
}

}  // namespace
}  // namespace uplift::indicators
