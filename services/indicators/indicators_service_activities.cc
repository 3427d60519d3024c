// IndicatorsService: the service activity records (服务活动台账). Each
// activity is recorded once, by the unit that organised it, with the
// enterprises it served; the activity targets are counted from them
// (activity_targets.h).
#include <set>

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/page.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/indicators/activity_store.h"
#include "services/indicators/indicators_service.h"
#include "services/registry/credit_code.h"

namespace uplift::indicators {
namespace {

constexpr int kMaxServed = 500;

std::string UnitName(const IndicatorData& data, const std::string& unit_id) {
  std::optional<int> u = data.FindUnit(unit_id);
  return u.has_value() ? data.units()[*u].name : "";
}

}  // namespace

absl::StatusOr<v1::Activity> IndicatorsService::ValidActivity(const IndicatorData& data,
                                                              const Principal& who,
                                                              v1::Activity a) const {
  // The organiser is the caller's unit; ADMIN names it.
  if (who.role == uplift::auth::v1::ROLE_ADMIN) {
    RETURN_IF_ERROR(CheckId("activity.organiser_unit_id", a.organiser_unit_id()));
  } else if (a.organiser_unit_id().empty()) {
    a.set_organiser_unit_id(who.unit_id);
  }
  RETURN_IF_ERROR(access_.CheckUnit(who, "RecordActivity", a.organiser_unit_id()));
  ASSIGN_OR_RETURN(const absl::CivilDay day, ParseDate("activity.held_on", a.held_on()));
  const absl::CivilDay today = ShanghaiDay(clock_->Now());
  if (day > today) {
    return FieldError("activity.held_on",
                      absl::StrCat(a.held_on(), " is after today; record an activity once held"));
  }
  if (day.year() < 2000)
    return FieldError("activity.held_on", absl::StrCat(a.held_on(), " is before 2000"));
  a.set_held_on(FormatDate(day));
  if (a.kind() == v1::ACTIVITY_KIND_UNSPECIFIED || !v1::ActivityKind_IsValid(a.kind())) {
    return FieldError("activity.kind",
                      "must name the kind, e.g. ACTIVITY_KIND_SERVICE_EVENT (服务活动)");
  }
  a.set_title(TrimText(a.title()));
  RETURN_IF_ERROR(CheckText("activity.title", a.title(), 100, true));
  if (!data.FindUnit(a.organiser_unit_id()).has_value()) {
    return FieldError("activity.organiser_unit_id",
                      absl::StrCat(QuoteInput(a.organiser_unit_id()), " is not a known unit"));
  }
  if (a.credit_codes_size() > kMaxServed) {
    return FieldError("activity.credit_codes",
                      absl::StrCat("at most ", kMaxServed, " enterprises an activity"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < a.credit_codes_size(); ++i) {
    const std::string field = absl::StrCat("activity.credit_codes[", i, "]");
    const std::string code = uplift::registry::NormalizeCreditCode(a.credit_codes(i));
    RETURN_IF_ERROR(uplift::registry::CheckCreditCode(field, code));
    if (!data.FindEnterprise(code).has_value()) {
      return FieldError(field, absl::StrCat("enterprise ", code, " is not registered"));
    }
    if (!seen.insert(code).second) return FieldError(field, absl::StrCat(code, " is named twice"));
    a.set_credit_codes(i, code);
  }
  for (int i = 0; i < a.cluster_ids_size(); ++i) {
    const std::string field = absl::StrCat("activity.cluster_ids[", i, "]");
    if (a.kind() != v1::ACTIVITY_KIND_RESEARCH_SERVICE) {
      return FieldError(field,
                        "only a research service (RESEARCH_SERVICE) serves a cluster as a whole");
    }
    RETURN_IF_ERROR(CheckId(field, a.cluster_ids(i)));
    if (!data.FindCluster(a.cluster_ids(i)).has_value()) {
      return FieldError(field, absl::StrCat("cluster ", a.cluster_ids(i), " does not exist"));
    }
  }
  if (a.credit_codes_size() == 0 && a.cluster_ids_size() == 0) {
    return FieldError("activity.credit_codes",
                      "name the enterprises served (a research service may name clusters)");
  }
  a.set_organiser_unit_name(UnitName(data, a.organiser_unit_id()));
  return a;
}

absl::StatusOr<v1::RecordActivityResponse> IndicatorsService::RecordActivity(
    const Principal& who, const v1::RecordActivityRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "RecordActivity"));
  v1::Activity a;
  RETURN_IF_ERROR(WithData([&](const IndicatorData& data) -> absl::Status {
    ASSIGN_OR_RETURN(a, ValidActivity(data, who, req.activity()));
    return absl::OkStatus();
  }));
  a.set_activity_id(absl::StrCat("ac-", RandomHex(6)));
  a.set_recorded_by(who.subject);
  *a.mutable_record_time() = ToProtoTimestamp(clock_->Now());
  v1::RecordActivityResponse response;
  RETURN_IF_ERROR(db_->Write([&](sql::Connection& tx) -> absl::Status {
    std::optional<v1::Activity> same = store::FindActivityByKey(tx, store::ActivityKey(a));
    if (same.has_value() && same->organiser_unit_id() == a.organiser_unit_id()) {
      *response.mutable_activity() = *same;  // a retry, or recorded before
      response.set_existing(true);
      return absl::OkStatus();
    }
    if (same.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("activity: ", same->organiser_unit_name(), " (", same->organiser_unit_id(),
                       ") has recorded 「", same->title(), "」 of ", same->held_on(), " (",
                       same->activity_id(), "); an activity is recorded once, by its organiser"));
    }
    store::InsertActivity(tx, a);
    audit_.Record(tx, who, "RecordActivity", "activity/" + a.activity_id(), nullptr, &a, "");
    *response.mutable_activity() = a;
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListActivitiesResponse> IndicatorsService::ListActivities(
    const Principal& who, const v1::ListActivitiesRequest& req) {
  RETURN_IF_ERROR(access_.Gate(who, "ListActivities"));
  const absl::CivilDay today = ShanghaiDay(clock_->Now());
  const int year = req.year() == 0 ? static_cast<int>(today.year()) : req.year();
  if (year < 2000 || year > today.year() + 1) {
    return FieldError("year", absl::StrCat(req.year(), " is not a plan year"));
  }
  if (!v1::ActivityKind_IsValid(req.kind())) return FieldError("kind", "is not a kind of activity");
  store::ActivityFilter filter{absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31), req.kind(),
                               req.organiser_unit_id(), ""};
  if (!req.organiser_unit_id().empty()) {
    RETURN_IF_ERROR(CheckId("organiser_unit_id", req.organiser_unit_id()));
  }
  if (!req.credit_code().empty()) {
    filter.credit_code = uplift::registry::NormalizeCreditCode(req.credit_code());
    RETURN_IF_ERROR(uplift::registry::CheckCreditCode("credit_code", filter.credit_code));
  }
  ASSIGN_OR_RETURN(const int page_size, PageSize(req.page_size()));
  const std::string filter_key =
      absl::StrCat(year, "|", req.kind(), "|", req.organiser_unit_id(), "|", filter.credit_code);
  ASSIGN_OR_RETURN(const std::string after, DecodePageToken(req.page_token(), filter_key));
  v1::ListActivitiesResponse response;
  RETURN_IF_ERROR(db_->Read([&](sql::Connection& db) {
    for (v1::Activity& a : store::ListActivities(db, filter, after, page_size + 1)) {
      *response.add_activities() = std::move(a);
    }
    return absl::OkStatus();
  }));
  if (response.activities_size() > page_size) {
    response.mutable_activities()->RemoveLast();
    response.set_next_page_token(
        EncodePageToken(store::ActivityCursor(response.activities(page_size - 1)), filter_key));
  }
  return response;
}

}  // namespace uplift::indicators
