// CSV files as `upliftctl enterprise import` and `report import` read them:
// any bytes, in any of the encodings, through decoding, the CSV parser and
// each importer's rows; rows that parse become requests whose credit code
// and period the services check next.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>

#include "common/time_util.h"
#include "services/registry/credit_code.h"
#include "tools/upliftctl/csv.h"
#include "tools/upliftctl/enterprise_rows.h"
#include "tools/upliftctl/report_rows.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  const auto encoding =
      input.PickValueInArray({uplift::cli::CsvEncoding::kAuto, uplift::cli::CsvEncoding::kUtf8,
                              uplift::cli::CsvEncoding::kGb18030});
  const bool reports = input.ConsumeBool();
  absl::StatusOr<std::string> text =
      uplift::cli::DecodeCsvText(input.ConsumeRemainingBytesAsString(), encoding);
  if (!text.ok()) return 0;
  absl::StatusOr<std::vector<uplift::cli::CsvRecord>> records = uplift::cli::ParseCsv(*text);
  if (!records.ok()) return 0;
  for (const uplift::cli::CsvRecord& record : *records) {
    std::string line;
    uplift::cli::AppendCsvLine(&line, record.fields);
  }
  if (reports) {
    absl::StatusOr<uplift::cli::ReportRows> rows = uplift::cli::ParseReportRows(*records);
    if (!rows.ok()) return 0;
    if (rows->rows.size() + rows->local_errors.size() + 1 != records->size()) std::abort();
    for (const auto& row : rows->rows) {
      (void)uplift::ParsePeriod("report.period", row.report().period());
      (void)uplift::registry::CheckCreditCode(
          "report.credit_code", uplift::registry::NormalizeCreditCode(row.report().credit_code()));
    }
  } else {
    absl::StatusOr<uplift::cli::EnterpriseRows> rows = uplift::cli::ParseEnterpriseRows(*records);
    if (!rows.ok()) return 0;
    if (rows->rows.size() + rows->local_errors.size() + 1 != records->size()) std::abort();
    for (const auto& row : rows->rows) {
      (void)uplift::registry::CheckCreditCode(
          "enterprise.credit_code",
          uplift::registry::NormalizeCreditCode(row.enterprise().credit_code()));
    }
  }
  return 0;
}
