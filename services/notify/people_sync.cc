// Applying uplift-web's accounts to the people of units.
#include "services/notify/people_sync.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/time_util.h"
#include "services/notify/notify_store.h"
#include "services/notify/people_store.h"

namespace uplift::notify {
namespace {

bool SameFacts(const v1::Person& a, const v1::Person& b) {
  return a.display_name() == b.display_name() && a.unit_id() == b.unit_id() &&
         a.mobile() == b.mobile() && a.email() == b.email() && a.active() == b.active();
}

// The person's channel of `type` to `address` (none when it is empty).
void SyncContactChannel(sql::Connection& tx, const v1::Person& p, v1::ChannelType type,
                        const std::string& id, const std::string& address, const SecretBox& secrets,
                        absl::Time now) {
  std::optional<v1::Channel> existing = store::FindChannel(tx, id);
  if (address.empty()) {
    if (existing.has_value()) store::RemoveChannel(tx, id);
    return;
  }
  if (existing.has_value() && existing->address() == address &&
      existing->unit_id() == p.unit_id()) {
    return;
  }
  v1::Channel c;
  c.set_channel_id(id);
  c.set_unit_id(p.unit_id());
  c.set_type(type);
  c.set_address(address);
  c.set_owner_login(p.login());
  c.set_description(type == v1::CHANNEL_TYPE_SMS ? "本人手机（账号）" : "本人邮箱（账号）");
  *c.mutable_create_time() = ToProtoTimestamp(now);
  store::InsertChannel(tx, c, secrets.Seal(""), secrets.Seal(""));
}

}  // namespace

std::string PersonSmsChannelId(const std::string& login) { return "ch-sms-" + login; }
std::string PersonMailChannelId(const std::string& login) { return "ch-mail-" + login; }

PeopleSyncCounts ApplyAccounts(sql::Connection& tx, const std::vector<v1::Person>& accounts,
                               const SecretBox& secrets, absl::Time now) {
  PeopleSyncCounts counts;
  std::set<std::string> listed;
  for (const v1::Person& account : accounts) {
    if (account.login().empty() || account.unit_id().empty()) continue;
    ++counts.people;
    listed.insert(account.login());
    v1::Person p = account;
    p.clear_channels();
    std::optional<v1::Person> existing = store::FindPerson(tx, p.login());
    if (existing.has_value()) *p.mutable_preferences() = existing->preferences();
    if (!existing.has_value() || !SameFacts(*existing, p)) {
      store::SavePerson(tx, p);
      ++counts.changed;
      if (existing.has_value() && existing->unit_id() != p.unit_id()) {
        store::MovePersonChannels(tx, p.login(), p.unit_id());
      }
    }
    SyncContactChannel(tx, p, v1::CHANNEL_TYPE_SMS, PersonSmsChannelId(p.login()), p.mobile(),
                       secrets, now);
    SyncContactChannel(tx, p, v1::CHANNEL_TYPE_EMAIL, PersonMailChannelId(p.login()), p.email(),
                       secrets, now);
  }
  for (v1::Person gone : store::AllPeople(tx)) {
    if (listed.count(gone.login()) > 0 || !gone.active()) continue;
    gone.set_active(false);
    store::SavePerson(tx, gone);
    ++counts.changed;
  }
  return counts;
}

}  // namespace uplift::notify
