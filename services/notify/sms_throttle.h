// The per-phone SMS limit: at most `short_limit` messages in `short_window`
// and `long_limit` in `long_window` to one number (defaults 5 in 15
// minutes, 20 in 3 hours, as Chinese carriers and providers expect). What
// goes beyond waits, and goes out bundled into one message when the
// window allows. A plain function of the phone's recent sends, which the
// database keeps for every replica.
#pragma once

#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace uplift::notify {

struct SmsLimits {
  int short_limit = 5;
  absl::Duration short_window = absl::Minutes(15);
  int long_limit = 20;
  absl::Duration long_window = absl::Hours(3);
};

// When the next SMS to a phone may go, given its sends within the long
// window (any order): nullopt for now.
std::optional<absl::Time> NextSmsAllowed(std::vector<absl::Time> sends, absl::Time now,
                                         const SmsLimits& limits);

}  // namespace uplift::notify
