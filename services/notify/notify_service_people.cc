// NotifyService: the people of units (read from uplift-web's accounts) and
// each person's preferences.
#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/validation.h"
#include "services/notify/notify_service.h"
#include "services/notify/notify_store.h"
#include "services/notify/people_store.h"
#include "services/notify/person_preferences.h"

namespace uplift::notify {
namespace {

// The person a preferences call is about: `login`, or the caller.
std::string TargetLogin(const Principal& who, const std::string& login) {
  return login.empty() ? who.subject : login;
}

absl::Status NoPerson(const std::string& login, const std::string& field = "login") {
  return absl::NotFoundError(absl::StrCat(
      field, ": no person ", QuoteInput(login),
      " of a unit in uplift-notify (it reads uplift-web's accounts every --people-refresh)"));
}

}  // namespace

absl::StatusOr<PeopleSyncCounts> NotifyService::SyncPeople(
    const std::vector<v1::Person>& accounts) {
  PeopleSyncCounts counts;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) {
    counts = ApplyAccounts(tx, accounts, *secrets_, clock_->Now());
    return absl::OkStatus();
  }));
  return counts;
}

absl::StatusOr<v1::GetPreferencesResponse> NotifyService::GetPreferences(
    const Principal& who, const v1::GetPreferencesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "GetPreferences"));
  const std::string login = TargetLogin(who, req.login());
  RETURN_IF_ERROR(access_.Check(who, "GetPreferences", login == who.subject));
  v1::GetPreferencesResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Person> p = store::FindPerson(db, login);
    if (!p.has_value()) return NoPerson(login);
    for (v1::Channel& c : store::PersonChannels(db, login)) *p->add_channels() = std::move(c);
    *response.mutable_person() = std::move(*p);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::SetPreferencesResponse> NotifyService::SetPreferences(
    const Principal& who, const v1::SetPreferencesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "SetPreferences"));
  const std::string login = TargetLogin(who, req.login());
  RETURN_IF_ERROR(access_.Check(who, "SetPreferences", login == who.subject));
  v1::Preferences preferences = req.preferences();
  RETURN_IF_ERROR(CheckPreferences(&preferences));
  v1::SetPreferencesResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Person> p = store::FindPerson(tx, login);
    if (!p.has_value()) return NoPerson(login);
    const v1::Person before = *p;
    *p->mutable_preferences() = preferences;
    store::SavePerson(tx, *p);
    audit_.Record(tx, who, "SetPreferences", "person/" + login, &before, &*p, "");
    for (v1::Channel& c : store::PersonChannels(tx, login)) *p->add_channels() = std::move(c);
    *response.mutable_person() = std::move(*p);
    return absl::OkStatus();
  }));
  return response;
}

absl::Status NotifyService::CheckPersonalChannel(const Principal& who, v1::Channel* c) {
  if (!access_.Check(who, "AddChannel", c->owner_login() == who.subject).ok()) {
    return absl::PermissionDeniedError(absl::StrCat("channel.owner_login: only ", c->owner_login(),
                                                    " or ADMIN adds their channels"));
  }
  if (c->type() != v1::CHANNEL_TYPE_WECOM && c->type() != v1::CHANNEL_TYPE_DINGTALK) {
    return FieldError("channel.type",
                      "a person adds 企业微信 or 钉钉 robots; their SMS and e-mail come from their "
                      "account (mobile, email)");
  }
  return db_->Read([&](sql::Connection& db) -> absl::Status {
    std::optional<v1::Person> p = store::FindPerson(db, c->owner_login());
    if (!p.has_value() || !p->active()) return NoPerson(c->owner_login(), "channel.owner_login");
    c->set_unit_id(p->unit_id());
    return absl::OkStatus();
  });
}

}  // namespace uplift::notify
