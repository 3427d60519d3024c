// SQL of people and their channels' unit.
#include "services/notify/people_store.h"

#include "common/statement_cache.h"
#include "services/notify/store_rows.h"

namespace uplift::notify::store {

void SavePerson(SQLite::Database& db, const v1::Person& p) {
  CachedStatement s(db,
                    "INSERT OR REPLACE INTO people(login, unit_id, active, body) VALUES(?,?,?,?)");
  v1::Person stored = p;
  stored.clear_channels();
  std::string body;
  s.bind(1, p.login());
  s.bind(2, p.unit_id());
  s.bind(3, p.active() ? 1 : 0);
  Bind(s, 4, stored, &body);
  s.exec();
}

std::optional<v1::Person> FindPerson(SQLite::Database& db, const std::string& login) {
  CachedStatement q(db, "SELECT body FROM people WHERE login=?");
  q.bind(1, login);
  if (!q.executeStep()) return std::nullopt;
  return Parse<v1::Person>(q, 0);
}

std::vector<v1::Person> ActivePeople(SQLite::Database& db, const std::string& unit_id) {
  // One query for the unit's people and their channels (it runs for every
  // notification pushed).
  CachedStatement q(db,
                    "SELECT p.login, p.body, c.body FROM people p"
                    " LEFT JOIN channels c ON c.owner_login = p.login AND c.removed = 0"
                    " WHERE p.unit_id=? AND p.active=1 ORDER BY p.login, c.channel_id");
  q.bind(1, unit_id);
  std::vector<v1::Person> out;
  while (q.executeStep()) {
    if (out.empty() || out.back().login() != q.getColumn(0).getString()) {
      std::optional<v1::Person> p = Parse<v1::Person>(q, 1);
      if (!p.has_value()) continue;
      out.push_back(std::move(*p));
    }
    if (q.getColumn(2).isNull()) continue;
    if (std::optional<v1::Channel> c = Parse<v1::Channel>(q, 2)) {
      *out.back().add_channels() = std::move(*c);
    }
  }
  return out;
}

std::vector<v1::Person> AllPeople(SQLite::Database& db) {
  CachedStatement q(db, "SELECT body FROM people ORDER BY login");
  return All<v1::Person>(q);
}

void MovePersonChannels(SQLite::Database& db, const std::string& login,
                        const std::string& unit_id) {
  CachedStatement q(db, "SELECT body FROM channels WHERE owner_login=?");
  q.bind(1, login);
  for (v1::Channel c : All<v1::Channel>(q)) {
    c.set_unit_id(unit_id);
    CachedStatement s(db, "UPDATE channels SET unit_id=?, body=? WHERE channel_id=?");
    std::string body;
    s.bind(1, unit_id);
    Bind(s, 2, c, &body);
    s.bind(3, c.channel_id());
    s.exec();
  }
}

}  // namespace uplift::notify::store
