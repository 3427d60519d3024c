// The sms_receipts table.
#include "services/notify/sms_receipt_store.h"

#include "common/statement_cache.h"
#include "common/time_util.h"

namespace uplift::notify::store {

void AwaitReceipt(SQLite::Database& tx, const PendingReceipt& r, absl::Time first_query) {
  CachedStatement s(tx,
                    "INSERT OR REPLACE INTO sms_receipts(delivery_id, biz_id, phone, sent_at,"
                    " next_query_at, queries) VALUES(?,?,?,?,?,0)");
  s.bind(1, r.delivery_id);
  s.bind(2, r.biz_id);
  s.bind(3, r.phone);
  s.bind(4, FormatRfc3339(r.sent));
  s.bind(5, FormatRfc3339(first_query));
  s.exec();
}

bool AnyReceiptDue(SQLite::Database& db, absl::Time now) {
  CachedStatement q(db, "SELECT 1 FROM sms_receipts WHERE next_query_at <= ? LIMIT 1");
  q.bind(1, FormatRfc3339(now));
  return q.executeStep();
}

std::vector<PendingReceipt> ClaimDueReceipts(SQLite::Database& tx, absl::Time now,
                                             absl::Time lease_until, int max) {
  std::vector<PendingReceipt> out;
  {
    CachedStatement q(tx,
                      "SELECT delivery_id, biz_id, phone, sent_at, queries FROM sms_receipts"
                      " WHERE next_query_at <= ? ORDER BY next_query_at LIMIT ?");
    q.bind(1, FormatRfc3339(now));
    q.bind(2, max);
    while (q.executeStep()) {
      PendingReceipt r;
      r.delivery_id = q.getColumn(0).getString();
      r.biz_id = q.getColumn(1).getString();
      r.phone = q.getColumn(2).getString();
      absl::StatusOr<absl::Time> sent = ParseRfc3339(q.getColumn(3).getString());
      r.sent = sent.ok() ? *sent : now;
      r.queries = q.getColumn(4).getInt();
      out.push_back(std::move(r));
    }
  }
  CachedStatement lease(tx, "UPDATE sms_receipts SET next_query_at=? WHERE delivery_id=?");
  for (const PendingReceipt& r : out) {
    lease.bind(1, FormatRfc3339(lease_until));
    lease.bind(2, r.delivery_id);
    lease.exec();
    lease.reset();
  }
  return out;
}

void AskReceiptAgain(SQLite::Database& tx, const std::string& delivery_id, absl::Time at,
                     int queries) {
  CachedStatement s(tx, "UPDATE sms_receipts SET next_query_at=?, queries=? WHERE delivery_id=?");
  s.bind(1, FormatRfc3339(at));
  s.bind(2, queries);
  s.bind(3, delivery_id);
  s.exec();
}

void ForgetReceipt(SQLite::Database& tx, const std::string& delivery_id) {
  CachedStatement s(tx, "DELETE FROM sms_receipts WHERE delivery_id=?");
  s.bind(1, delivery_id);
  s.exec();
}

}  // namespace uplift::notify::store
