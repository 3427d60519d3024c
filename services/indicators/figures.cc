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

}  // namespace uplift::indicators
