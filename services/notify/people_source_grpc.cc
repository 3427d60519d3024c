// Reading uplift-web's accounts as people.
#include "services/notify/people_source_grpc.h"

#include "common/client_channel.h"

namespace uplift::notify {

absl::StatusOr<std::vector<v1::Person>> PeopleSourceGrpc::ListPeople() {
  std::vector<v1::Person> people;
  uplift::accounts::v1::ListAccountsRequest req;
  req.set_page_size(500);
  req.set_include_disabled(true);
  do {
    uplift::accounts::v1::ListAccountsResponse resp;
    grpc::Status s =
        stub_->ListAccounts(MakeClientContext(token_, absl::Seconds(10)).get(), req, &resp);
    if (!s.ok()) return DependencyError(s, "uplift-web", "ListAccounts");
    for (const uplift::accounts::v1::Account& a : resp.accounts()) {
      v1::Person p;
      p.set_login(a.login());
      p.set_display_name(a.display_name());
      p.set_unit_id(a.unit_id());
      p.set_mobile(a.mobile());
      p.set_email(a.email());
      p.set_active(!a.disabled());
      people.push_back(std::move(p));
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return people;
}

}  // namespace uplift::notify
