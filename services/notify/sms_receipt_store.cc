// The sms_receipts table.
#include "services/notify/sms_receipt_store.h"

#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::notify::store {

void AwaitReceipt(sql::Connection& tx, const PendingReceipt& r, absl::Time first_query) {
  sql::Query s(tx, sql::UpsertSql("sms_receipts",
                                  "delivery_id, biz_id, phone, sent_at, next_query_at, queries",
                                  "delivery_id"));
  s.Bind(1, r.delivery_id);
  s.Bind(2, r.biz_id);
  s.Bind(3, r.phone);
  s.Bind(4, FormatRfc3339(r.sent));
  s.Bind(5, FormatRfc3339(first_query));
  s.Bind(6, 0);  // queries made
  s.Exec();
}

bool AnyReceiptDue(sql::Connection& db, absl::Time now) {
  sql::Query q(db, "SELECT 1 FROM sms_receipts WHERE next_query_at <= ? LIMIT 1");
  q.Bind(1, FormatRfc3339(now));
  return q.Step();
}

std::vector<PendingReceipt> ClaimDueReceipts(sql::Connection& tx, absl::Time now,
                                             absl::Time lease_until, int max) {
  std::vector<PendingReceipt> out;
  {
    sql::Query q(tx,
                 "SELECT delivery_id, biz_id, phone, sent_at, queries FROM sms_receipts"
                 " WHERE next_query_at <= ? ORDER BY next_query_at LIMIT ?");
    q.Bind(1, FormatRfc3339(now));
    q.Bind(2, max);
    while (q.Step()) {
      PendingReceipt r;
      r.delivery_id = q.Text(0);
      r.biz_id = q.Text(1);
      r.phone = q.Text(2);
      absl::StatusOr<absl::Time> sent = ParseRfc3339(q.Text(3));
      r.sent = sent.ok() ? *sent : now;
      r.queries = q.Int(4);
      out.push_back(std::move(r));
    }
  }
  sql::Query lease(tx, "UPDATE sms_receipts SET next_query_at=? WHERE delivery_id=?");
  for (const PendingReceipt& r : out) {
    lease.Bind(1, FormatRfc3339(lease_until));
    lease.Bind(2, r.delivery_id);
    lease.Exec();
    lease.Reset();
  }
  return out;
}

void AskReceiptAgain(sql::Connection& tx, const std::string& delivery_id, absl::Time at,
                     int queries) {
  sql::Query s(tx, "UPDATE sms_receipts SET next_query_at=?, queries=? WHERE delivery_id=?");
  s.Bind(1, FormatRfc3339(at));
  s.Bind(2, queries);
  s.Bind(3, delivery_id);
  s.Exec();
}

void ForgetReceipt(sql::Connection& tx, const std::string& delivery_id) {
  sql::Query s(tx, "DELETE FROM sms_receipts WHERE delivery_id=?");
  s.Bind(1, delivery_id);
  s.Exec();
}

}  // namespace uplift::notify::store
