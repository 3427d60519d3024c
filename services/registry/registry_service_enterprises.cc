// RegistryService: enterprises (create, get, list, update, import rows).
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/page.h"
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

// Clears what callers may not set on create (output-only fields).
void ClearOutputOnly(v1::Enterprise* e) {
  e->set_listing_stage(v1::LISTING_STAGE_UNSPECIFIED);
  e->clear_listing_stage_since();
  e->set_in_above_size_pool(false);
  e->clear_above_size_pool_since();
  e->clear_active_tiers();
  e->clear_create_time();
  e->clear_update_time();
  e->clear_etag();
}

google::protobuf::FieldMask AllEnterprisePaths() {
  google::protobuf::FieldMask mask;
  for (const std::string& p : EnterprisePaths().allowed) mask.add_paths(p);
  return mask;
}

}  // namespace

absl::StatusOr<v1::Enterprise> RegistryService::LoadEnterprise(sql::Connection& tx,
                                                               const std::string& code) {
  std::optional<v1::Enterprise> e = store::FindEnterprise(tx, code);
  if (!e.has_value()) {
    return absl::NotFoundError(absl::StrCat("enterprise ", code, " is not registered"));
  }
  return *e;
}

absl::Status RegistryService::CheckEnterpriseReferences(sql::Connection& tx,
                                                        const v1::Enterprise& e) {
  if (!store::FindCluster(tx, e.cluster_id()).has_value()) {
    return FieldError("enterprise.cluster_id", absl::StrCat("no cluster ", QuoteInput(e.cluster_id())));
  }
  std::optional<v1::Unit> township = store::FindUnit(tx, e.township_id());
  if (!township.has_value()) {
    return FieldError("enterprise.township_id", absl::StrCat("no unit ", QuoteInput(e.township_id())));
  }
  if (!IsTerritorial(township->kind())) {
    return FieldError("enterprise.township_id",
                      absl::StrCat("unit ", QuoteInput(e.township_id()), " is a ",
                                   UnitKindLabel(township->kind()),
                                   "; enterprises belong to a township, subdistrict or "
                                   "development zone"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Enterprise> RegistryService::InsertEnterpriseTx(sql::Connection& tx,
                                                                   const Principal& who,
                                                                   absl::string_view method,
                                                                   v1::Enterprise e,
                                                                   absl::string_view request_id) {
  RETURN_IF_ERROR(access_.CheckTownship(who, method, e.township_id()));
  if (store::FindEnterprise(tx, e.credit_code()).has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "enterprise.credit_code: enterprise ", e.credit_code(), " is already registered"));
  }
  RETURN_IF_ERROR(CheckEnterpriseReferences(tx, e));
  *e.mutable_create_time() = ToProtoTimestamp(clock_->Now());
  *e.mutable_update_time() = e.create_time();
  store::InsertEnterprise(tx, e);
  e.set_etag("v1");
  v1::EnterpriseCreated event;
  *event.mutable_enterprise() = e;
  RETURN_IF_ERROR(RecordChange(tx, who, "CreateEnterprise", "enterprise/" + e.credit_code(),
                               nullptr, &e, "enterprise/" + e.credit_code(), event, request_id));
  return e;
}

absl::StatusOr<v1::Enterprise> RegistryService::UpdateEnterpriseTx(
    sql::Connection& tx, const Principal& who, absl::string_view method,
    const v1::Enterprise& current, const v1::Enterprise& desired,
    const google::protobuf::FieldMask& paths) {
  RETURN_IF_ERROR(access_.CheckTownship(who, method, current.township_id()));
  v1::Enterprise after = current;
  RETURN_IF_ERROR(ApplyUpdateMask(paths, EnterprisePaths(), desired, &after));
  RETURN_IF_ERROR(NormalizeAndCheckEnterprise(&after, "enterprise.", Today()));
  std::vector<std::string> changed = ChangedPaths(EnterprisePaths(), current, after);
  if (changed.empty()) return current;
  RETURN_IF_ERROR(access_.CheckTownship(who, method, after.township_id()));
  RETURN_IF_ERROR(CheckEnterpriseReferences(tx, after));
  *after.mutable_update_time() = ToProtoTimestamp(clock_->Now());
  store::UpdateEnterprise(tx, after);
  ASSIGN_OR_RETURN(after, LoadEnterprise(tx, after.credit_code()));
  v1::EnterpriseUpdated event;
  *event.mutable_before() = current;
  *event.mutable_after() = after;
  for (const std::string& p : changed) event.add_changed_paths(p);
  RETURN_IF_ERROR(RecordChange(tx, who, "UpdateEnterprise", "enterprise/" + after.credit_code(),
                               &current, &after, "enterprise/" + after.credit_code(), event, ""));
  return after;
}

absl::StatusOr<v1::CreateEnterpriseResponse> RegistryService::CreateEnterprise(
    const Principal& who, const v1::CreateEnterpriseRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "CreateEnterprise"));
  RETURN_IF_ERROR(CheckRequestId("request_id", req.request_id()));
  v1::Enterprise e = req.enterprise();
  ClearOutputOnly(&e);
  RETURN_IF_ERROR(NormalizeAndCheckEnterprise(&e, "enterprise.", Today()));
  v1::CreateEnterpriseResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    // Access to the row first: a replay never answers a caller who may not
    // make the request.
    RETURN_IF_ERROR(access_.CheckTownship(who, "CreateEnterprise", e.township_id()));
    ASSIGN_OR_RETURN(bool replayed, idempotency_.Lookup(tx, who, "CreateEnterprise",
                                                        req.request_id(), req, &response));
    if (replayed) return absl::OkStatus();
    ASSIGN_OR_RETURN(*response.mutable_enterprise(),
                     InsertEnterpriseTx(tx, who, "CreateEnterprise", e, req.request_id()));
    idempotency_.Remember(tx, who, "CreateEnterprise", req.request_id(), req, response);
    return absl::OkStatus();
  }));
  return response;
}

std::optional<v1::GetEnterpriseResponse> RegistryService::CachedAt(
    const std::string& code, std::optional<uint64_t> generation) const {
  if (!generation.has_value()) return std::nullopt;
  std::optional<v1::Enterprise> cached = cache_.GetUnchangedSince(code, *generation);
  if (!cached.has_value()) return std::nullopt;
  v1::GetEnterpriseResponse response;
  *response.mutable_enterprise() = std::move(*cached);
  return response;
}

std::optional<absl::StatusOr<v1::GetEnterpriseResponse>> RegistryService::GetEnterpriseFromMemory(
    const Principal&, const v1::GetEnterpriseRequest& req) {
  const std::string code = NormalizeCreditCode(req.credit_code());
  if (absl::Status valid = CheckCreditCode("credit_code", code); !valid.ok()) return valid;
  std::optional<v1::GetEnterpriseResponse> cached = CachedAt(code, db_->CommitGeneration());
  if (!cached.has_value()) return std::nullopt;
  return std::move(*cached);
}

absl::StatusOr<v1::GetEnterpriseResponse> RegistryService::GetEnterprise(
    const Principal& who, const v1::GetEnterpriseRequest& req) {
  const std::string code = NormalizeCreditCode(req.credit_code());
  RETURN_IF_ERROR(CheckCreditCode("credit_code", code));
  // Taken before the read: the same number later means nothing has
  // committed since, and what the read found is still current.
  const std::optional<uint64_t> generation = db_->CommitGeneration();
  if (std::optional<v1::GetEnterpriseResponse> cached = CachedAt(code, generation)) return *cached;
  v1::GetEnterpriseResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) -> absl::Status {
    const int64_t version = store::EnterpriseVersion(db, code);
    if (std::optional<v1::Enterprise> cached = cache_.GetAtVersion(code, version, generation)) {
      *response.mutable_enterprise() = std::move(*cached);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(*response.mutable_enterprise(), LoadEnterprise(db, code));
    // What this snapshot holds at `version`.
    cache_.Put(response.enterprise(), version, generation);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListEnterprisesResponse> RegistryService::ListEnterprises(
    const Principal& who, const v1::ListEnterprisesRequest& req) {
  store::EnterpriseFilter filter;
  filter.cluster_id = req.cluster_id();
  filter.township_id = req.township_id();
  if (!filter.cluster_id.empty()) RETURN_IF_ERROR(CheckId("cluster_id", filter.cluster_id));
  if (!filter.township_id.empty()) RETURN_IF_ERROR(CheckId("township_id", filter.township_id));
  if (!v1::Tier_IsValid(req.tier())) return FieldError("tier", "is not a tier");
  if (!v1::Pool_IsValid(req.pool())) return FieldError("pool", "is not a pool");
  filter.tier = req.tier();
  filter.pool = req.pool();
  if (req.has_key_enterprise()) filter.key_enterprise = req.key_enterprise();
  if (req.has_above_size()) filter.above_size = req.above_size();
  filter.query = std::string(absl::StripAsciiWhitespace(req.query()));
  RETURN_IF_ERROR(CheckText("query", filter.query, 100, /*required=*/false));
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter_key =
      absl::StrCat(req.cluster_id(), "|", req.township_id(), "|", req.tier(), "|", req.pool(), "|",
                   req.has_key_enterprise() ? (req.key_enterprise() ? "1" : "0") : "", "|",
                   req.has_above_size() ? (req.above_size() ? "1" : "0") : "", "|", filter.query);
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), filter_key));
  v1::ListEnterprisesResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Enterprise& e : store::ListEnterprises(db, filter, after, page_size + 1)) {
      *response.add_enterprises() = std::move(e);
    }
    return absl::OkStatus();
  }));
  if (response.enterprises_size() > page_size) {
    response.mutable_enterprises()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(response.enterprises(page_size - 1).credit_code(), filter_key));
  }
  return response;
}

absl::StatusOr<v1::UpdateEnterpriseResponse> RegistryService::UpdateEnterprise(
    const Principal& who, const v1::UpdateEnterpriseRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "UpdateEnterprise"));
  const std::string code = NormalizeCreditCode(req.enterprise().credit_code());
  RETURN_IF_ERROR(CheckCreditCode("enterprise.credit_code", code));
  v1::UpdateEnterpriseResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    ASSIGN_OR_RETURN(v1::Enterprise current, LoadEnterprise(tx, code));
    if (!req.enterprise().etag().empty() && req.enterprise().etag() != current.etag()) {
      return absl::AbortedError(absl::StrCat(
          "enterprise.etag: ", QuoteInput(req.enterprise().etag()), " is stale (now \"",
          current.etag(), "\"); read the enterprise again and retry"));
    }
    ASSIGN_OR_RETURN(*response.mutable_enterprise(),
                     UpdateEnterpriseTx(tx, who, "UpdateEnterprise", current, req.enterprise(),
                                        req.update_mask()));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<RegistryService::ImportOutcome> RegistryService::ImportRow(sql::Connection& tx,
                                                                          const Principal& who,
                                                                          const v1::Enterprise& row,
                                                                          bool update_existing) {
  v1::Enterprise e = row;
  ClearOutputOnly(&e);
  RETURN_IF_ERROR(NormalizeAndCheckEnterprise(&e, "enterprise.", Today()));
  RETURN_IF_ERROR(access_.CheckTownship(who, "ImportEnterprises", e.township_id()));
  std::optional<v1::Enterprise> current = store::FindEnterprise(tx, e.credit_code());
  if (!current.has_value()) {
    RETURN_IF_ERROR(InsertEnterpriseTx(tx, who, "ImportEnterprises", e, "").status());
    return ImportOutcome::kCreated;
  }
  v1::Enterprise desired = *current;
  (void)ApplyUpdateMask(AllEnterprisePaths(), EnterprisePaths(), e, &desired);
  if (ChangedPaths(EnterprisePaths(), *current, desired).empty()) {
    return ImportOutcome::kUnchanged;
  }
  if (!update_existing) {
    return absl::AlreadyExistsError(absl::StrCat(
        "enterprise.credit_code: enterprise ", e.credit_code(),
        " is already registered with other data; import with update_existing to change it"));
  }
  RETURN_IF_ERROR(
      UpdateEnterpriseTx(tx, who, "ImportEnterprises", *current, e, AllEnterprisePaths()).status());
  return ImportOutcome::kUpdated;
}

}  // namespace uplift::registry
