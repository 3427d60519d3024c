// Comparable growth: rounding and merging.
#include "services/indicators/comparable_growth.h"

#include <algorithm>

namespace uplift::indicators {

int64_t GrowthBasisPoints(int64_t current, int64_t previous, bool* defined) {
  if (previous == 0) {
    if (defined != nullptr) *defined = false;
    return 0;
  }
  if (defined != nullptr) *defined = true;
  const __int128 num = (static_cast<__int128>(current) - previous) * 10000;
  const __int128 den = previous;
  __int128 q = num / den;
  const __int128 r = num % den;
  // Round half away from zero.
  const bool negative = (num < 0) != (den < 0);
  const __int128 twice_r = (r < 0 ? -r : r) * 2;
  const __int128 abs_den = den < 0 ? -den : den;
  if (twice_r >= abs_den) q += negative ? -1 : 1;
  // A growth beyond int64 basis points only comes from absurd figures.
  if (q > INT64_MAX) return INT64_MAX;
  if (q < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(q);
}

void GrowthTally::Merge(const GrowthTally& o) {
  AddChecked(&current_, o.current_, &overflowed_, 1);
  AddChecked(&previous_, o.previous_, &overflowed_, 2);
  overflowed_ |= o.overflowed_;
  compared_ += o.compared_;
  new_entrants_ += o.new_entrants_;
  missing_ += o.missing_;
  new_entrant_ids_.insert(new_entrant_ids_.end(), o.new_entrant_ids_.begin(), o.new_entrant_ids_.end());
  missing_ids_.insert(missing_ids_.end(), o.missing_ids_.begin(), o.missing_ids_.end());
}

namespace {

void ListSmallest(const std::vector<int>& ids, const std::function<std::string(int)>& code_of,
                  google::protobuf::RepeatedPtrField<std::string>* out) {
  std::vector<std::string> codes;
  codes.reserve(ids.size());
  for (int id : ids) codes.push_back(code_of(id));
  const size_t n = std::min(codes.size(), GrowthTally::kListed);
  std::partial_sort(codes.begin(), codes.begin() + static_cast<long>(n), codes.end());
  for (size_t i = 0; i < n; ++i) *out->Add() = std::move(codes[i]);
}

}  // namespace

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
  ListSmallest(new_entrant_ids_, code_of, g.mutable_new_entrant_codes());
  ListSmallest(missing_ids_, code_of, g.mutable_missing_codes());
  return g;
}

}  // namespace uplift::indicators
