// RegistryService: the events it consumes. uplift-tasks' ProjectChanged
// carries 新建投产入统 (project_intake.h) into the above-size pool and the
// above-size step, inside the router's transaction.
#include <spdlog/spdlog.h>

#include "common/sql/connection.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "services/registry/credit_code.h"
#include "services/registry/registry_service.h"
#include "services/registry/registry_store.h"

namespace uplift::registry {
namespace {

// This project entered the enterprise in the pool before: a person who
// took it out since is not overruled by a later step of the same project.
bool EnteredBefore(sql::Connection& tx, const std::string& code, const std::string& note) {
  for (const v1::PoolHistoryEntry& e : store::ListPoolHistory(tx, code)) {
    if (e.pool() == v1::POOL_ABOVE_SIZE_CULTIVATION &&
        e.action() == v1::PoolHistoryEntry::ACTION_ENTERED && e.note() == note) {
      return true;
    }
  }
  return false;
}

}  // namespace

void RegistryService::RegisterEventHandlers(EventRouter* router) {
  router->On<uplift::tasks::v1::ProjectChanged>(
      [this](sql::Connection& tx, const uplift::tasks::v1::ProjectChanged& change,
             const StreamEvent&) { return ApplyProjectIntake(tx, IntakeOf(change)); });
}

absl::Status RegistryService::ApplyProjectIntake(sql::Connection& tx, const ProjectIntake& intake) {
  if (intake.kind == ProjectIntake::Kind::kNone) return absl::OkStatus();
  const std::string code = NormalizeCreditCode(intake.credit_code);
  absl::StatusOr<absl::CivilDay> on = ParseDate("step.on", intake.on);
  if (!CheckCreditCode("credit_code", code).ok() || !on.ok()) {
    spdlog::warn("project {}: credit code or day unreadable; 新建投产入统 skipped",
                 intake.project_id);
    return absl::OkStatus();
  }
  const std::optional<v1::Enterprise> before = store::FindEnterprise(tx, code);
  if (!before.has_value() || before->above_size()) return absl::OkStatus();
  const Principal system = ServiceActor("system");
  if (intake.kind == ProjectIntake::Kind::kMarkAboveSize) {
    return MarkAboveSizeTx(tx, system, "ProjectInStatistics", *before, *on, intake.note).status();
  }
  if (before->in_above_size_pool() || EnteredBefore(tx, code, intake.note)) {
    return absl::OkStatus();
  }
  return EnterAboveSizePoolTx(tx, system, "ProjectInProduction", *before, *on, intake.note)
      .status();
}

}  // namespace uplift::registry
