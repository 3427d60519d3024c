// One enterprise's monthly figures as plain integers (money in fen, land in
// hundredths of a mu), their sums, and the checks that refuse negative or
// absurd values naming the field. Sums are checked: a figure whose sum
// would not fit in int64 saturates and is marked, and CheckNoOverflow turns
// the mark into an error naming the figure (77,000 enterprises at the
// per-month limit overflow a year to date).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

// Adds `v` to `*sum`; on overflow saturates and sets `bit` in `*overflowed`.
inline void AddChecked(int64_t* sum, int64_t v, uint8_t* overflowed, uint8_t bit) {
  if (__builtin_add_overflow(*sum, v, sum)) {
    *sum = v > 0 ? INT64_MAX : INT64_MIN;
    *overflowed |= bit;
  }
}

struct Figures {
  int64_t revenue_fen = 0;
  int64_t output_value_fen = 0;
  int64_t tax_fen = 0;
  int64_t rnd_fen = 0;
  int64_t employees = 0;
  int64_t land_centi_mu = 0;
  // Bits of the figures whose sum overflowed (kRevenueBit...).
  uint8_t overflowed = 0;
  static constexpr uint8_t kRevenueBit = 1, kOutputValueBit = 2, kTaxBit = 4, kRndBit = 8,
                           kEmployeesBit = 16, kLandBit = 32;

  // The flows (money), as SumMonths adds months.
  void AddFlows(const Figures& o) {
    AddChecked(&revenue_fen, o.revenue_fen, &overflowed, kRevenueBit);
    AddChecked(&output_value_fen, o.output_value_fen, &overflowed, kOutputValueBit);
    AddChecked(&tax_fen, o.tax_fen, &overflowed, kTaxBit);
    AddChecked(&rnd_fen, o.rnd_fen, &overflowed, kRndBit);
  }
  // The stocks (people, land).
  void AddStocks(const Figures& o) {
    AddChecked(&employees, o.employees, &overflowed, kEmployeesBit);
    AddChecked(&land_centi_mu, o.land_centi_mu, &overflowed, kLandBit);
  }
  Figures& operator+=(const Figures& o) {
    AddFlows(o);
    AddStocks(o);
    overflowed |= o.overflowed;
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

// OUT_OF_RANGE naming `where` and the first figure that overflowed.
absl::Status CheckNoOverflow(const Figures& f, const std::string& where);

// Each figure is >= 0 and within `limits`; errors name `field`.<figure>.
absl::Status CheckFigures(const std::string& field, const v1::Figures& figures,
                          const v1::FigureLimits& limits);

}  // namespace uplift::indicators
