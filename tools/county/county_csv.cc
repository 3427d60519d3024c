// Writing the county's CSV files.
#include "tools/county/county_csv.h"

#include <filesystem>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/indicators/figure_format.h"

namespace uplift::county {

absl::Status WriteCountyCsv(const CountyModel& county, int through_month, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::PermissionDeniedError("cannot create " + dir + ": " + ec.message());
  std::ofstream enterprises(dir + "/enterprises.csv", std::ios::binary);
  std::ofstream reports(dir + "/reports.csv", std::ios::binary);
  if (!enterprises || !reports) return absl::PermissionDeniedError("cannot write in " + dir);
  enterprises << "credit_code,name,cluster_id,township_id,industry,key_enterprise,above_size,above_size_since\n";
  reports << "credit_code,period,revenue,output_value,tax,rnd,employees,land\n";
  for (int e = 0; e < static_cast<int>(county.enterprises().size()); ++e) {
    const rv1::Enterprise& ent = county.enterprises()[e].enterprise;
    enterprises << ent.credit_code() << "," << ent.name() << "," << ent.cluster_id() << ","
                << ent.township_id() << "," << ent.industry() << "," << (ent.key_enterprise() ? "是" : "否")
                << "," << (ent.above_size() ? "是" : "否") << "," << ent.above_size_since() << "\n";
    for (int year = county.year() - 1; year <= county.year(); ++year) {
      for (int m = 1; m <= (year == county.year() ? through_month : 12); ++m) {
        std::optional<uplift::indicators::Figures> f = county.Month(e, year, m);
        if (!f.has_value()) continue;
        reports << ent.credit_code() << "," << absl::StrFormat("%04d-%02d", year, m) << ","
                << uplift::indicators::FormatYuan(f->revenue_fen) << ","
                << uplift::indicators::FormatYuan(f->output_value_fen) << ","
                << uplift::indicators::FormatYuan(f->tax_fen) << ","
                << uplift::indicators::FormatYuan(f->rnd_fen) << "," << f->employees << ","
                << uplift::indicators::FormatMu(f->land_centi_mu) << "\n";
      }
    }
  }
  enterprises.close();
  reports.close();
  if (!enterprises || !reports) return absl::DataLossError("writing the CSV files in " + dir + " failed");
  return absl::OkStatus();
}

}  // namespace uplift::county
