// The indicator service's logic, free of gRPC: enterprises' monthly
// figures, aggregates with comparable growth, the plan's counted targets,
// per-mu efficiency, township rankings, the dispatch report and bulletin,
// month closing with its events and alerts, and the consumers of the
// registry's and the tasks service's events. Tests build it on an
// in-memory database with a ManualClock and a fake TasksDirectory.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "common/audit_log.h"
#include "common/auth/principal.h"
#include "common/clock.h"
#include "common/event_router.h"
#include "common/outbox.h"
#include "common/sql/store.h"
#include "common/stream_event.h"
#include "services/indicators/aggregation.h"
#include "services/indicators/indicator_data.h"
#include "services/indicators/indicators_access.h"
#include "services/indicators/quarter.h"
#include "services/indicators/registry_lookup.h"
#include "services/indicators/tasks_directory.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/indicators/v1/indicator_rules.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"

namespace uplift::indicators {

inline constexpr char kIndicatorsSource[] = "uplift-indicators";

struct IndicatorsConfig {
  v1::IndicatorRules rules;
  // This service's own SERVICE token, for calls no caller is behind (the
  // sweep asks the tasks service for plans).
  std::string service_token;
  // An aggregate cell with fewer enterprises is suppressed for callers who
  // may not read those enterprises' figures (a township, outside itself).
  int min_cell_enterprises = 3;
};

struct IndicatorsSweepResult {
  int closed = 0;           // months closed
  int alerts = 0;
  int progress_events = 0;  // TargetProgressChanged published
};

class IndicatorsService {
 public:
  // `registry` may be null: then a report about an enterprise the registry's
  // events have not brought yet is NOT_FOUND instead of looked up.
  IndicatorsService(sql::Store* db, const Clock* clock, TasksDirectory* tasks,
                    IndicatorsConfig config, EnterpriseLookup* registry = nullptr);

  // Loads the working set from the database (done lazily otherwise).
  absl::Status Warm();

  absl::StatusOr<v1::SubmitReportResponse> SubmitReport(const Principal& who,
                                                        const v1::SubmitReportRequest& req);
  // One message of the ImportReports stream: good rows stored, bad rows
  // listed in `tally`, which accumulates over the stream.
  absl::Status ImportBatch(const Principal& who, const v1::ImportReportsRequest& batch,
                           v1::ImportReportsResponse* tally);
  absl::StatusOr<v1::GetReportResponse> GetReport(const Principal& who, const v1::GetReportRequest& req);
  absl::StatusOr<v1::ListReportsResponse> ListReports(const Principal& who,
                                                      const v1::ListReportsRequest& req);

  absl::StatusOr<v1::GetAggregatesResponse> GetAggregates(const Principal& who,
                                                          const v1::GetAggregatesRequest& req);
  absl::StatusOr<v1::GetTargetProgressResponse> GetTargetProgress(
      const Principal& who, const v1::GetTargetProgressRequest& req);
  absl::StatusOr<v1::GetEfficiencyResponse> GetEfficiency(const Principal& who,
                                                          const v1::GetEfficiencyRequest& req);
  absl::StatusOr<v1::GetTownshipRankingResponse> GetTownshipRanking(
      const Principal& who, const v1::GetTownshipRankingRequest& req);

  absl::StatusOr<v1::GenerateDispatchReportResponse> GenerateDispatchReport(
      const Principal& who, const v1::GenerateDispatchReportRequest& req);
  absl::StatusOr<v1::GenerateBulletinResponse> GenerateBulletin(
      const Principal& who, const v1::GenerateBulletinRequest& req);
  absl::StatusOr<v1::ClosePeriodResponse> ClosePeriod(const Principal& who,
                                                      const v1::ClosePeriodRequest& req);
  // 服务活动台账 (indicators_service_activities.cc).
  absl::StatusOr<v1::RecordActivityResponse> RecordActivity(const Principal& who,
                                                            const v1::RecordActivityRequest& req);
  absl::StatusOr<v1::ListActivitiesResponse> ListActivities(const Principal& who,
                                                            const v1::ListActivitiesRequest& req);

  absl::StatusOr<uplift::audit::v1::ListAuditRecordsResponse> ListAuditRecords(
      const Principal& who, const uplift::audit::v1::ListAuditRecordsRequest& req);

  // The registry's and the tasks service's events, through the runtime's
  // router (indicators_service_events.cc).
  void RegisterEventHandlers(EventRouter* router);

  // Closes the latest month whose reporting day has passed, for every plan
  // not yet closed for it, and publishes target progress that changed.
  absl::StatusOr<IndicatorsSweepResult> Sweep();

 private:
  struct ValidReport {
    store::ReportRow row;
    std::string township_id;
    std::string cluster_id;
    std::string enterprise_name;
  };
  // Runs `fn` with the data caught up with the database, under the lock.
  absl::Status WithData(const std::function<absl::Status(const IndicatorData&)>& fn);
  // The enterprise of `code` as this service knows it, if `who` may read
  // its reports (`method` names the RPC for the access table).
  absl::StatusOr<ValidReport> ReadableEnterprise(const Principal& who, const char* method,
                                                 const std::string& code);
  // Looks up in the registry the enterprises of `reports` this service does
  // not know yet and adds them to its directory (the registry's events
  // about them then overwrite them as usual).
  absl::Status ResolveUnknown(const Principal& who,
                              const std::vector<const v1::MonthlyReport*>& reports);
  absl::StatusOr<ValidReport> Validate(const IndicatorData& data, const Principal& who,
                                       const v1::MonthlyReport& report, const std::string& field,
                                       absl::CivilMonth now) const;
  // The activity as stored, or an error naming the field.
  absl::StatusOr<v1::Activity> ValidActivity(const IndicatorData& data, const Principal& who,
                                             v1::Activity a) const;
  v1::MonthlyReport ReportProto(const store::ReportRow& row, const ValidReport* known) const;
  v1::AggregateRow RowOf(const IndicatorData& data, const GroupTotals& totals) const;
  absl::CivilMonth CurrentMonth() const;
  CallAs AsCaller(const Principal& who) const;
  CallAs AsService() const;

  // Targets (indicators_service_targets.cc).
  absl::StatusOr<v1::GetTargetProgressResponse> Progress(const tv1::Plan& plan,
                                                         absl::CivilMonth period);
  absl::StatusOr<std::vector<v1::TownshipScore>> Ranking(const Quarter& quarter);

  // The dispatch report (quarter null) or the bulletin
  // (indicators_service_reports.cc).
  absl::StatusOr<v1::GeneratedReport> Compose(const Principal& who, const std::string& plan_id,
                                              absl::CivilMonth last, const Quarter* quarter);

  // Month closing and publishing (indicators_service_close.cc).
  absl::StatusOr<v1::ClosePeriodResponse> Close(const tv1::Plan& plan, absl::CivilMonth period,
                                                const Principal& who);
  absl::StatusOr<int> PublishChangedProgress(const tv1::Plan& plan);

  sql::Store* const db_;
  const Clock* const clock_;
  TasksDirectory* const tasks_;
  const IndicatorsConfig config_;
  EnterpriseLookup* const registry_;
  const IndicatorsAccess access_;
  Outbox outbox_;
  AuditLog audit_;
  absl::Mutex data_mu_;
  IndicatorData data_ ABSL_GUARDED_BY(data_mu_);
};

}  // namespace uplift::indicators
