// RegistryService: tier and label awards, revocations and their history.
#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_access.h"
#include "services/registry/registry_labels.h"
#include "services/registry/registry_rules.h"
#include "services/registry/registry_service.h"
#include "services/registry/registry_store.h"

namespace uplift::registry {

v1::EnterpriseRef RefOf(const v1::Enterprise& e) {
  v1::EnterpriseRef ref;
  ref.set_credit_code(e.credit_code());
  ref.set_name(e.name());
  ref.set_cluster_id(e.cluster_id());
  ref.set_township_id(e.township_id());
  return ref;
}

absl::StatusOr<v1::AwardTierResponse> RegistryService::AwardTier(
    const Principal& who, const v1::AwardTierRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "AwardTier"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  const std::string code = NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(CheckCreditCode("credit_code", code));
  v1::TierAward award = req.award();
  RETURN_IF_ERROR(CheckTierLevel(award.tier(), award.level(), "award."));
  RETURN_IF_ERROR(ParsePastDate("award.awarded_on", award.awarded_on(), Today()).status());
  std::string evidence = award.evidence();
  RETURN_IF_ERROR(CheckReason("award.evidence", &evidence, kMaxLongTextChars));
  award.set_evidence(evidence);
  award.clear_revoked_on();
  award.clear_revoke_reason();
  award.clear_revoked_by();
  award.set_awarded_by(who.subject);

  v1::AwardTierResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     idempotency_.Lookup(tx, who, "AwardTier", req.request_id(), req, &response));
    if (replayed) return absl::OkStatus();
    ASSIGN_OR_RETURN(v1::Enterprise enterprise, LoadEnterprise(tx, code));
    for (const v1::TierAward& held : enterprise.active_tiers()) {
      if (held.tier() == award.tier() && held.level() == award.level()) {
        return absl::AlreadyExistsError(absl::StrCat(
            "award.tier: enterprise ", code, " already holds ", TierLabel(held.tier()), " (",
            LevelLabel(held.level()), ") since ", held.awarded_on(), ", award ",
            held.award_id()));
      }
    }
    award.set_award_id(absl::StrCat("aw-", RandomHex(6)));
    store::InsertAward(tx, code, award, clock_->Now());
    v1::TierAwarded event;
    *event.mutable_enterprise() = RefOf(enterprise);
    *event.mutable_award() = award;
    RETURN_IF_ERROR(RecordChange(tx, who, "AwardTier",
                                 absl::StrCat("enterprise/", code, "/awards/", award.award_id()),
                                 nullptr, &award, "award/" + award.award_id(), event,
                                 req.request_id()));
    *response.mutable_award() = award;
    idempotency_.Remember(tx, who, "AwardTier", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::RevokeTierResponse> RegistryService::RevokeTier(
    const Principal& who, const v1::RevokeTierRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RevokeTier"));
  const std::string code = NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(CheckCreditCode("credit_code", code));
  if (req.award_id().empty() || req.award_id().size() > 64) {
    return FieldError("award_id", "must be an award id such as aw-0123456789ab");
  }
  ASSIGN_OR_RETURN(const absl::CivilDay revoked_on,
                   ParsePastDate("revoked_on", req.revoked_on(), Today()));
  std::string reason = req.reason();
  RETURN_IF_ERROR(CheckReason("reason", &reason, kMaxLongTextChars));

  v1::RevokeTierResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Enterprise enterprise, LoadEnterprise(tx, code));
    std::optional<v1::TierAward> before = store::FindAward(tx, code, req.award_id());
    if (!before.has_value()) {
      return absl::NotFoundError(absl::StrCat("award_id: enterprise ", code,
                                              " has no award ", QuoteInput(req.award_id())));
    }
    if (!before->revoked_on().empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "award_id: award ", req.award_id(), " was already revoked on ", before->revoked_on()));
    }
    if (FormatDate(revoked_on) < before->awarded_on()) {
      return FieldError("revoked_on", absl::StrCat(req.revoked_on(), " is before the award date ",
                                                   before->awarded_on()));
    }
    v1::TierAward after = *before;
    after.set_revoked_on(FormatDate(revoked_on));
    after.set_revoke_reason(reason);
    after.set_revoked_by(who.subject);
    store::SaveRevocation(tx, after);
    v1::TierRevoked event;
    *event.mutable_enterprise() = RefOf(enterprise);
    *event.mutable_award() = after;
    RETURN_IF_ERROR(RecordChange(tx, who, "RevokeTier",
                                 absl::StrCat("enterprise/", code, "/awards/", after.award_id()),
                                 &*before, &after, "award/" + after.award_id(), event, ""));
    *response.mutable_award() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListTierAwardsResponse> RegistryService::ListTierAwards(
    const Principal& who, const v1::ListTierAwardsRequest& req) {
  const std::string code = NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(CheckCreditCode("credit_code", code));
  v1::ListTierAwardsResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    RETURN_IF_ERROR(LoadEnterprise(db, code).status());
    for (v1::TierAward& a : store::ListAwards(db, code, req.include_revoked())) {
      *response.add_awards() = std::move(a);
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace uplift::registry
