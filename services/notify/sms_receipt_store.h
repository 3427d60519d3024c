// The SMS whose receipt uplift-notify still asks 阿里云 for: one row per
// delivery SENT through SendSms (a bundled delivery shares its carrier's
// BizId), with when to ask next. Rows go when the receipt came or after
// kReceiptPatience.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/sql/connection.h"

namespace uplift::notify::store {

struct PendingReceipt {
  std::string delivery_id;
  std::string biz_id;
  std::string phone;
  absl::Time sent;
  int queries = 0;
};

void AwaitReceipt(sql::Connection& tx, const PendingReceipt& r, absl::Time first_query);
// Whether any receipt is due at `now` (a read, before claiming in a write).
bool AnyReceiptDue(sql::Connection& db, absl::Time now);
// Up to `max` receipts due at `now`, each moved to `lease_until` so that
// another worker or replica does not ask for it at the same time.
std::vector<PendingReceipt> ClaimDueReceipts(sql::Connection& tx, absl::Time now,
                                             absl::Time lease_until, int max);
void AskReceiptAgain(sql::Connection& tx, const std::string& delivery_id, absl::Time at,
                     int queries);
void ForgetReceipt(sql::Connection& tx, const std::string& delivery_id);

}  // namespace uplift::notify::store
