// TasksService: what it consumes. Target progress from the indicator
// service; units, clusters and enterprises from the registry, which keep
// names for texts and each problem's township and leader current, and pass
// a rung whose owner the registry moved to its new owner.
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/tasks/task_facts_store.h"
#include "services/tasks/tasks_service.h"
#include "services/tasks/tasks_store.h"

namespace uplift::tasks {

void TasksService::RegisterEventHandlers(EventRouter* router) {
  using uplift::indicators::v1::TargetProgressChanged;
  router->On<TargetProgressChanged>(
      [this](sql::Connection& tx, const TargetProgressChanged& progress, const StreamEvent&) {
        const absl::Time as_of =
            progress.has_as_of() ? FromProtoTimestamp(progress.as_of()) : clock_->Now();
        store::SaveTargetProgressOfPeriod(tx, progress.plan_id(), progress.target_id(),
                                          progress.achieved(), progress.period(), as_of);
        return absl::OkStatus();
      });
  auto unit = [](sql::Connection& tx, const rv1::Unit& u) {
    store::SaveDirectoryUnit(tx, u.unit_id(), u.name());
    return absl::OkStatus();
  };
  router->On<rv1::UnitCreated>([unit](sql::Connection& tx, const rv1::UnitCreated& e,
                                      const StreamEvent&) { return unit(tx, e.unit()); });
  router->On<rv1::UnitUpdated>([unit](sql::Connection& tx, const rv1::UnitUpdated& e,
                                      const StreamEvent&) { return unit(tx, e.after()); });
  router->On<rv1::ClusterCreated>(
      [this](sql::Connection& tx, const rv1::ClusterCreated& e, const StreamEvent&) {
        return OnCluster(tx, e.cluster());
      });
  router->On<rv1::ClusterUpdated>([this](sql::Connection& tx, const rv1::ClusterUpdated& e,
                                         const StreamEvent&) { return OnCluster(tx, e.after()); });
  router->On<rv1::EnterpriseCreated>(
      [this](sql::Connection& tx, const rv1::EnterpriseCreated& e, const StreamEvent&) {
        return OnEnterprise(tx, e.enterprise());
      });
  router->On<rv1::EnterpriseUpdated>(
      [this](sql::Connection& tx, const rv1::EnterpriseUpdated& e, const StreamEvent&) {
        return OnEnterprise(tx, e.after());
      });
  router->On<rv1::PoolChanged>(
      [this](sql::Connection& tx, const rv1::PoolChanged& e, const StreamEvent&) {
        return e.has_after() ? OnEnterprise(tx, e.after()) : absl::OkStatus();
      });
  router->On<rv1::AboveSizeReached>(
      [this](sql::Connection& tx, const rv1::AboveSizeReached& e, const StreamEvent&) {
        return e.has_after() ? OnEnterprise(tx, e.after()) : absl::OkStatus();
      });
}

std::string TasksService::NameOf(sql::Connection& tx, const v1::Plan* plan,
                                 const std::string& unit_id) {
  if (unit_id.empty()) return "";
  std::string name = store::UnitName(tx, unit_id);
  if (!name.empty() || plan == nullptr) return name;
  for (const rv1::Unit& u : plan->units()) {
    if (u.unit_id() == unit_id) return u.name();
  }
  return "";
}

absl::Status TasksService::RequestAction(sql::Connection& tx, const v1::Plan* plan,
                                         v1::ActionRequested request) {
  if (request.unit_id().empty() || request.unit_id() == request.from_unit_id()) {
    return absl::OkStatus();
  }
  request.set_unit_name(NameOf(tx, plan, request.unit_id()));
  request.set_from_unit_name(NameOf(tx, plan, request.from_unit_id()));
  return outbox_.Append(tx, request.subject(), request).status();
}

absl::Status TasksService::SaveTransfer(sql::Connection& tx, const v1::Problem& before,
                                        v1::Problem& after, v1::ProblemStep step) {
  store::UpdateProblem(tx, after, false);
  step.set_seq(store::AppendStep(tx, after.problem_id(), step));
  audit_.Record(tx, ServiceActor("uplift-registry"), "TransferProblem",
                "problem/" + after.problem_id(), &before, &after, "");
  v1::ProblemChanged changed;
  *changed.mutable_problem() = after;
  *changed.mutable_step() = step;
  spdlog::info("problem {} passes from {} to {}: {}", after.problem_id(), before.owner_unit_id(),
               after.owner_unit_id(), step.text());
  return outbox_.Append(tx, "problem/" + after.problem_id(), changed).status();
}

absl::Status TasksService::OnCluster(sql::Connection& tx, const rv1::Cluster& cluster) {
  store::SaveDirectoryCluster(tx, cluster.cluster_id(), cluster.name(),
                              cluster.liaison_leader_unit_id());
  const std::string& leader = cluster.liaison_leader_unit_id();
  if (leader.empty()) return absl::OkStatus();
  store::SetLeaderOfCluster(tx, cluster.cluster_id(), leader);
  const absl::Time now = clock_->Now();
  for (const std::string& id : store::UnresolvedProblemsOf(tx, "cluster_id", cluster.cluster_id())) {
    std::optional<v1::Problem> before = store::FindProblem(tx, id);
    // One awaiting the plan owner's ruling goes to the new leader if ruled so.
    if (!before.has_value() || before->rung() != v1::RUNG_CITY_LEADER ||
        before->owner_unit_id() == leader || before->state() == v1::PROBLEM_STATE_AWAITING_RULING) {
      continue;
    }
    v1::Problem after = *before;
    ASSIGN_OR_RETURN(v1::ProblemStep step,
                     ladder_.Transfer(&after, leader,
                                      absl::StrCat("集群包联市领导变更：", NameOf(tx, nullptr, before->owner_unit_id()),
                                                   " → ", NameOf(tx, nullptr, leader)),
                                      now));
    RETURN_IF_ERROR(SaveTransfer(tx, *before, after, step));
  }
  return absl::OkStatus();
}

absl::Status TasksService::OnEnterprise(sql::Connection& tx, const rv1::Enterprise& enterprise) {
  const absl::Time now = clock_->Now();
  std::optional<std::pair<std::string, std::string>> cluster =
      store::DirectoryCluster(tx, enterprise.cluster_id());
  for (const std::string& id : store::ProblemsOfEnterprise(tx, enterprise.credit_code())) {
    std::optional<v1::Problem> before = store::FindProblem(tx, id);
    if (!before.has_value()) continue;
    const bool moved = before->township_id() != enterprise.township_id();
    const bool regrouped = before->cluster_id() != enterprise.cluster_id();
    if (!moved && !regrouped && before->enterprise_name() == enterprise.name()) continue;
    v1::Problem after = *before;
    after.set_township_id(enterprise.township_id());
    after.set_cluster_id(enterprise.cluster_id());
    after.set_enterprise_name(enterprise.name());
    if (regrouped && cluster.has_value()) store::SetLeader(tx, id, cluster->second);
    const bool unresolved = after.state() != v1::PROBLEM_STATE_RESOLVED &&
                            after.state() != v1::PROBLEM_STATE_AWAITING_RULING;
    if (moved && unresolved && after.rung() == v1::RUNG_TOWNSHIP &&
        after.owner_unit_id() != enterprise.township_id()) {
      ASSIGN_OR_RETURN(
          v1::ProblemStep step,
          ladder_.Transfer(&after, enterprise.township_id(),
                           absl::StrCat("企业属地变更：", NameOf(tx, nullptr, before->township_id()),
                                        " → ", NameOf(tx, nullptr, enterprise.township_id())),
                           now));
      RETURN_IF_ERROR(SaveTransfer(tx, *before, after, step));
      continue;
    }
    if (regrouped && unresolved && after.rung() == v1::RUNG_CITY_LEADER && cluster.has_value() &&
        !cluster->second.empty() && after.owner_unit_id() != cluster->second) {
      ASSIGN_OR_RETURN(
          v1::ProblemStep step,
          ladder_.Transfer(&after, cluster->second,
                           absl::StrCat("企业所属集群变更为", cluster->first, "，由其包联市领导办理"),
                           now));
      RETURN_IF_ERROR(SaveTransfer(tx, *before, after, step));
      continue;
    }
    store::UpdateProblemFacts(tx, after);
  }
  return absl::OkStatus();
}

}  // namespace uplift::tasks
