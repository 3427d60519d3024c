// RegistryService: the listing reserve pool (stages forward only), the
// above-size cultivation pool, and the above-size step (升规入统).
#include "absl/strings/str_cat.h"
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
namespace {

using Entry = v1::PoolHistoryEntry;

// The checked parts every pool request has.
struct PoolRequest {
  std::string code;
  absl::CivilDay date;
  std::string text;  // note or reason
};

absl::StatusOr<PoolRequest> CheckPoolRequest(const std::string& credit_code,
                                             const std::string& date_field,
                                             const std::string& date, const std::string& text_field,
                                             const std::string& text, bool text_required,
                                             absl::CivilDay today) {
  PoolRequest out;
  out.code = NormalizeCreditCode(credit_code);
  RETURN_IF_ERROR(CheckCreditCode("credit_code", out.code));
  ASSIGN_OR_RETURN(out.date, ParsePastDate(date_field, date, today));
  out.text = TrimText(text);
  RETURN_IF_ERROR(CheckText(text_field, out.text, kMaxLongTextChars, text_required));
  return out;
}

Entry MakeEntry(v1::Pool pool, Entry::Action action, v1::ListingStage stage,
                const PoolRequest& r) {
  Entry e;
  e.set_pool(pool);
  e.set_action(action);
  e.set_stage(stage);
  e.set_date(FormatDate(r.date));
  e.set_note(r.text);
  return e;
}

absl::Status NotInListingPool(const std::string& code) {
  return absl::FailedPreconditionError(absl::StrCat(
      "listing_stage: enterprise ", code,
      " is not in the listing reserve pool; EnterListingPool first"));
}

}  // namespace

absl::Status RegistryService::SavePoolChange(sql::Connection& tx, const Principal& who,
                                             absl::string_view action, const v1::Enterprise& before,
                                             v1::Enterprise& after, Entry entry) {
  const absl::Time now = clock_->Now();
  *after.mutable_update_time() = ToProtoTimestamp(now);
  store::UpdateEnterprise(tx, after);
  ASSIGN_OR_RETURN(after, LoadEnterprise(tx, after.credit_code()));
  entry.set_actor(who.subject);
  *entry.mutable_record_time() = ToProtoTimestamp(now);
  store::AppendPoolHistory(tx, after.credit_code(), entry);
  v1::PoolChanged event;
  *event.mutable_enterprise() = RefOf(after);
  *event.mutable_entry() = entry;
  *event.mutable_after() = after;
  return RecordChange(tx, who, action, "enterprise/" + after.credit_code(), &before, &after,
                      "enterprise/" + after.credit_code(), event, "");
}

absl::StatusOr<v1::EnterListingPoolResponse> RegistryService::EnterListingPool(
    const Principal& who, const v1::EnterListingPoolRequest& req) {
  RETURN_IF_ERROR(access_.CheckListingPool(who, "EnterListingPool"));
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "date", req.date(), "note",
                                                   req.note(), false, Today()));
  v1::EnterListingPoolResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    if (before.listing_stage() != v1::LISTING_STAGE_UNSPECIFIED) {
      return absl::FailedPreconditionError(absl::StrCat(
          "listing_stage: enterprise ", r.code, " is already in the listing reserve pool (",
          ListingStageLabel(before.listing_stage()), ")"));
    }
    v1::Enterprise after = before;
    after.set_listing_stage(v1::LISTING_STAGE_RESERVE);
    after.set_listing_stage_since(FormatDate(r.date));
    RETURN_IF_ERROR(SavePoolChange(
        tx, who, "EnterListingPool", before, after,
        MakeEntry(v1::POOL_LISTING_RESERVE, Entry::ACTION_ENTERED, v1::LISTING_STAGE_RESERVE, r)));
    *response.mutable_enterprise() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AdvanceListingStageResponse> RegistryService::AdvanceListingStage(
    const Principal& who, const v1::AdvanceListingStageRequest& req) {
  RETURN_IF_ERROR(access_.CheckListingPool(who, "AdvanceListingStage"));
  if (req.stage() == v1::LISTING_STAGE_UNSPECIFIED || !v1::ListingStage_IsValid(req.stage())) {
    return FieldError("stage",
                      "must be SHAREHOLDING_REFORM (股改), TUTORING (辅导), REVIEW (审核), "
                      "REGISTRATION (注册) or LISTED (挂牌上市)");
  }
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "date", req.date(), "note",
                                                   req.note(), false, Today()));
  v1::AdvanceListingStageResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    if (before.listing_stage() == v1::LISTING_STAGE_UNSPECIFIED) return NotInListingPool(r.code);
    if (req.stage() <= before.listing_stage()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "stage: enterprise ", r.code, " is at ", ListingStageLabel(before.listing_stage()),
          "; it cannot move to ", ListingStageLabel(req.stage()),
          " because listing stages only move forward"));
    }
    if (FormatDate(r.date) < before.listing_stage_since()) {
      return FieldError("date", absl::StrCat(FormatDate(r.date), " is before the current stage's date ",
                                             before.listing_stage_since()));
    }
    v1::Enterprise after = before;
    after.set_listing_stage(req.stage());
    after.set_listing_stage_since(FormatDate(r.date));
    RETURN_IF_ERROR(SavePoolChange(
        tx, who, "AdvanceListingStage", before, after,
        MakeEntry(v1::POOL_LISTING_RESERVE, Entry::ACTION_STAGE_ADVANCED, req.stage(), r)));
    *response.mutable_enterprise() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::LeaveListingPoolResponse> RegistryService::LeaveListingPool(
    const Principal& who, const v1::LeaveListingPoolRequest& req) {
  RETURN_IF_ERROR(access_.CheckListingPool(who, "LeaveListingPool"));
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "date", req.date(),
                                                   "reason", req.reason(), true, Today()));
  v1::LeaveListingPoolResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    if (before.listing_stage() == v1::LISTING_STAGE_UNSPECIFIED) return NotInListingPool(r.code);
    v1::Enterprise after = before;
    after.set_listing_stage(v1::LISTING_STAGE_UNSPECIFIED);
    after.clear_listing_stage_since();
    RETURN_IF_ERROR(SavePoolChange(
        tx, who, "LeaveListingPool", before, after,
        MakeEntry(v1::POOL_LISTING_RESERVE, Entry::ACTION_LEFT, before.listing_stage(), r)));
    *response.mutable_enterprise() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Enterprise> RegistryService::EnterAboveSizePoolTx(
    sql::Connection& tx, const Principal& who, absl::string_view action,
    const v1::Enterprise& before, absl::CivilDay date, const std::string& note) {
  const std::string& code = before.credit_code();
  if (before.above_size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("credit_code: enterprise ", code, " is already above designated size since ",
                     before.above_size_since(), "; the cultivation pool is for those below"));
  }
  if (before.in_above_size_pool()) {
    return absl::FailedPreconditionError(absl::StrCat("in_above_size_pool: enterprise ", code,
                                                      " is already in the pool since ",
                                                      before.above_size_pool_since()));
  }
  v1::Enterprise after = before;
  after.set_in_above_size_pool(true);
  after.set_above_size_pool_since(FormatDate(date));
  RETURN_IF_ERROR(
      SavePoolChange(tx, who, action, before, after,
                     MakeEntry(v1::POOL_ABOVE_SIZE_CULTIVATION, Entry::ACTION_ENTERED,
                               v1::LISTING_STAGE_UNSPECIFIED, PoolRequest{code, date, note})));
  return after;
}

absl::StatusOr<v1::EnterAboveSizePoolResponse> RegistryService::EnterAboveSizePool(
    const Principal& who, const v1::EnterAboveSizePoolRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "EnterAboveSizePool"));
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "date", req.date(), "note",
                                                   req.note(), false, Today()));
  v1::EnterAboveSizePoolResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    RETURN_IF_ERROR(access_.CheckTownship(who, "EnterAboveSizePool", before.township_id()));
    ASSIGN_OR_RETURN(*response.mutable_enterprise(),
                     EnterAboveSizePoolTx(tx, who, "EnterAboveSizePool", before, r.date, r.text));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::LeaveAboveSizePoolResponse> RegistryService::LeaveAboveSizePool(
    const Principal& who, const v1::LeaveAboveSizePoolRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "LeaveAboveSizePool"));
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "date", req.date(),
                                                   "reason", req.reason(), true, Today()));
  v1::LeaveAboveSizePoolResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    RETURN_IF_ERROR(access_.CheckTownship(who, "LeaveAboveSizePool", before.township_id()));
    if (!before.in_above_size_pool()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "in_above_size_pool: enterprise ", r.code, " is not in the cultivation pool"));
    }
    v1::Enterprise after = before;
    after.set_in_above_size_pool(false);
    after.clear_above_size_pool_since();
    RETURN_IF_ERROR(SavePoolChange(tx, who, "LeaveAboveSizePool", before, after,
                                   MakeEntry(v1::POOL_ABOVE_SIZE_CULTIVATION, Entry::ACTION_LEFT,
                                             v1::LISTING_STAGE_UNSPECIFIED, r)));
    *response.mutable_enterprise() = after;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Enterprise> RegistryService::MarkAboveSizeTx(
    sql::Connection& tx, const Principal& who, absl::string_view action,
    const v1::Enterprise& before, absl::CivilDay since, const std::string& note) {
  const std::string& code = before.credit_code();
  if (before.above_size()) {
    return absl::FailedPreconditionError(absl::StrCat("above_size: enterprise ", code,
                                                      " is already above designated size since ",
                                                      before.above_size_since()));
  }
  v1::Enterprise after = before;
  after.set_above_size(true);
  after.set_above_size_since(FormatDate(since));
  after.set_in_above_size_pool(false);
  after.clear_above_size_pool_since();
  v1::AboveSizeReached reached;
  reached.set_since(after.above_size_since());
  if (before.in_above_size_pool()) {
    // Graduating from the cultivation pool is the pool's history too.
    RETURN_IF_ERROR(
        SavePoolChange(tx, who, action, before, after,
                       MakeEntry(v1::POOL_ABOVE_SIZE_CULTIVATION, Entry::ACTION_GRADUATED,
                                 v1::LISTING_STAGE_UNSPECIFIED, PoolRequest{code, since, note})));
    *reached.mutable_enterprise() = RefOf(after);
    *reached.mutable_after() = after;
    RETURN_IF_ERROR(outbox_.Append(tx, "enterprise/" + code, reached).status());
  } else {
    *after.mutable_update_time() = ToProtoTimestamp(clock_->Now());
    store::UpdateEnterprise(tx, after);
    ASSIGN_OR_RETURN(after, LoadEnterprise(tx, code));
    *reached.mutable_enterprise() = RefOf(after);
    *reached.mutable_after() = after;
    RETURN_IF_ERROR(RecordChange(tx, who, action, "enterprise/" + code, &before, &after,
                                 "enterprise/" + code, reached, ""));
  }
  return after;
}

absl::StatusOr<v1::MarkAboveSizeResponse> RegistryService::MarkAboveSize(
    const Principal& who, const v1::MarkAboveSizeRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "MarkAboveSize"));
  ASSIGN_OR_RETURN(PoolRequest r, CheckPoolRequest(req.credit_code(), "since", req.since(),
                                                   "note", req.note(), false, Today()));
  v1::MarkAboveSizeResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(const v1::Enterprise before, LoadEnterprise(tx, r.code));
    ASSIGN_OR_RETURN(*response.mutable_enterprise(),
                     MarkAboveSizeTx(tx, who, "MarkAboveSize", before, r.date, r.text));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListPoolHistoryResponse> RegistryService::ListPoolHistory(
    const Principal& who, const v1::ListPoolHistoryRequest& req) {
  const std::string code = NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(CheckCreditCode("credit_code", code));
  v1::ListPoolHistoryResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    RETURN_IF_ERROR(LoadEnterprise(db, code).status());
    for (Entry& e : store::ListPoolHistory(db, code)) *response.add_entries() = std::move(e);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace uplift::registry
