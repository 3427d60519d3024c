// uplift-notify's copy of the people of units: the accounts of uplift-web
// (login, name, unit, mobile, e-mail, disabled), read every
// --people-refresh, so a unit's notification reaches its people even while
// uplift-web is down. Each person's SMS and e-mail channels are made from
// the account's mobile and email; their preferences stay when the account
// changes. An account that is disabled or gone makes its person inactive
// (nothing goes to them).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/sql/connection.h"
#include "services/notify/secret_box.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

// Lists every account (disabled ones too) as people: login, display_name,
// unit_id, mobile, email, active.
class PeopleSource {
 public:
  virtual ~PeopleSource() = default;
  virtual absl::StatusOr<std::vector<v1::Person>> ListPeople() = 0;
};

struct PeopleSyncCounts {
  int people = 0;   // accounts of a unit
  int changed = 0;  // people added, changed or made inactive
};

// The ids of a person's channels made from their account.
std::string PersonSmsChannelId(const std::string& login);
std::string PersonMailChannelId(const std::string& login);

// In `tx`: the people table as `accounts` say; accounts without a unit are
// not people.
PeopleSyncCounts ApplyAccounts(sql::Connection& tx, const std::vector<v1::Person>& accounts,
                               const SecretBox& secrets, absl::Time now);

}  // namespace uplift::notify
