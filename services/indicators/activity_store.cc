// SQL of activities.
#include "services/indicators/activity_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sql/query.h"
#include "common/time_util.h"

namespace uplift::indicators::store {

const char kActivityTables[] =
    "CREATE TABLE activities ("
    " activity_id TEXT PRIMARY KEY,"
    " held_on TEXT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " organiser_unit_id TEXT NOT NULL,"
    " dedup_key TEXT NOT NULL UNIQUE,"
    " body BLOB NOT NULL);"
    "CREATE INDEX activities_by_day ON activities(held_on, activity_id);"
    "CREATE TABLE activity_enterprises ("
    " activity_id TEXT NOT NULL REFERENCES activities(activity_id),"
    " credit_code TEXT NOT NULL,"
    " PRIMARY KEY (activity_id, credit_code));"
    "CREATE INDEX activity_enterprises_by_code ON activity_enterprises(credit_code, activity_id);";

std::string ActivityKey(const v1::Activity& a) {
  std::string title;
  for (absl::string_view part : absl::StrSplit(a.title(), absl::ByAnyChar(" \t\n\r"))) {
    absl::StrAppend(&title, part);
  }
  // The ideographic space too (U+3000): one event, however it is typed.
  for (size_t at; (at = title.find("\xE3\x80\x80")) != std::string::npos;) title.erase(at, 3);
  return absl::StrCat(a.held_on(), "|", static_cast<int>(a.kind()), "|", title);
}

std::optional<v1::Activity> FindActivityByKey(sql::Connection& db, const std::string& key) {
  sql::Query q(db, "SELECT body FROM activities WHERE dedup_key = ?");
  q.Bind(1, key);
  if (!q.Step()) return std::nullopt;
  v1::Activity a;
  if (!a.ParseFromString(q.Blob(0))) return std::nullopt;
  return a;
}

void InsertActivity(sql::Connection& tx, const v1::Activity& a) {
  std::string body;
  a.SerializeToString(&body);
  sql::Query(tx,
             "INSERT INTO activities(activity_id, held_on, kind, organiser_unit_id, dedup_key,"
             " body) VALUES(?,?,?,?,?,?)")
      .Bind(1, a.activity_id())
      .Bind(2, a.held_on())
      .Bind(3, static_cast<int>(a.kind()))
      .Bind(4, a.organiser_unit_id())
      .Bind(5, ActivityKey(a))
      .BindBlob(6, body)
      .Exec();
  for (const std::string& code : a.credit_codes()) {
    sql::Query(tx, "INSERT INTO activity_enterprises(activity_id, credit_code) VALUES(?,?)")
        .Bind(1, a.activity_id())
        .Bind(2, code)
        .Exec();
  }
}

std::string ActivityCursor(const v1::Activity& a) {
  return absl::StrCat(a.held_on(), "|", a.activity_id());
}

std::vector<v1::Activity> ListActivities(sql::Connection& db, const ActivityFilter& f,
                                         const std::string& after_cursor, int limit) {
  std::string sql = "SELECT body FROM activities a WHERE held_on >= ?1 AND held_on <= ?2";
  std::pair<std::string, std::string> cursor;
  if (!after_cursor.empty()) {
    cursor = absl::StrSplit(after_cursor, absl::MaxSplits('|', 1));
    sql += " AND (held_on < ?3 OR (held_on = ?3 AND activity_id < ?4))";
  }
  if (f.kind != v1::ACTIVITY_KIND_UNSPECIFIED) sql += " AND kind = ?5";
  if (!f.organiser_unit_id.empty()) sql += " AND organiser_unit_id = ?6";
  if (!f.credit_code.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM activity_enterprises e"
        " WHERE e.activity_id = a.activity_id AND e.credit_code = ?7)";
  }
  sql += " ORDER BY held_on DESC, activity_id DESC LIMIT ?8";
  sql::Query q(db, sql);
  q.Bind(1, FormatDate(f.from)).Bind(2, FormatDate(f.until));
  if (!after_cursor.empty()) q.Bind(3, cursor.first).Bind(4, cursor.second);
  if (f.kind != v1::ACTIVITY_KIND_UNSPECIFIED) q.Bind(5, static_cast<int>(f.kind));
  if (!f.organiser_unit_id.empty()) q.Bind(6, f.organiser_unit_id);
  if (!f.credit_code.empty()) q.Bind(7, f.credit_code);
  q.Bind(8, limit);
  std::vector<v1::Activity> out;
  while (q.Step()) {
    v1::Activity a;
    if (a.ParseFromString(q.Blob(0))) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace uplift::indicators::store
