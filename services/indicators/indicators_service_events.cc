// The events the indicator service consumes: the registry's (units,
// clusters, enterprises, tier awards, pools) become its directory; the tasks
// service's announce plans and carry the figures units report with their
// monthly progress. Each is applied once (processed event_ids) in one
// transaction.
#include "absl/strings/str_cat.h"
#include "common/processed_events.h"
#include "common/status_macros.h"
#include "services/indicators/indicators_service.h"
#include "uplift/registry/v1/registry_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::indicators {
namespace {

namespace rv1 = uplift::registry::v1;

store::EnterpriseRow EnterpriseRowOf(const rv1::Enterprise& e) {
  store::EnterpriseRow row;
  row.credit_code = e.credit_code();
  row.name = e.name();
  row.cluster_id = e.cluster_id();
  row.township_id = e.township_id();
  row.key_enterprise = e.key_enterprise();
  row.above_size = e.above_size();
  row.above_size_since = e.above_size_since();
  row.listing_stage = e.listing_stage();
  row.in_above_size_pool = e.in_above_size_pool();
  return row;
}

store::EnterpriseRow Existing(SQLite::Database& tx, const rv1::EnterpriseRef& ref) {
  std::optional<store::EnterpriseRow> row = store::GetEnterprise(tx, ref.credit_code());
  if (row.has_value()) return *row;
  store::EnterpriseRow fresh;
  fresh.credit_code = ref.credit_code();
  fresh.name = ref.name();
  fresh.cluster_id = ref.cluster_id();
  fresh.township_id = ref.township_id();
  return fresh;
}

store::AwardRow AwardOf(const rv1::EnterpriseRef& ref, const rv1::TierAward& a) {
  store::AwardRow row;
  row.award_id = a.award_id();
  row.credit_code = ref.credit_code();
  row.tier = a.tier();
  row.level = a.level();
  row.awarded_on = a.awarded_on();
  row.revoked_on = a.revoked_on();
  return row;
}

void ApplyPoolChange(store::EnterpriseRow* row, const rv1::PoolHistoryEntry& entry) {
  const bool leaving = entry.action() == rv1::PoolHistoryEntry::ACTION_LEFT ||
                       entry.action() == rv1::PoolHistoryEntry::ACTION_GRADUATED;
  if (entry.pool() == rv1::POOL_LISTING_RESERVE) {
    row->listing_stage = leaving ? rv1::LISTING_STAGE_UNSPECIFIED : entry.stage();
  } else if (entry.pool() == rv1::POOL_ABOVE_SIZE_CULTIVATION) {
    row->in_above_size_pool = !leaving;
  }
}

// Parses the payload if the event is of type T.
template <typename T>
bool Is(const StreamEvent& event, T* payload, absl::Status* error) {
  if (event.type != T::descriptor()->full_name()) return false;
  *error = event.UnpackTo(payload);
  return true;
}

}  // namespace

absl::Status IndicatorsService::ApplyRegistryEvent(const StreamEvent& event) {
  std::function<void(SQLite::Database&)> apply;
  absl::Status parsed;
  rv1::UnitCreated unit_created;
  rv1::UnitUpdated unit_updated;
  rv1::ClusterCreated cluster_created;
  rv1::ClusterUpdated cluster_updated;
  rv1::EnterpriseCreated enterprise_created;
  rv1::EnterpriseUpdated enterprise_updated;
  rv1::TierAwarded awarded;
  rv1::TierRevoked revoked;
  rv1::PoolChanged pool;
  rv1::AboveSizeReached above;
  auto save_unit = [](const rv1::Unit& u) {
    return [u](SQLite::Database& tx) { store::SaveUnit(tx, {u.unit_id(), u.name(), u.kind()}); };
  };
  auto save_cluster = [](const rv1::Cluster& c) {
    return [c](SQLite::Database& tx) {
      store::SaveCluster(tx, {c.cluster_id(), c.name(), c.liaison_leader_unit_id(),
                              c.lead_department_unit_id()});
    };
  };
  auto save_enterprise = [](const rv1::Enterprise& e) {
    return [e](SQLite::Database& tx) { store::SaveEnterprise(tx, EnterpriseRowOf(e)); };
  };
  if (Is(event, &unit_created, &parsed)) {
    apply = save_unit(unit_created.unit());
  } else if (Is(event, &unit_updated, &parsed)) {
    apply = save_unit(unit_updated.after());
  } else if (Is(event, &cluster_created, &parsed)) {
    apply = save_cluster(cluster_created.cluster());
  } else if (Is(event, &cluster_updated, &parsed)) {
    apply = save_cluster(cluster_updated.after());
  } else if (Is(event, &enterprise_created, &parsed)) {
    apply = save_enterprise(enterprise_created.enterprise());
  } else if (Is(event, &enterprise_updated, &parsed)) {
    apply = save_enterprise(enterprise_updated.after());
  } else if (Is(event, &awarded, &parsed)) {
    apply = [&](SQLite::Database& tx) { store::SaveAward(tx, AwardOf(awarded.enterprise(), awarded.award())); };
  } else if (Is(event, &revoked, &parsed)) {
    apply = [&](SQLite::Database& tx) { store::SaveAward(tx, AwardOf(revoked.enterprise(), revoked.award())); };
  } else if (Is(event, &pool, &parsed)) {
    apply = [&](SQLite::Database& tx) {
      store::EnterpriseRow row = Existing(tx, pool.enterprise());
      ApplyPoolChange(&row, pool.entry());
      store::SaveEnterprise(tx, row);
    };
  } else if (Is(event, &above, &parsed)) {
    apply = [&](SQLite::Database& tx) {
      store::EnterpriseRow row = Existing(tx, above.enterprise());
      row.above_size = true;
      row.above_size_since = above.since();
      row.in_above_size_pool = false;
      store::SaveEnterprise(tx, row);
    };
  } else {
    return absl::OkStatus();  // not needed here
  }
  RETURN_IF_ERROR(parsed);
  return db_->Write([&](SQLite::Database& tx) -> absl::Status {
    if (!MarkEventProcessed(tx, event.event_id, kRegistryEventsStream, clock_->Now())) {
      return absl::OkStatus();
    }
    apply(tx);
    return absl::OkStatus();
  });
}

absl::Status IndicatorsService::ApplyTasksEvent(const StreamEvent& event) {
  uplift::tasks::v1::PlanApplied plan;
  uplift::tasks::v1::ProgressReported progress;
  absl::Status parsed;
  std::function<void(SQLite::Database&)> apply;
  if (Is(event, &plan, &parsed)) {
    apply = [&](SQLite::Database& tx) {
      store::SavePlan(tx, plan.plan_id(), plan.year(), plan.content_hash());
    };
  } else if (Is(event, &progress, &parsed)) {
    apply = [&](SQLite::Database& tx) {
      const uplift::tasks::v1::ProgressReport& r = progress.report();
      std::map<std::string, int64_t> figures;
      for (const uplift::tasks::v1::Figure& f : r.figures()) figures[f.target_id()] += f.value();
      store::ReplaceUnitFigures(tx, r.plan_id(), r.task_id(), r.unit_id(), r.period(), figures);
    };
  } else {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(parsed);
  return db_->Write([&](SQLite::Database& tx) -> absl::Status {
    if (!MarkEventProcessed(tx, event.event_id, kTasksEventsStream, clock_->Now())) {
      return absl::OkStatus();
    }
    apply(tx);
    return absl::OkStatus();
  });
}

}  // namespace uplift::indicators
