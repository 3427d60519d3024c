// Notify migrations. Append new versions; never edit a shipped one.
#include "services/notify/notify_schema.h"

namespace uplift::notify {

MigrationSet NotifyMigrations() {
  return {
      "notify",
      {
          {1, "channels, notifications, deliveries, feed, policies",
           "CREATE TABLE channels ("
           " channel_id TEXT PRIMARY KEY,"
           " unit_id TEXT NOT NULL,"
           " secret_sealed BLOB NOT NULL,"
           " removed INTEGER NOT NULL DEFAULT 0,"
           " body BLOB NOT NULL);"
           "CREATE INDEX channels_by_unit ON channels(unit_id) WHERE removed = 0;"
           // One notification per (event, recipient, kind): redelivered
           // events and a second replica cannot make a second one.
           "CREATE TABLE notifications ("
           " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
           " notification_id TEXT NOT NULL UNIQUE,"
           " unit_id TEXT NOT NULL,"
           " kind INTEGER NOT NULL,"
           " source_event_id TEXT NOT NULL,"
           " acknowledged INTEGER NOT NULL DEFAULT 0,"
           " pushed INTEGER NOT NULL,"
           " policy_due TEXT,"
           " create_time TEXT NOT NULL,"
           " body BLOB NOT NULL,"
           " UNIQUE (source_event_id, unit_id, kind));"
           "CREATE INDEX notifications_inbox ON notifications(unit_id, acknowledged, seq);"
           "CREATE INDEX notifications_policy ON notifications(policy_due)"
           " WHERE policy_due IS NOT NULL;"
           "CREATE INDEX notifications_undigested ON notifications(unit_id)"
           " WHERE kind = 3 AND pushed = 0;"
           "CREATE TABLE deliveries ("
           " delivery_id TEXT PRIMARY KEY,"
           " notification_id TEXT NOT NULL,"
           " channel_id TEXT NOT NULL,"
           " unit_id TEXT NOT NULL,"
           " state INTEGER NOT NULL,"
           " next_attempt_at TEXT NOT NULL DEFAULT '',"
           " lease_until TEXT NOT NULL DEFAULT '',"
           " create_time TEXT NOT NULL,"
           " body BLOB NOT NULL);"
           "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state = 1;"
           "CREATE INDEX deliveries_by_notification ON deliveries(notification_id);"
           "CREATE INDEX deliveries_by_unit ON deliveries(unit_id, create_time);"
           "CREATE INDEX deliveries_dead ON deliveries(create_time) WHERE state = 3;"
           // What live subscribers must be sent, in order.
           "CREATE TABLE feed ("
           " feed_seq INTEGER PRIMARY KEY AUTOINCREMENT,"
           " unit_id TEXT NOT NULL,"
           " notification_id TEXT NOT NULL,"
           " resend INTEGER NOT NULL,"
           " create_time TEXT NOT NULL);"
           "CREATE TABLE policies ("
           " message_type TEXT NOT NULL,"
           " version INTEGER NOT NULL,"
           " body BLOB NOT NULL,"
           " PRIMARY KEY (message_type, version));"
           // The policy version a problem started under.
           "CREATE TABLE problem_policies ("
           " problem_id TEXT NOT NULL,"
           " message_type TEXT NOT NULL,"
           " version INTEGER NOT NULL,"
           " PRIMARY KEY (problem_id, message_type));"
           "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"},
          {2, "webhook URLs sealed like secrets",
           "ALTER TABLE channels ADD COLUMN url_sealed BLOB;"
           "CREATE INDEX deliveries_due_by_unit ON deliveries(state, unit_id, next_attempt_at);"},
          {3, "SMS sent to each phone, for the per-phone limit",
           "CREATE TABLE sms_sends (phone TEXT NOT NULL, sent_at TEXT NOT NULL);"
           "CREATE INDEX sms_sends_by_phone ON sms_sends(phone, sent_at);"},
          {4, "acknowledgement links in people's messages",
           "CREATE TABLE ack_links ("
           " token TEXT PRIMARY KEY,"
           " notification_id TEXT NOT NULL,"
           " unit_id TEXT NOT NULL,"
           " delivery_id TEXT NOT NULL,"
           " expires_at TEXT NOT NULL,"
           " used_at TEXT NOT NULL DEFAULT '');"
           "CREATE INDEX ack_links_by_delivery ON ack_links(delivery_id);"},
          {5, "people of units (accounts of uplift-web), their channels and preferences",
           "ALTER TABLE channels ADD COLUMN owner_login TEXT NOT NULL DEFAULT '';"
           "CREATE INDEX channels_by_owner ON channels(owner_login) WHERE removed = 0;"
           "CREATE TABLE people ("
           " login TEXT PRIMARY KEY,"
           " unit_id TEXT NOT NULL,"
           " active INTEGER NOT NULL,"
           " body BLOB NOT NULL);"
           "CREATE INDEX people_by_unit ON people(unit_id) WHERE active = 1;"
           "ALTER TABLE ack_links ADD COLUMN login TEXT NOT NULL DEFAULT '';"},
          {6, "SMS receipts to ask 阿里云 for",
           "CREATE TABLE sms_receipts ("
           " delivery_id TEXT PRIMARY KEY,"
           " biz_id TEXT NOT NULL,"
           " phone TEXT NOT NULL,"
           " sent_at TEXT NOT NULL,"
           " next_query_at TEXT NOT NULL,"
           " queries INTEGER NOT NULL DEFAULT 0);"
           "CREATE INDEX sms_receipts_due ON sms_receipts(next_query_at);"},
      }};
}

}  // namespace uplift::notify
