// Figures: conversion and range checks.
#include "services/indicators/figures.h"

#include "absl/strings/str_cat.h"
#include "common/validation.h"

namespace uplift::indicators {
namespace {

absl::Status CheckRange(const std::string& field, const char* name, int64_t value, int64_t max,
                        const char* what) {
  if (value < 0) {
    return FieldError(absl::StrCat(field, ".", name), absl::StrCat("must not be negative, got ", value));
  }
  if (max > 0 && value > max) {
    return FieldError(absl::StrCat(field, ".", name),
                      absl::StrCat(value, " is absurd for one enterprise in one month (at most ", max,
                                   " ", what, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

Figures FromProto(const v1::Figures& p) {
  return {p.revenue_fen(), p.output_value_fen(), p.tax_fen(),
          p.rnd_fen(),     p.employees(),        p.land_centi_mu()};
}

v1::Figures ToProto(const Figures& f) {
  v1::Figures p;
  p.set_revenue_fen(f.revenue_fen);
  p.set_output_value_fen(f.output_value_fen);
  p.set_tax_fen(f.tax_fen);
  p.set_rnd_fen(f.rnd_fen);
  p.set_employees(f.employees);
  p.set_land_centi_mu(f.land_centi_mu);
  return p;
}

absl::Status CheckFigures(const std::string& field, const v1::Figures& f,
                          const v1::FigureLimits& l) {
  for (absl::Status s : {
           CheckRange(field, "revenue_fen", f.revenue_fen(), l.max_revenue_fen(), "fen"),
           CheckRange(field, "output_value_fen", f.output_value_fen(), l.max_output_value_fen(), "fen"),
           CheckRange(field, "tax_fen", f.tax_fen(), l.max_tax_fen(), "fen"),
           CheckRange(field, "rnd_fen", f.rnd_fen(), l.max_rnd_fen(), "fen"),
           CheckRange(field, "employees", f.employees(), l.max_employees(), "people"),
           CheckRange(field, "land_centi_mu", f.land_centi_mu(), l.max_land_centi_mu(),
                      "hundredths of a mu"),
       }) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckNoOverflow(const Figures& f, const std::string& where) {
  if (f.overflowed == 0) return absl::OkStatus();
  static constexpr std::pair<uint8_t, const char*> kNames[] = {
      {Figures::kRevenueBit, "revenue_fen"}, {Figures::kOutputValueBit, "output_value_fen"},
      {Figures::kTaxBit, "tax_fen"},         {Figures::kRndBit, "rnd_fen"},
      {Figures::kEmployeesBit, "employees"}, {Figures::kLandBit, "land_centi_mu"}};
  for (const auto& [bit, name] : kNames) {
    if (f.overflowed & bit) {
      return absl::OutOfRangeError(absl::StrCat(
          where, ".", name, ": the sum exceeds what a 64-bit integer holds (",
          "9.2e18); the figures behind it cannot be real, check the imported reports"));
    }
  }
  return absl::OkStatus();
}

}  // namespace uplift::indicators
