// Plan validation.
#include "services/tasks/plan_rules.h"

#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "common/validation.h"
#include "services/registry/registry_rules.h"

namespace uplift::tasks {
namespace {

namespace rv1 = uplift::registry::v1;

std::string At(const std::string& field, int i) { return absl::StrCat(field, "[", i, "]"); }

absl::Status CheckUnitRef(const std::string& field, const std::string& unit_id,
                          const std::map<std::string, rv1::UnitKind>& units,
                          std::initializer_list<rv1::UnitKind> kinds, const char* what) {
  auto it = units.find(unit_id);
  if (it == units.end()) {
    return FieldError(field, absl::StrCat("no unit ", QuoteInput(unit_id), " in plan.units"));
  }
  for (rv1::UnitKind k : kinds) {
    if (it->second == k) return absl::OkStatus();
  }
  return FieldError(field, absl::StrCat("unit ", QuoteInput(unit_id), " is not ", what));
}

absl::Status CheckTarget(const std::string& f, v1::Target* t, std::set<std::string>* target_ids) {
  RETURN_IF_ERROR(CheckId(f + ".target_id", t->target_id()));
  if (!target_ids->insert(t->target_id()).second) {
    return FieldError(f + ".target_id", absl::StrCat(QuoteInput(t->target_id()), " appears twice in the plan"));
  }
  if (t->metric() == v1::METRIC_UNSPECIFIED || !v1::Metric_IsValid(t->metric())) {
    return FieldError(f + ".metric", "must name a metric, e.g. METRIC_NEW_SPECIALIZED_SME");
  }
  if (t->counted_by() == v1::COUNTED_BY_UNSPECIFIED || !v1::CountedBy_IsValid(t->counted_by())) {
    return FieldError(f + ".counted_by",
                      "must be COUNTED_BY_REGISTRY, COUNTED_BY_INDICATORS, COUNTED_BY_UNIT_REPORTS "
                      "or COUNTED_BY_ACTIVITIES");
  }
  if (t->value() <= 0 || t->value() > 1000000000) {
    return FieldError(f + ".value", "must be a positive number (basis points for rates)");
  }
  if (t->stretch_value() != 0 && t->stretch_value() < t->value()) {
    return FieldError(f + ".stretch_value", "must be 0 (none) or at least value");
  }
  t->set_unit(TrimText(t->unit()));
  RETURN_IF_ERROR(CheckText(f + ".unit", t->unit(), 16, false));
  t->set_description(TrimText(t->description()));
  return CheckText(f + ".description", t->description(), 500, false);
}

}  // namespace

absl::Status CheckTaskId(const std::string& field, const std::string& id) {
  bool ok = !id.empty() && id.size() <= 32 && absl::ascii_isdigit(id.front()) &&
            absl::ascii_isdigit(id.back());
  for (size_t i = 0; ok && i < id.size(); ++i) {
    ok = absl::ascii_isdigit(id[i]) || (id[i] == '.' && id[i - 1] != '.');
  }
  if (!ok) {
    return FieldError(field, absl::StrCat(QuoteInput(id),
                                          " is not a task id such as \"2.2.1\" (section.programme.task)"));
  }
  return absl::OkStatus();
}

std::vector<std::string> CoOwnerUnits(const v1::Plan& plan) {
  std::vector<std::string> out;
  for (const rv1::Unit& u : plan.units()) {
    if (uplift::registry::IsTerritorial(u.kind())) out.push_back(u.unit_id());
  }
  return out;
}

absl::Status NormalizeAndCheckPlan(v1::Plan* plan) {
  RETURN_IF_ERROR(CheckId("plan.plan_id", plan->plan_id()));
  if (plan->year() < 2000 || plan->year() > 2100) {
    return FieldError("plan.year", "must be a year such as 2023");
  }
  plan->set_title(TrimText(plan->title()));
  RETURN_IF_ERROR(CheckText("plan.title", plan->title(), 200, true));
  plan->set_issued_by(TrimText(plan->issued_by()));
  RETURN_IF_ERROR(CheckText("plan.issued_by", plan->issued_by(), 100, false));
  if (!plan->issued_on().empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay issued, ParseDate("plan.issued_on", plan->issued_on()));
    if (issued.year() > plan->year()) {
      return FieldError("plan.issued_on", "is after the plan's year");
    }
  }
  if (plan->reporting_day() < 1 || plan->reporting_day() > 28) {
    return FieldError("plan.reporting_day", "must be a day of the month from 1 to 28");
  }

  std::map<std::string, rv1::UnitKind> units;
  for (int i = 0; i < plan->units_size(); ++i) {
    rv1::Unit* u = plan->mutable_units(i);
    RETURN_IF_ERROR(uplift::registry::NormalizeAndCheckUnit(u, At("plan.units", i) + "."));
    if (!units.emplace(u->unit_id(), u->kind()).second) {
      return FieldError(At("plan.units", i) + ".unit_id",
                        absl::StrCat(QuoteInput(u->unit_id()), " appears twice"));
    }
  }
  for (int i = 0; i < plan->units_size(); ++i) {
    const rv1::Unit& u = plan->units(i);
    if (!u.supervisor_unit_id().empty() && !units.count(u.supervisor_unit_id())) {
      return FieldError(At("plan.units", i) + ".supervisor_unit_id",
                        absl::StrCat("no unit ", QuoteInput(u.supervisor_unit_id()), " in plan.units"));
    }
  }
  RETURN_IF_ERROR(CheckUnitRef("plan.owner_unit_id", plan->owner_unit_id(), units,
                               {rv1::UNIT_KIND_DEPARTMENT}, "a department"));
  RETURN_IF_ERROR(CheckUnitRef("plan.provincial_unit_id", plan->provincial_unit_id(), units,
                               {rv1::UNIT_KIND_PROVINCE_PREFECTURE},
                               "a provincial or prefecture office"));

  std::set<std::string> clusters;
  for (int i = 0; i < plan->clusters_size(); ++i) {
    rv1::Cluster* c = plan->mutable_clusters(i);
    const std::string f = At("plan.clusters", i);
    RETURN_IF_ERROR(uplift::registry::NormalizeAndCheckCluster(c, f + "."));
    if (!clusters.insert(c->cluster_id()).second) {
      return FieldError(f + ".cluster_id", absl::StrCat(QuoteInput(c->cluster_id()), " appears twice"));
    }
    RETURN_IF_ERROR(CheckUnitRef(f + ".liaison_leader_unit_id", c->liaison_leader_unit_id(),
                                 units, {rv1::UNIT_KIND_CITY_LEADER}, "a liaison city leader"));
    RETURN_IF_ERROR(CheckUnitRef(f + ".lead_department_unit_id", c->lead_department_unit_id(),
                                 units, {rv1::UNIT_KIND_DEPARTMENT}, "a department"));
  }

  std::set<std::string> categories;
  for (int i = 0; i < plan->problem_categories_size(); ++i) {
    v1::ProblemCategory* c = plan->mutable_problem_categories(i);
    const std::string f = At("plan.problem_categories", i);
    RETURN_IF_ERROR(CheckId(f + ".category_id", c->category_id()));
    if (!categories.insert(c->category_id()).second) {
      return FieldError(f + ".category_id", absl::StrCat(QuoteInput(c->category_id()), " appears twice"));
    }
    c->set_name(TrimText(c->name()));
    RETURN_IF_ERROR(CheckText(f + ".name", c->name(), 32, true));
    RETURN_IF_ERROR(CheckUnitRef(f + ".responsible_department_unit_id",
                                 c->responsible_department_unit_id(), units,
                                 {rv1::UNIT_KIND_DEPARTMENT}, "a department"));
    if (c->time_limit_working_days() < 1 || c->time_limit_working_days() > 60) {
      return FieldError(f + ".time_limit_working_days", "must be 1 to 60 working days");
    }
    if (!v1::ExtensionApprover_IsValid(c->extension_approver())) {
      return FieldError(f + ".extension_approver",
                        "must be EXTENSION_APPROVER_PLAN_OWNER or EXTENSION_APPROVER_RUNG_ABOVE");
    }
    if (!c->provincial_unit_id().empty()) {
      RETURN_IF_ERROR(CheckUnitRef(f + ".provincial_unit_id", c->provincial_unit_id(), units,
                                   {rv1::UNIT_KIND_PROVINCE_PREFECTURE},
                                   "a provincial or prefecture office"));
    }
  }
  if (categories.empty()) {
    return FieldError("plan.problem_categories", "must name at least one problem category");
  }

  std::set<std::string> programmes;
  for (int i = 0; i < plan->programmes_size(); ++i) {
    v1::Programme* p = plan->mutable_programmes(i);
    const std::string f = At("plan.programmes", i);
    RETURN_IF_ERROR(CheckTaskId(f + ".programme_id", p->programme_id()));
    if (!programmes.insert(p->programme_id()).second) {
      return FieldError(f + ".programme_id", absl::StrCat(QuoteInput(p->programme_id()), " appears twice"));
    }
    p->set_number(TrimText(p->number()));
    RETURN_IF_ERROR(CheckText(f + ".number", p->number(), 16, true));
    p->set_title(TrimText(p->title()));
    RETURN_IF_ERROR(CheckText(f + ".title", p->title(), 100, true));
  }

  std::set<std::string> task_ids, target_ids;
  const std::string year_end = absl::StrCat(plan->year(), "-12-31");
  for (int i = 0; i < plan->tasks_size(); ++i) {
    v1::Task* t = plan->mutable_tasks(i);
    const std::string f = At("plan.tasks", i);
    RETURN_IF_ERROR(CheckTaskId(f + ".task_id", t->task_id()));
    if (!task_ids.insert(t->task_id()).second) {
      return FieldError(f + ".task_id", absl::StrCat(QuoteInput(t->task_id()), " appears twice"));
    }
    t->set_number(TrimText(t->number()));
    RETURN_IF_ERROR(CheckText(f + ".number", t->number(), 16, true));
    t->set_title(TrimText(t->title()));
    RETURN_IF_ERROR(CheckText(f + ".title", t->title(), 100, true));
    t->set_description(TrimText(t->description()));
    RETURN_IF_ERROR(CheckText(f + ".description", t->description(), 4000, false));
    if (!t->programme_id().empty() && !programmes.count(t->programme_id())) {
      return FieldError(f + ".programme_id", absl::StrCat("no programme ", QuoteInput(t->programme_id())));
    }
    if (t->responsible_unit_ids_size() == 0) {
      return FieldError(f + ".responsible_unit_ids", "must name at least the leading unit");
    }
    std::set<std::string> named;
    for (int k = 0; k < t->responsible_unit_ids_size(); ++k) {
      const std::string uf = At(f + ".responsible_unit_ids", k);
      RETURN_IF_ERROR(CheckUnitRef(uf, t->responsible_unit_ids(k), units,
                                   {rv1::UNIT_KIND_DEPARTMENT, rv1::UNIT_KIND_TOWNSHIP,
                                    rv1::UNIT_KIND_SUBDISTRICT, rv1::UNIT_KIND_DEVELOPMENT_ZONE},
                                   "a department, township, subdistrict or development zone"));
      if (!named.insert(t->responsible_unit_ids(k)).second) {
        return FieldError(uf, absl::StrCat(QuoteInput(t->responsible_unit_ids(k)), " is named twice"));
      }
    }
    if (t->due_on().empty()) t->set_due_on(year_end);
    ASSIGN_OR_RETURN(absl::CivilDay due, ParseDate(f + ".due_on", t->due_on()));
    if (due.year() != plan->year()) {
      return FieldError(f + ".due_on", absl::StrCat("is not in the plan's year ", plan->year()));
    }
    for (int k = 0; k < t->targets_size(); ++k) {
      RETURN_IF_ERROR(CheckTarget(At(f + ".targets", k), t->mutable_targets(k), &target_ids));
    }
    std::set<int> quarters;
    for (int k = 0; k < t->milestones_size(); ++k) {
      v1::Milestone* m = t->mutable_milestones(k);
      const std::string mf = At(f + ".milestones", k);
      if (m->quarter() < 1 || m->quarter() > 4) return FieldError(mf + ".quarter", "must be 1..4");
      if (!quarters.insert(m->quarter()).second) {
        return FieldError(mf + ".quarter",
                          absl::StrCat("quarter ", m->quarter(), " appears twice"));
      }
      m->set_text(TrimText(m->text()));
      RETURN_IF_ERROR(CheckText(mf + ".text", m->text(), 200, true));
    }
  }
  if (task_ids.empty()) return FieldError("plan.tasks", "must hold at least one task");
  return absl::OkStatus();
}

}  // namespace uplift::tasks
