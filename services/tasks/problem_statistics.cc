// Replays each problem's timeline to the end of the window's last day and
// adds it to the county's, its township's and its departments' tallies.
#include "services/tasks/problem_statistics.h"

#include <algorithm>
#include <map>
#include <optional>

#include "common/time_util.h"

namespace uplift::tasks {
namespace {

using LadderStep = v1::ProblemStep;

// One problem as it stood at the end of the window.
struct ProblemAsOf {
  const v1::Problem* problem = nullptr;
  absl::CivilDay raised_on;
  bool resolved = false;
  absl::CivilDay resolved_on;
  v1::Rung rung = v1::RUNG_UNSPECIFIED;
  std::string owner;
  absl::Time deadline = absl::InfiniteFuture();
  bool escalated = false, returned = false, extended = false;
  v1::Satisfaction satisfaction = v1::SATISFACTION_UNSPECIFIED;
  std::map<std::string, absl::CivilDay> departments;  // reached at the department rung, first day

  bool OverdueAt(absl::Time end) const { return !resolved && deadline < end; }
};

// Nothing if the problem had not been raised by `end`.
std::optional<ProblemAsOf> Replay(const v1::Problem& p, absl::Time end) {
  ProblemAsOf out;
  out.problem = &p;
  bool seen = false;
  for (const LadderStep& s : p.timeline()) {
    const absl::Time at = FromProtoTimestamp(s.time());
    if (at >= end) break;
    const absl::CivilDay day = ShanghaiDay(at);
    if (!seen) out.raised_on = day;
    const bool seen_before = seen;
    seen = true;
    const v1::Rung before = out.rung;
    if (s.rung() != v1::RUNG_UNSPECIFIED) out.rung = s.rung();
    if (!s.owner_unit_id().empty()) out.owner = s.owner_unit_id();
    if (s.has_deadline()) out.deadline = FromProtoTimestamp(s.deadline());
    switch (s.action()) {
      case LadderStep::ACTION_RESOLVED:
        out.resolved = true;
        out.resolved_on = day;
        break;
      case LadderStep::ACTION_REOPENED:
        // A dissatisfied return visit reopens one rung above, in one step that carries it.
        out.resolved = false;
        if (s.satisfaction() != v1::SATISFACTION_UNSPECIFIED) out.satisfaction = s.satisfaction();
        if (seen_before && out.rung > before) out.escalated = true;
        break;
      case LadderStep::ACTION_ESCALATED:
      case LadderStep::ACTION_AUTO_ESCALATED:
      case LadderStep::ACTION_SKIPPED_UP:
        out.escalated = true;
        break;
      case LadderStep::ACTION_RETURNED:
        out.returned = true;
        break;
      case LadderStep::ACTION_EXTENDED:
        out.extended = true;
        break;
      case LadderStep::ACTION_SATISFACTION:
        out.satisfaction = s.satisfaction();
        break;
      default:
        break;
    }
    if (out.rung == v1::RUNG_DEPARTMENT && !out.owner.empty()) {
      out.departments.emplace(out.owner, day);  // keeps the first day
    }
  }
  if (!seen) return std::nullopt;
  return out;
}

// A tally and the working days it sums for its average.
struct Tally {
  v1::ProblemTally row;
  int64_t working_days = 0;

  void Add(const ProblemAsOf& p, absl::CivilDay since, const ProblemWindow& window, absl::Time end,
           bool in_hands, const WorkingCalendar& calendar) {
    row.set_total(row.total() + 1);
    if (since >= window.from) row.set_raised(row.raised() + 1);
    if (p.resolved) {
      row.set_resolved(row.resolved() + 1);
      working_days += calendar.WorkingDaysBetween(p.raised_on, p.resolved_on);
    } else {
      row.set_open(row.open() + 1);
      if (in_hands && p.OverdueAt(end)) row.set_overdue(row.overdue() + 1);
    }
    if (p.escalated) row.set_escalated(row.escalated() + 1);
    if (p.returned) row.set_returned(row.returned() + 1);
    if (p.extended) row.set_extended(row.extended() + 1);
    if (p.satisfaction != v1::SATISFACTION_UNSPECIFIED) {
      row.set_rated(row.rated() + 1);
      if (p.satisfaction != v1::SATISFACTION_DISSATISFIED) row.set_satisfied(row.satisfied() + 1);
    }
  }

  v1::ProblemTally Finish() {
    if (row.resolved() > 0) {
      row.set_average_working_days(static_cast<double>(working_days) / row.resolved());
    }
    return row;
  }
};

}  // namespace

v1::GetProblemStatisticsResponse CountProblems(
    const std::vector<v1::Problem>& problems, const ProblemWindow& window,
    const WorkingCalendar& calendar,
    const std::function<std::string(const std::string&)>& unit_name) {
  const absl::Time end = absl::FromCivil(window.until + 1, ShanghaiTime());
  Tally county;
  std::map<std::string, Tally> townships, departments;
  std::vector<ProblemAsOf> open;
  for (const v1::Problem& p : problems) {
    std::optional<ProblemAsOf> now = Replay(p, end);
    if (!now.has_value()) continue;
    county.Add(*now, now->raised_on, window, end, true, calendar);
    townships[p.township_id()].Add(*now, now->raised_on, window, end, now->owner == p.township_id(),
                                   calendar);
    for (const auto& [unit, since] : now->departments) {
      departments[unit].Add(*now, since, window, end, now->owner == unit, calendar);
    }
    if (!now->resolved) open.push_back(std::move(*now));
  }
  v1::GetProblemStatisticsResponse out;
  out.set_from(FormatDate(window.from));
  out.set_until(FormatDate(window.until));
  *out.mutable_county() = county.Finish();
  auto rows_of = [&unit_name](std::map<std::string, Tally>& tallies,
                              google::protobuf::RepeatedPtrField<v1::ProblemTally>* rows) {
    for (auto& [unit, tally] : tallies) {
      v1::ProblemTally* row = rows->Add();
      *row = tally.Finish();
      row->set_unit_id(unit);
      row->set_unit_name(unit_name(unit));
    }
  };
  rows_of(townships, out.mutable_townships());
  rows_of(departments, out.mutable_departments());
  std::sort(open.begin(), open.end(), [](const ProblemAsOf& a, const ProblemAsOf& b) {
    if (a.raised_on != b.raised_on) return a.raised_on < b.raised_on;
    return a.problem->problem_id() < b.problem->problem_id();
  });
  for (size_t i = 0; i < open.size() && i < kLongestOpenNamed; ++i) {
    const ProblemAsOf& p = open[i];
    v1::LongOpenProblem* named = out.add_longest_open();
    named->set_problem_id(p.problem->problem_id());
    named->set_title(p.problem->title());
    named->set_enterprise_name(p.problem->enterprise_name());
    named->set_township_name(unit_name(p.problem->township_id()));
    named->set_rung(p.rung);
    named->set_owner_unit_name(unit_name(p.owner));
    named->set_working_days_open(calendar.WorkingDaysBetween(p.raised_on, window.until));
    named->set_overdue(p.OverdueAt(end));
  }
  return out;
}

}  // namespace uplift::tasks
