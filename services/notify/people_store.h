// SQL of the people of units (accounts of uplift-web as uplift-notify last
// read them) and their preferences. Every function runs on a connection
// the caller holds; none checks access or input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/sql/connection.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify::store {

namespace v1 = uplift::notify::v1;

// Stored without its channels (they are rows of their own).
void SavePerson(sql::Connection& db, const v1::Person& p);
std::optional<v1::Person> FindPerson(sql::Connection& db, const std::string& login);
// The active people of a unit, by login, each with their channels.
std::vector<v1::Person> ActivePeople(sql::Connection& db, const std::string& unit_id);
std::vector<v1::Person> AllPeople(sql::Connection& db);
// A person's channels now belong to `unit_id` (the account moved).
void MovePersonChannels(sql::Connection& db, const std::string& login, const std::string& unit_id);

}  // namespace uplift::notify::store
