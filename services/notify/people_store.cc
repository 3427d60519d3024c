// SQL of people and their channels' unit.
#include "services/notify/people_store.h"

#include "common/sql/dialect.h"
#include "common/sql/query.h"
#include "services/notify/store_rows.h"

namespace uplift::notify::store {

void SavePerson(sql::Connection& db, const v1::Person& p) {
  sql::Query s(db, sql::UpsertSql("people", "login, unit_id, active, body", "login"));
  v1::Person stored = p;
  stored.clear_channels();
  std::string body;
  s.Bind(1, p.login());
  s.Bind(2, p.unit_id());
  s.Bind(3, p.active() ? 1 : 0);
  Bind(s, 4, stored, &body);
  s.Exec();
}

std::optional<v1::Person> FindPerson(sql::Connection& db, const std::string& login) {
  sql::Query q(db, "SELECT body FROM people WHERE login=?");
  q.Bind(1, login);
  if (!q.Step()) return std::nullopt;
  return Parse<v1::Person>(q, 0);
}

std::vector<v1::Person> ActivePeople(sql::Connection& db, const std::string& unit_id) {
  // One query for the unit's people and their channels (it runs for every
  // notification pushed).
  sql::Query q(db,
               "SELECT p.login, p.body, c.body FROM people p"
               " LEFT JOIN channels c ON c.owner_login = p.login AND c.removed = 0"
               " WHERE p.unit_id=? AND p.active=1 ORDER BY p.login, c.channel_id");
  q.Bind(1, unit_id);
  std::vector<v1::Person> out;
  while (q.Step()) {
    if (out.empty() || out.back().login() != q.Text(0)) {
      std::optional<v1::Person> p = Parse<v1::Person>(q, 1);
      if (!p.has_value()) continue;
      out.push_back(std::move(*p));
    }
    if (q.IsNull(2)) continue;
    if (std::optional<v1::Channel> c = Parse<v1::Channel>(q, 2)) {
      *out.back().add_channels() = std::move(*c);
    }
  }
  return out;
}

std::vector<v1::Person> AllPeople(sql::Connection& db) {
  sql::Query q(db, "SELECT body FROM people ORDER BY login");
  return All<v1::Person>(q);
}

void MovePersonChannels(sql::Connection& db, const std::string& login, const std::string& unit_id) {
  sql::Query q(db, "SELECT body FROM channels WHERE owner_login=?");
  q.Bind(1, login);
  for (v1::Channel c : All<v1::Channel>(q)) {
    c.set_unit_id(unit_id);
    sql::Query s(db, "UPDATE channels SET unit_id=?, body=? WHERE channel_id=?");
    std::string body;
    s.Bind(1, unit_id);
    Bind(s, 2, c, &body);
    s.Bind(3, c.channel_id());
    s.Exec();
  }
}

}  // namespace uplift::notify::store
