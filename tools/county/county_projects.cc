// The county's projects.
#include "tools/county/county_projects.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/client_channel.h"
#include "common/grpc_status.h"
#include "uplift/tasks/v1/projects.grpc.pb.h"

namespace uplift::county {
namespace {

namespace tv1 = uplift::tasks::v1;

const char* const kWhat[] = {"智能化生产线", "二期扩建", "技术改造",     "新厂区建设",
                             "数字化车间",   "研发中心", "仓储物流中心", "绿色低碳改造"};
constexpr int kWhatCount = sizeof(kWhat) / sizeof(kWhat[0]);

std::string Day(int year, int month, int day) {
  return absl::StrFormat("%04d-%02d-%02d", year, month, day);
}

}  // namespace

std::vector<CountyProject> GenerateProjects(const CountyModel& county, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0x5052'4F4A'4543'54ULL);  // "PROJECT"
  std::uniform_real_distribution<double> uniform(0, 1);
  const int year = county.year();
  // The largest enterprises invest.
  std::vector<int> by_size(county.enterprises().size());
  for (size_t i = 0; i < by_size.size(); ++i) by_size[i] = static_cast<int>(i);
  std::sort(by_size.begin(), by_size.end(), [&](int a, int b) {
    return county.enterprises()[a].base_revenue_fen > county.enterprises()[b].base_revenue_fen;
  });
  const int count = std::min<int>(by_size.size(), std::max<int>(12, by_size.size() / 40));
  std::vector<CountyProject> out;
  for (int i = 0; i < count; ++i) {
    const CountyEnterprise& ce = county.enterprises()[by_size[i]];
    CountyProject cp;
    tv1::Project& p = cp.project;
    const double roll = uniform(rng);
    p.set_name(absl::StrCat(ce.enterprise.name().substr(0, ce.enterprise.name().find("有限公司")),
                            kWhat[i % kWhatCount], "项目"));
    p.set_credit_code(ce.enterprise.credit_code());
    p.set_cluster_id(ce.enterprise.cluster_id());
    p.set_township_id(ce.enterprise.township_id());
    p.set_year(year);
    p.set_ledger_number(absl::StrFormat("XL-%d-%03d", year, i + 1));
    p.set_kind(i % 3 == 0   ? tv1::PROJECT_KIND_NEW
               : i % 3 == 1 ? tv1::PROJECT_KIND_RENOVATION
                            : tv1::PROJECT_KIND_EXPANSION);
    p.set_source(i % 4 == 0   ? tv1::PROJECT_SOURCE_INVESTMENT_ATTRACTION
                 : i % 4 == 1 ? tv1::PROJECT_SOURCE_BEIJING_TIANJIN
                              : tv1::PROJECT_SOURCE_LOCAL_EXPANSION);
    p.set_department_unit_id(p.kind() == tv1::PROJECT_KIND_RENOVATION ? "dept-kgx" : "dept-fgj");
    // 0.5亿 to 8亿 in whole 万元; a third to half planned in the year.
    const int64_t total_wan = 5000 + static_cast<int64_t>(uniform(rng) * 75000);
    p.set_total_investment_fen(total_wan * 1000000);
    const int64_t planned_wan = total_wan * (33 + static_cast<int>(uniform(rng) * 17)) / 100;
    p.set_planned_investment_fen(planned_wan * 1000000);
    // Phases as a county's ledger spreads them.
    cp.phase = roll < 0.08   ? tv1::PROJECT_PHASE_PLANNING
               : roll < 0.16 ? tv1::PROJECT_PHASE_SIGNED
               : roll < 0.30 ? tv1::PROJECT_PHASE_PREPARATION
               : roll < 0.78 ? tv1::PROJECT_PHASE_CONSTRUCTION
               : roll < 0.94 ? tv1::PROJECT_PHASE_PRODUCTION
                             : tv1::PROJECT_PHASE_CONSTRUCTION;
    if (roll >= 0.94) cp.suspension_reason = "资金未到位，暂缓建设";
    p.set_carried_over(cp.phase >= tv1::PROJECT_PHASE_CONSTRUCTION && i % 2 == 0);
    // Milestones: those of the phases passed happened in the year's first
    // months; the next ones are planned through the year.
    const int start_month = 1 + static_cast<int>(uniform(rng) * 4);
    auto milestone = [&](tv1::MilestoneKind kind, int planned_month, bool reached) {
      tv1::ProjectMilestone* m = p.add_milestones();
      m->set_kind(kind);
      m->set_planned_on(Day(year, planned_month, 15));
      if (reached)
        m->set_actual_on(Day(year, planned_month, 12 + static_cast<int>(uniform(rng) * 10)));
    };
    if (!p.carried_over()) {
      milestone(tv1::MILESTONE_KIND_SIGNED, start_month, cp.phase >= tv1::PROJECT_PHASE_SIGNED);
      milestone(tv1::MILESTONE_KIND_STARTED, std::min(12, start_month + 3),
                cp.phase >= tv1::PROJECT_PHASE_CONSTRUCTION);
    }
    milestone(tv1::MILESTONE_KIND_IN_PRODUCTION, std::min(12, start_month + 6 + i % 4),
              cp.phase >= tv1::PROJECT_PHASE_PRODUCTION);
    // Monthly investment: none before work starts; then around the planned
    // pace, some projects well behind.
    const double pace = i % 7 == 3 ? 0.35 : 0.75 + uniform(rng) * 0.5;
    const int first_month = p.carried_over()                              ? 1
                            : cp.phase >= tv1::PROJECT_PHASE_CONSTRUCTION ? start_month + 3
                                                                          : 13;
    cp.months.assign(12, 0);
    for (int m = first_month; m <= 12; ++m) {
      const double noise = 0.8 + uniform(rng) * 0.4;
      cp.months[m - 1] = static_cast<int64_t>(planned_wan * pace * noise / 12) * 1000000;
    }
    if (!cp.suspension_reason.empty()) {
      for (int m = 7; m <= 12; ++m) cp.months[m - 1] = 0;  // stopped in the summer
    }
    out.push_back(std::move(cp));
  }
  return out;
}

absl::StatusOr<ProjectCounts> PopulateProjects(const std::vector<CountyProject>& projects,
                                               int through_month,
                                               std::shared_ptr<grpc::Channel> channel,
                                               const std::string& token) {
  auto stub = tv1::ProjectLedger::NewStub(channel);
  ProjectCounts counts;
  auto failed = [](const grpc::Status& s, const std::string& what) {
    return absl::Status(FromGrpcStatus(s).code(), absl::StrCat(what, ": ", s.error_message()));
  };
  for (const CountyProject& cp : projects) {
    tv1::CreateProjectRequest create;
    *create.mutable_project() = cp.project;
    create.set_phase(cp.phase);
    // Milestones after the reported months have not happened yet.
    for (tv1::ProjectMilestone& m : *create.mutable_project()->mutable_milestones()) {
      if (m.actual_on() > Day(cp.project.year(), through_month, 31)) m.clear_actual_on();
    }
    tv1::CreateProjectResponse created;
    grpc::Status s =
        stub->CreateProject(MakeClientContext(token, absl::Seconds(10)).get(), create, &created);
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) continue;  // a second run
    if (!s.ok()) return failed(s, "CreateProject " + cp.project.ledger_number());
    ++counts.created;
    const std::string& id = created.project().project_id();
    for (int m = 1; m <= through_month && m <= 12; ++m) {
      if (cp.months[m - 1] == 0) continue;
      tv1::ReportProjectProgressRequest report;
      report.mutable_progress()->set_project_id(id);
      report.mutable_progress()->set_period(absl::StrFormat("%04d-%02d", cp.project.year(), m));
      report.mutable_progress()->set_investment_fen(cp.months[m - 1]);
      report.mutable_progress()->set_image_progress(m % 3 == 0 ? "主体结构施工" : "设备安装调试");
      tv1::ReportProjectProgressResponse reported;
      s = stub->ReportProjectProgress(MakeClientContext(token, absl::Seconds(10)).get(), report,
                                      &reported);
      if (!s.ok()) return failed(s, "ReportProjectProgress " + cp.project.ledger_number());
      ++counts.reports;
    }
    if (!cp.suspension_reason.empty() && through_month >= 7) {
      tv1::AdvanceProjectRequest stop;
      stop.set_project_id(id);
      stop.set_phase(tv1::PROJECT_PHASE_SUSPENDED);
      stop.set_on(Day(cp.project.year(), 7, 1));
      stop.set_reason(cp.suspension_reason);
      tv1::AdvanceProjectResponse stopped;
      s = stub->AdvanceProject(MakeClientContext(token, absl::Seconds(10)).get(), stop, &stopped);
      if (!s.ok()) return failed(s, "AdvanceProject " + cp.project.ledger_number());
    }
  }
  return counts;
}

}  // namespace uplift::county
