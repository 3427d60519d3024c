// Growth on a comparable basis: enterprises entering and leaving, months
// that match, zero bases, rounding.
#include "services/indicators/comparable_growth.h"

#include <gtest/gtest.h>

#include <array>

#include "absl/strings/str_format.h"

namespace uplift::indicators {
namespace {

// Twelve months with `revenue` in the months of `mask`.
struct Year {
  std::array<Figures, 12> months;
  MonthMask present = 0;
  Year& Month(int m, int64_t revenue) {
    months[m - 1].revenue_fen = revenue;
    present |= static_cast<MonthMask>(1u << (m - 1));
    return *this;
  }
};

TEST(GrowthBasisPoints, RoundsHalfAwayFromZeroAndNeedsABase) {
  bool defined = false;
  EXPECT_EQ(GrowthBasisPoints(112, 100, &defined), 1200);
  EXPECT_TRUE(defined);
  EXPECT_EQ(GrowthBasisPoints(100000, 30000, &defined), 23333);   // 233.333 %
  EXPECT_EQ(GrowthBasisPoints(200005, 200000, &defined), 0);      // 0.0025 % -> 0 bp
  EXPECT_EQ(GrowthBasisPoints(20001, 20000, &defined), 1);        // 0.5 bp rounds up to 1
  EXPECT_EQ(GrowthBasisPoints(3, 2, &defined), 5000);
  EXPECT_EQ(GrowthBasisPoints(1, 3, &defined), -6667);            // -66.67 %
  EXPECT_EQ(GrowthBasisPoints(0, 100, &defined), -10000);
  EXPECT_EQ(GrowthBasisPoints(500, 0, &defined), 0);
  EXPECT_FALSE(defined);
  // Sums of a county in fen do not overflow.
  EXPECT_EQ(GrowthBasisPoints(1'120'000'000'000'000'000, 1'000'000'000'000'000'000, &defined), 1200);
}

TEST(GrowthTally, OnlyMonthsReportedInBothYearsCount) {
  GrowthTally t;
  Year cur, prev;
  cur.Month(1, 120).Month(2, 130).Month(3, 999);  // March: no March last year
  prev.Month(1, 100).Month(2, 100).Month(4, 555);  // April: outside the window
  t.Add(0, MonthsBetween(1, 3), cur.present, cur.months.data(), prev.present, prev.months.data());
  EXPECT_EQ(t.current(), 250);
  EXPECT_EQ(t.previous(), 200);
  EXPECT_EQ(t.compared(), 1);
  bool defined = false;
  EXPECT_EQ(t.basis_points(&defined), 2500);
}

TEST(GrowthTally, NewEntrantsAndMissingEnterprisesAreCountedNotCompared) {
  GrowthTally t;
  Year a_cur, a_prev, entrant, gone_prev;
  a_cur.Month(1, 110);
  a_prev.Month(1, 100);
  entrant.Month(1, 5000);     // reported this year only
  gone_prev.Month(1, 7000);   // reported last year only
  const MonthMask jan = MonthsBetween(1, 1);
  t.Add(0, jan, a_cur.present, a_cur.months.data(), a_prev.present, a_prev.months.data());
  t.Add(1, jan, entrant.present, entrant.months.data(), 0, nullptr);
  t.Add(2, jan, 0, nullptr, gone_prev.present, gone_prev.months.data());
  t.Add(3, jan, 0, nullptr, 0, nullptr);  // nothing in either year: not counted at all
  EXPECT_EQ(t.compared(), 1);
  EXPECT_EQ(t.new_entrants(), 1);
  EXPECT_EQ(t.missing(), 1);
  EXPECT_EQ(t.current(), 110);  // the entrant's 5000 does not inflate growth
  EXPECT_EQ(t.previous(), 100);
  const v1::Growth g = t.ToProto([](int e) { return "E" + std::to_string(e); });
  EXPECT_EQ(g.growth_bp(), 1000);
  ASSERT_EQ(g.new_entrant_codes_size(), 1);
  EXPECT_EQ(g.new_entrant_codes(0), "E1");
  ASSERT_EQ(g.missing_codes_size(), 1);
  EXPECT_EQ(g.missing_codes(0), "E2");
}

TEST(GrowthTally, ReportingInBothYearsButNeverTheSameMonthIsNotComparable) {
  GrowthTally t;
  Year cur, prev;
  cur.Month(2, 100);
  prev.Month(1, 100);
  t.Add(0, MonthsBetween(1, 2), cur.present, cur.months.data(), prev.present, prev.months.data());
  EXPECT_EQ(t.compared(), 0);
  EXPECT_EQ(t.new_entrants(), 1);
  EXPECT_EQ(t.missing(), 0);
}

TEST(GrowthTally, AZeroBaseLeavesGrowthUndefined) {
  GrowthTally t;
  Year cur, prev;
  cur.Month(1, 100);
  prev.Month(1, 0);  // reported, but no revenue last January
  t.Add(0, MonthsBetween(1, 1), cur.present, cur.months.data(), prev.present, prev.months.data());
  EXPECT_EQ(t.compared(), 1);
  const v1::Growth g = t.ToProto([](int) { return std::string(); });
  EXPECT_FALSE(g.defined());
  EXPECT_EQ(g.growth_bp(), 0);
  EXPECT_EQ(g.current_fen(), 100);
}

TEST(GrowthTally, MergeAddsAndNamesTheSmallestCodesWhateverTheOrder) {
  GrowthTally a, b;
  Year entrant;
  entrant.Month(1, 1);
  for (int e = 29; e >= 15; --e) a.Add(e, 1, entrant.present, entrant.months.data(), 0, nullptr);
  for (int e = 14; e >= 0; --e) b.Add(e, 1, entrant.present, entrant.months.data(), 0, nullptr);
  a.Merge(b);
  EXPECT_EQ(a.new_entrants(), 30);
  const v1::Growth g = a.ToProto([](int e) { return absl::StrFormat("C%02d", e); });
  ASSERT_EQ(g.new_entrant_codes_size(), static_cast<int>(GrowthTally::kListed));
  EXPECT_EQ(g.new_entrant_codes(0), "C00");
  EXPECT_EQ(g.new_entrant_codes(19), "C19");
}

TEST(MonthsBetween, MakesTheWindowMask) {
  EXPECT_EQ(MonthsBetween(1, 1), 0x1);
  EXPECT_EQ(MonthsBetween(1, 12), 0xFFF);
  EXPECT_EQ(MonthsBetween(4, 6), 0x38);
}

}  // namespace
}  // namespace uplift::indicators
