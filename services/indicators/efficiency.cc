// Per-mu efficiency rows.
#include "services/indicators/efficiency.h"

#include "services/indicators/aggregation.h"
#include "services/indicators/indicator_rules.h"

namespace uplift::indicators {

std::optional<v1::EfficiencyRow> EfficiencyOf(const IndicatorData& data,
                                              const IndicatorData::YearView& year, int e,
                                              int month, const v1::IndicatorRules& rules) {
  Figures sum;
  const int months = SumMonths(year.Months(e), year.Present(e), MonthsBetween(1, month), &sum);
  if (months == 0) return std::nullopt;
  const EnterpriseInfo& info = data.enterprise(e);
  v1::EfficiencyRow row;
  row.set_credit_code(info.credit_code);
  row.set_enterprise_name(info.name);
  if (info.cluster >= 0) row.set_cluster_id(data.clusters()[info.cluster].cluster_id);
  if (info.township >= 0) {
    row.set_township_id(data.units()[info.township].unit_id);
    row.set_township_name(data.units()[info.township].name);
  }
  row.set_land_centi_mu(sum.land_centi_mu);
  row.set_revenue_fen(sum.revenue_fen);
  row.set_tax_fen(sum.tax_fen);
  row.set_months(months);
  row.set_revenue_per_mu_fen(PerMuAnnualised(sum.revenue_fen, months, sum.land_centi_mu));
  row.set_tax_per_mu_fen(PerMuAnnualised(sum.tax_fen, months, sum.land_centi_mu));
  if (sum.land_centi_mu > 0) {
    if (const v1::GradeRule* g = GradeFor(rules, row.tax_per_mu_fen(), row.revenue_per_mu_fen())) {
      row.set_grade(g->grade());
      row.set_grade_label(g->label());
    }
  }
  return row;
}

}  // namespace uplift::indicators
