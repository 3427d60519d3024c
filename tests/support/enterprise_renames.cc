// EnterpriseRenames.
#include "tests/support/enterprise_renames.h"

#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/client_channel.h"
#include "common/sql/query.h"
#include "services/registry/test_codes.h"

namespace uplift::testing {

namespace rv1 = uplift::registry::v1;

std::string EnterpriseRenames::NameOf(int enterprise, int round) {
  return absl::StrFormat("新乐市第%d机械有限公司（第%d次更名）", enterprise, round);
}

int EnterpriseRenames::RoundOf(const std::string& name) {
  const std::string open = "（第", close = "次更名）";
  const size_t from = name.rfind(open);
  int round = 0;
  if (from == std::string::npos || name.size() < from + open.size() + close.size()) return 0;
  const std::string digits =
      name.substr(from + open.size(), name.size() - from - open.size() - close.size());
  return absl::SimpleAtoi(digits, &round) ? round : 0;
}

void EnterpriseRenames::Start(std::shared_ptr<grpc::Channel> registry, const std::string& token,
                              int callers) {
  token_ = token;
  for (int c = 0; c < callers; ++c) {
    callers_.emplace_back([this, registry, c, callers] {
      auto stub = rv1::EnterpriseRegistry::NewStub(registry);
      RenameAll(*stub, c, callers);
    });
  }
}

void EnterpriseRenames::Join() {
  for (std::thread& t : callers_) t.join();
  callers_.clear();
}

// Caller `caller` renames its share of the enterprises round after round,
// so an enterprise's renames go in order. A failed call is not retried: it
// may or may not have committed.
void EnterpriseRenames::RenameAll(rv1::EnterpriseRegistry::Stub& stub, int caller, int callers) {
  for (int round = 1; round <= rounds_; ++round) {
    for (int e = caller; e < enterprises_; e += callers) {
      rv1::UpdateEnterpriseRequest req;
      req.mutable_enterprise()->set_credit_code(registry::TestCreditCode(e));
      req.mutable_enterprise()->set_name(NameOf(e, round));
      req.mutable_update_mask()->add_paths("name");
      rv1::UpdateEnterpriseResponse resp;
      auto ctx = MakeClientContext(token_, absl::Seconds(10));
      const grpc::Status s = stub.UpdateEnterprise(ctx.get(), req, &resp);
      std::lock_guard<std::mutex> lock(mu_);
      if (s.ok()) {
        last_acknowledged_[e] = round;
        ++acknowledged_;
      } else {
        ++failed_;
      }
    }
  }
}

std::vector<std::string> EnterpriseRenames::NotYetIn(rv1::EnterpriseRegistry::Stub& registry,
                                                     sql::Store& indicators) {
  std::map<std::string, std::string> held;  // credit code -> name in uplift-indicators
  const absl::Status read = indicators.Read([&](sql::Connection& c) {
    held.clear();
    sql::Query q(c, "SELECT credit_code, name FROM enterprises");
    while (q.Step()) held[q.Text(0)] = q.Text(1);
    return absl::OkStatus();
  });
  std::map<int, int> last_acknowledged;
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_acknowledged = last_acknowledged_;
  }
  std::vector<std::string> missing;
  for (int e = 0; e < enterprises_; ++e) {
    const std::string code = registry::TestCreditCode(e);
    rv1::GetEnterpriseRequest req;
    req.set_credit_code(code);
    rv1::GetEnterpriseResponse resp;
    auto ctx = MakeClientContext(token_, absl::Seconds(10));
    const grpc::Status s = registry.GetEnterprise(ctx.get(), req, &resp);
    const auto acked = last_acknowledged.find(e);
    const int wanted = acked == last_acknowledged.end() ? 0 : acked->second;
    const auto in_indicators = held.find(code);
    if (!read.ok() || !s.ok() || RoundOf(resp.enterprise().name()) < wanted ||
        in_indicators == held.end() || in_indicators->second != resp.enterprise().name()) {
      missing.push_back(absl::StrFormat("%s (registry: %s, indicators: %s, acknowledged round %d)",
                                        code, resp.enterprise().name(),
                                        in_indicators == held.end() ? "-" : in_indicators->second,
                                        wanted));
    }
  }
  return missing;
}

int EnterpriseRenames::acknowledged() const {
  std::lock_guard<std::mutex> lock(mu_);
  return acknowledged_;
}

int EnterpriseRenames::failed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

}  // namespace uplift::testing
