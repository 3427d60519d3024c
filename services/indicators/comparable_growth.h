// Year-on-year growth on a comparable basis (可比口径): an enterprise's
// revenue counts, month by month, only for the months it reported in both
// years. Enterprises that reported this year and not last year are new
// entrants; those that reported last year and not this year are missing;
// one that reported in both years but never the same month cannot be
// compared and counts as a new entrant. A zero base leaves growth undefined.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "services/indicators/figures.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

// Months 1..12 as bits 0..11.
using MonthMask = uint16_t;
inline MonthMask MonthsBetween(int first, int last) {
  return static_cast<MonthMask>(((1u << last) - 1) & ~((1u << (first - 1)) - 1));
}

// (current - previous) / previous in basis points, rounded half away from
// zero; `defined` false (and 0 returned) when previous is 0.
int64_t GrowthBasisPoints(int64_t current, int64_t previous, bool* defined);

class GrowthTally {
 public:
  // How many credit codes of each list are named (the smallest, so the
  // answer does not depend on the order enterprises were loaded in).
  static constexpr size_t kListed = 20;

  // One enterprise: `cur` and `prev` are its 12 months of this and last
  // year, `*_present` the months it reported; only months in `window` count.
  void Add(int enterprise, MonthMask window, MonthMask cur_present, const Figures* cur,
           MonthMask prev_present, const Figures* prev) {
    const MonthMask c = cur_present & window, p = prev_present & window, both = c & p;
    if (both != 0) {
      ++compared_;
      for (int m = 0; m < 12; ++m) {
        if (both & (1u << m)) {
          AddChecked(&current_, cur[m].revenue_fen, &overflowed_, 1);
          AddChecked(&previous_, prev[m].revenue_fen, &overflowed_, 2);
        }
      }
    } else if (c != 0) {
      ++new_entrants_;
      new_entrant_ids_.push_back(enterprise);
    } else if (p != 0) {
      ++missing_;
      missing_ids_.push_back(enterprise);
    }
  }
  void Merge(const GrowthTally& other);

  int64_t current() const { return current_; }
  // The comparable sums overflowed (see CheckNoOverflow).
  bool overflowed() const { return overflowed_ != 0; }
  int64_t previous() const { return previous_; }
  int compared() const { return compared_; }
  int new_entrants() const { return new_entrants_; }
  int missing() const { return missing_; }
  // Basis points; `defined` as for GrowthBasisPoints.
  int64_t basis_points(bool* defined) const { return GrowthBasisPoints(current_, previous_, defined); }

  // `code_of` turns an enterprise id into its credit code.
  v1::Growth ToProto(const std::function<std::string(int)>& code_of) const;

 private:
  int64_t current_ = 0;
  int64_t previous_ = 0;
  uint8_t overflowed_ = 0;
  int compared_ = 0;
  int new_entrants_ = 0;
  int missing_ = 0;
  std::vector<int> new_entrant_ids_;
  std::vector<int> missing_ids_;
};

}  // namespace uplift::indicators
