// Registry calls for a county.
#include "tools/county/county_populate.h"

#include "absl/strings/str_cat.h"
#include "common/client_channel.h"
#include "common/grpc_status.h"
#include "uplift/registry/v1/registry.grpc.pb.h"

namespace uplift::county {
namespace {

// Existing rows are what a second run finds: not an error.
bool Fine(const grpc::Status& s) {
  return s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
         s.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
}

absl::Status Failed(const grpc::Status& s, const std::string& what) {
  return absl::Status(FromGrpcStatus(s).code(), absl::StrCat(what, ": ", s.error_message()));
}

}  // namespace

absl::StatusOr<PopulateCounts> PopulateRegistry(const CountyModel& county,
                                                std::shared_ptr<grpc::Channel> channel,
                                                const std::string& token) {
  auto stub = rv1::EnterpriseRegistry::NewStub(channel);
  PopulateCounts counts;
  {
    auto ctx = MakeClientContext(token, absl::Seconds(300));
    rv1::ImportEnterprisesResponse result;
    auto writer = stub->ImportEnterprises(ctx.get(), &result);
    int line = 1;
    for (const CountyEnterprise& ce : county.enterprises()) {
      rv1::ImportEnterprisesRequest row;
      row.set_line(++line);
      *row.mutable_enterprise() = ce.enterprise;
      if (!writer->Write(row)) break;
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (!s.ok()) return Failed(s, "ImportEnterprises");
    counts.enterprises = result.created();
  }
  for (const CountyEnterprise& ce : county.enterprises()) {
    const std::string& code = ce.enterprise.credit_code();
    for (size_t i = 0; i < ce.awards.size(); ++i) {
      const AwardPlan& a = ce.awards[i];
      rv1::AwardTierRequest req;
      req.set_credit_code(code);
      req.set_request_id(absl::StrCat("county-", code, "-", i));
      req.mutable_award()->set_tier(a.tier);
      req.mutable_award()->set_level(a.level);
      req.mutable_award()->set_awarded_on(a.awarded_on);
      req.mutable_award()->set_evidence("县域模拟数据");
      rv1::AwardTierResponse resp;
      grpc::Status s = stub->AwardTier(MakeClientContext(token, absl::Seconds(10)).get(), req, &resp);
      if (!Fine(s)) return Failed(s, "AwardTier " + code);
      if (s.ok()) ++counts.awards;
      if (!a.revoked_on.empty() && s.ok()) {
        rv1::RevokeTierRequest revoke;
        revoke.set_credit_code(code);
        revoke.set_award_id(resp.award().award_id());
        revoke.set_revoked_on(a.revoked_on);
        revoke.set_reason("复核未通过（模拟）");
        rv1::RevokeTierResponse revoked;
        s = stub->RevokeTier(MakeClientContext(token, absl::Seconds(10)).get(), revoke, &revoked);
        if (!Fine(s)) return Failed(s, "RevokeTier " + code);
        if (s.ok()) ++counts.revoked;
      }
    }
    // One pool step: `call` fills its request and makes the call.
    auto step = [&](const char* what, const auto& call) -> absl::Status {
      const grpc::Status s = call(MakeClientContext(token, absl::Seconds(10)).get());
      if (!Fine(s)) return Failed(s, absl::StrCat(what, " ", code));
      if (s.ok()) ++counts.pool_steps;
      return absl::OkStatus();
    };
    absl::Status s = absl::OkStatus();
    if (!ce.above_size_pool_on.empty()) {
      s.Update(step("EnterAboveSizePool", [&](grpc::ClientContext* ctx) {
        rv1::EnterAboveSizePoolRequest req;
        req.set_credit_code(code);
        req.set_date(ce.above_size_pool_on);
        rv1::EnterAboveSizePoolResponse resp;
        return stub->EnterAboveSizePool(ctx, req, &resp);
      }));
    }
    if (s.ok() && !ce.marked_above_size_on.empty()) {
      s.Update(step("MarkAboveSize", [&](grpc::ClientContext* ctx) {
        rv1::MarkAboveSizeRequest req;
        req.set_credit_code(code);
        req.set_since(ce.marked_above_size_on);
        rv1::MarkAboveSizeResponse resp;
        return stub->MarkAboveSize(ctx, req, &resp);
      }));
    }
    if (s.ok() && !ce.listing_pool_on.empty()) {
      s.Update(step("EnterListingPool", [&](grpc::ClientContext* ctx) {
        rv1::EnterListingPoolRequest req;
        req.set_credit_code(code);
        req.set_date(ce.listing_pool_on);
        rv1::EnterListingPoolResponse resp;
        return stub->EnterListingPool(ctx, req, &resp);
      }));
    }
    if (!s.ok()) return s;
  }
  return counts;
}

}  // namespace uplift::county
