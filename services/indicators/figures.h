// One enterprise's monthly figures as plain integers (money in fen, land in
// hundredths of a mu), their sums, and the checks that refuse negative or
// absurd values naming the field.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

namespace v1 = uplift::indicators::v1;

struct Figures {
  int64_t revenue_fen = 0;
  int64_t output_value_fen = 0;
  int64_t tax_fen = 0;
  int64_t rnd_fen = 0;
  int64_t employees = 0;
  int64_t land_centi_mu = 0;

  Figures& operator+=(const Figures& o) {
    revenue_fen += o.revenue_fen;
    output_value_fen += o.output_value_fen;
    tax_fen += o.tax_fen;
    rnd_fen += o.rnd_fen;
    employees += o.employees;
    land_centi_mu += o.land_centi_mu;
    return *this;
  }
  bool operator==(const Figures& o) const {
    return revenue_fen == o.revenue_fen && output_value_fen == o.output_value_fen &&
           tax_fen == o.tax_fen && rnd_fen == o.rnd_fen && employees == o.employees &&
           land_centi_mu == o.land_centi_mu;
  }
  bool operator!=(const Figures& o) const { return !(*this == o); }
};

Figures FromProto(const v1::Figures& p);
v1::Figures ToProto(const Figures& f);

// Each figure is >= 0 and within `limits`; errors name `field`.<figure>.
absl::Status CheckFigures(const std::string& field, const v1::Figures& figures,
                          const v1::FigureLimits& limits);

}  // namespace uplift::indicators
