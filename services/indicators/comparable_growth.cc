// Comparable growth: rounding and merging.
#include "services/indicators/comparable_growth.h"

namespace uplift::indicators {

int64_t GrowthBasisPoints(int64_t current, int64_t previous, bool* defined) {
  if (previous == 0) {
    if (defined != nullptr) *defined = false;
    return 0;
  }
  if (defined != nullptr) *defined = true;
  const __int128 num = static_cast<__int128>(current - previous) * 10000;
  const __int128 den = previous;
  __int128 q = num / den;
  const __int128 r = num % den;
  // Round half away from zero.
  const bool negative = (num < 0) != (den < 0);
  const __int128 twice_r = (r < 0 ? -r : r) * 2;
  const __int128 abs_den = den < 0 ? -den : den;
  if (twice_r >= abs_den) q += negative ? -1 : 1;
  return static_cast<int64_t>(q);
}

void GrowthTally::Merge(const GrowthTally& o) {
  current_ += o.current_;
  previous_ += o.previous_;
  compared_ += o.compared_;
  new_entrants_ += o.new_entrants_;
  missing_ += o.missing_;
  for (int id : o.new_entrant_ids_) {
    if (new_entrant_ids_.size() < kListed) new_entrant_ids_.push_back(id);
  }
  for (int id : o.missing_ids_) {
    if (missing_ids_.size() < kListed) missing_ids_.push_back(id);
  }
}

v1::Growth GrowthTally::ToProto(const std::function<std::string(int)>& code_of) const {
  v1::Growth g;
  g.set_current_fen(current_);
  g.set_previous_fen(previous_);
  bool defined = false;
  g.set_growth_bp(basis_points(&defined));
  g.set_defined(defined);
  g.set_compared(compared_);
  g.set_new_entrants(new_entrants_);
  g.set_missing(missing_);
  for (int id : new_entrant_ids_) g.add_new_entrant_codes(code_of(id));
  for (int id : missing_ids_) g.add_missing_codes(code_of(id));
  return g;
}

}  // namespace uplift::indicators
