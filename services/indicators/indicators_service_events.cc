// The events the indicator service consumes, through the runtime's router:
// the registry's (units, clusters, enterprises, tier awards) become its
// directory; the tasks service's announce plans and carry the figures units
// report with their monthly progress. Every enterprise event carries the
// enterprise's whole state, so applying the newest version is enough.
#include "common/sql/connection.h"
#include "services/indicators/indicators_service.h"
#include "services/indicators/project_store.h"
#include "services/indicators/registry_rows.h"
#include "uplift/registry/v1/registry_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift::indicators {
namespace {

namespace rv1 = uplift::registry::v1;
namespace tv1 = uplift::tasks::v1;

// A handler of event M that saves what `row` makes of it.
template <typename M, typename Save>
void OnEvent(EventRouter* router, Save save) {
  router->On<M>([save](sql::Connection& tx, const M& m, const StreamEvent&) {
    save(tx, m);
    return absl::OkStatus();
  });
}

void SaveUnit(sql::Connection& tx, const rv1::Unit& u) {
  store::SaveUnit(tx, {u.unit_id(), u.name(), u.kind()});
}

void SaveCluster(sql::Connection& tx, const rv1::Cluster& c) {
  store::SaveCluster(tx, {c.cluster_id(), c.name(), c.liaison_leader_unit_id(),
                          c.lead_department_unit_id()});
}

void SaveEnterprise(sql::Connection& tx, const rv1::Enterprise& e) {
  if (!e.credit_code().empty()) store::SaveEnterprise(tx, EnterpriseRowOf(e));
}

}  // namespace

void IndicatorsService::RegisterEventHandlers(EventRouter* router) {
  OnEvent<rv1::UnitCreated>(router, [](auto& tx, const auto& e) { SaveUnit(tx, e.unit()); });
  OnEvent<rv1::UnitUpdated>(router, [](auto& tx, const auto& e) { SaveUnit(tx, e.after()); });
  OnEvent<rv1::ClusterCreated>(router,
                               [](auto& tx, const auto& e) { SaveCluster(tx, e.cluster()); });
  OnEvent<rv1::ClusterUpdated>(router,
                               [](auto& tx, const auto& e) { SaveCluster(tx, e.after()); });
  OnEvent<rv1::EnterpriseCreated>(
      router, [](auto& tx, const auto& e) { SaveEnterprise(tx, e.enterprise()); });
  OnEvent<rv1::EnterpriseUpdated>(router,
                                  [](auto& tx, const auto& e) { SaveEnterprise(tx, e.after()); });
  OnEvent<rv1::PoolChanged>(router, [](auto& tx, const auto& e) { SaveEnterprise(tx, e.after()); });
  OnEvent<rv1::AboveSizeReached>(router,
                                 [](auto& tx, const auto& e) { SaveEnterprise(tx, e.after()); });
  // 项目台账: the project's whole state, and the month a report gave.
  OnEvent<tv1::ProjectChanged>(
      router, [](auto& tx, const auto& e) { store::SaveProject(tx, e.project()); });
  OnEvent<tv1::ProjectProgressReported>(router, [](auto& tx, const auto& e) {
    store::SaveProject(tx, e.project());
    store::SaveProjectMonth(tx, e.progress());
  });
  OnEvent<rv1::TierAwarded>(router, [](auto& tx, const auto& e) {
    store::SaveAward(tx, AwardRowOf(e.enterprise(), e.award()));
  });
  OnEvent<rv1::TierRevoked>(router, [](auto& tx, const auto& e) {
    store::SaveAward(tx, AwardRowOf(e.enterprise(), e.award()));
  });
  OnEvent<tv1::PlanApplied>(router, [](auto& tx, const auto& e) {
    store::SavePlan(tx, e.plan_id(), e.year(), e.content_hash());
  });
  OnEvent<tv1::ProgressReported>(router, [](auto& tx, const auto& e) {
    const tv1::ProgressReport& r = e.report();
    std::map<std::string, int64_t> figures;
    for (const tv1::Figure& f : r.figures()) figures[f.target_id()] += f.value();
    store::ReplaceUnitFigures(tx, r.plan_id(), r.task_id(), r.unit_id(), r.period(), figures);
  });
}

}  // namespace uplift::indicators
