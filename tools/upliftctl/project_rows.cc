// Project ledger CSV rows to CreateProjectRequests.
#include "tools/upliftctl/project_rows.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/enum_labels.h"
#include "common/validation.h"
#include "services/tasks/project_phases.h"
#include "tools/upliftctl/amounts.h"
#include "tools/upliftctl/cli.h"

namespace uplift::cli {
namespace {

namespace tv1 = uplift::tasks::v1;

// Sets a field of the request from a cell; a problem, or "".
using Setter = std::function<std::string(const std::string& cell, tv1::CreateProjectRequest*)>;

struct ColumnSpec {
  std::vector<std::string> names;  // the Chinese name first
  bool required = false;
  Setter set;
};

// The plan's names and ids of one kind of thing, to an id.
using Ids = std::map<std::string, std::string>;

std::string IdOf(const Ids& ids, const std::string& cell, const std::string& what,
                 std::string* id) {
  auto it = ids.find(cell);
  if (it == ids.end()) return absl::StrCat(QuoteInput(cell), " is no ", what, " of the plan");
  *id = it->second;
  return "";
}

template <typename E, typename NameOf>
std::string EnumOf(const EnumLabels<E>& labels, absl::string_view prefix, NameOf name_of,
                   const std::string& cell, E* out) {
  if (ParseEnumLabel(labels, prefix, name_of, cell, out)) return "";
  std::string known;
  for (const auto& [e, label] : labels) absl::StrAppend(&known, known.empty() ? "" : "、", label);
  return absl::StrCat(QuoteInput(cell), " is not one of ", known);
}

std::string WanYuan(const std::string& cell, int64_t* fen) {
  std::optional<int64_t> hundredths = ParseScaled(cell, 2);
  if (!hundredths.has_value()) return absl::StrCat(QuoteInput(cell), " is not an amount in 万元");
  *fen = *hundredths * 10000;
  return "";
}

tv1::ProjectMilestone* Milestone(tv1::CreateProjectRequest* r, tv1::MilestoneKind kind) {
  for (tv1::ProjectMilestone& m : *r->mutable_project()->mutable_milestones()) {
    if (m.kind() == kind) return &m;
  }
  tv1::ProjectMilestone* m = r->mutable_project()->add_milestones();
  m->set_kind(kind);
  return m;
}

std::vector<ColumnSpec> Columns(const tv1::Plan& plan) {
  Ids clusters, townships, departments;
  for (const auto& c : plan.clusters())
    clusters[c.cluster_id()] = clusters[c.name()] = c.cluster_id();
  for (const auto& u : plan.units()) {
    Ids& ids = u.kind() == uplift::registry::v1::UNIT_KIND_DEPARTMENT ? departments : townships;
    ids[u.unit_id()] = ids[u.name()] = u.unit_id();
  }
  using R = tv1::CreateProjectRequest;
  std::vector<ColumnSpec> specs = {
      {{"项目编号", "ledger_number"},
       false,
       [](const std::string& v, R* r) {
         r->mutable_project()->set_ledger_number(v);
         return std::string();
       }},
      {{"项目名称", "name"},
       true,
       [](const std::string& v, R* r) {
         r->mutable_project()->set_name(v);
         return std::string();
       }},
      {{"统一社会信用代码", "credit_code"},
       false,
       [](const std::string& v, R* r) {
         r->mutable_project()->set_credit_code(v);
         return std::string();
       }},
      {{"投资主体", "建设单位", "investor"},
       false,
       [](const std::string& v, R* r) {
         r->mutable_project()->set_investor(v);
         return std::string();
       }},
      {{"所属集群", "集群", "cluster"},
       true,
       [clusters](const std::string& v, R* r) {
         return IdOf(clusters, v, "cluster", r->mutable_project()->mutable_cluster_id());
       }},
      {{"所在乡镇", "乡镇", "乡镇(街道、园区)", "township"},
       true,
       [townships](const std::string& v, R* r) {
         return IdOf(townships, v, "township", r->mutable_project()->mutable_township_id());
       }},
      {{"责任部门", "department"},
       true,
       [departments](const std::string& v, R* r) {
         return IdOf(departments, v, "department",
                     r->mutable_project()->mutable_department_unit_id());
       }},
      {{"建设性质", "kind"},
       true,
       [](const std::string& v, R* r) {
         tv1::ProjectKind k{};
         std::string problem = EnumOf(
             uplift::tasks::ProjectKindLabels(), "PROJECT_KIND_",
             [](tv1::ProjectKind e) { return tv1::ProjectKind_Name(e); }, v, &k);
         r->mutable_project()->set_kind(k);
         return problem;
       }},
      {{"项目来源", "source"},
       true,
       [](const std::string& v, R* r) {
         tv1::ProjectSource s{};
         std::string problem = EnumOf(
             uplift::tasks::ProjectSourceLabels(), "PROJECT_SOURCE_",
             [](tv1::ProjectSource e) { return tv1::ProjectSource_Name(e); }, v, &s);
         r->mutable_project()->set_source(s);
         return problem;
       }},
      {{"总投资(万元)", "总投资（万元）", "total"},
       true,
       [](const std::string& v, R* r) {
         int64_t fen = 0;
         std::string problem = WanYuan(v, &fen);
         r->mutable_project()->set_total_investment_fen(fen);
         return problem;
       }},
      {{"年度计划投资(万元)", "年度计划投资（万元）", "planned"},
       false,
       [](const std::string& v, R* r) {
         int64_t fen = 0;
         std::string problem = WanYuan(v, &fen);
         r->mutable_project()->set_planned_investment_fen(fen);
         return problem;
       }},
      {{"项目阶段", "phase"},
       false,
       [](const std::string& v, R* r) {
         tv1::ProjectPhase p{};
         std::string problem = EnumOf(
             uplift::tasks::ProjectPhaseLabels(), "PROJECT_PHASE_",
             [](tv1::ProjectPhase e) { return tv1::ProjectPhase_Name(e); }, v, &p);
         r->set_phase(p);
         return problem;
       }},
      {{"是否续建", "carried_over"},
       false,
       [](const std::string& v, R* r) {
         std::optional<bool> b = ParseBool(v);
         if (!b.has_value()) return absl::StrCat(QuoteInput(v), " is not 是/否");
         r->mutable_project()->set_carried_over(*b);
         return std::string();
       }},
  };
  for (const auto& [kind, label] : uplift::tasks::MilestoneLabels()) {
    const tv1::MilestoneKind k = kind;
    specs.push_back({{absl::StrCat("计划", label)}, false, [k](const std::string& v, R* r) {
                       Milestone(r, k)->set_planned_on(v);
                       return std::string();
                     }});
    specs.push_back({{absl::StrCat("实际", label)}, false, [k](const std::string& v, R* r) {
                       Milestone(r, k)->set_actual_on(v);
                       return std::string();
                     }});
  }
  return specs;
}

}  // namespace

absl::StatusOr<ProjectRows> ParseProjectRows(const std::vector<CsvRecord>& records,
                                             const tv1::Plan& plan) {
  if (records.empty()) return absl::InvalidArgumentError("the file has no header row");
  const std::vector<ColumnSpec> specs = Columns(plan);
  std::vector<const ColumnSpec*> columns;
  for (const std::string& raw : records[0].fields) {
    const std::string name(absl::StripAsciiWhitespace(raw));
    const ColumnSpec* found = nullptr;
    for (const ColumnSpec& s : specs) {
      if (std::find(s.names.begin(), s.names.end(), name) != s.names.end()) found = &s;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", records[0].line, ": unknown column ", QuoteInput(name),
          "; expected 项目编号, 项目名称, 统一社会信用代码, 投资主体, 所属集群, 所在乡镇, "
          "责任部门, "
          "建设性质, 项目来源, 总投资(万元), 年度计划投资(万元), 项目阶段, 是否续建, 计划开工, "
          "实际开工 (and 计划/实际 of 签约, 落地, 投产, 入统)"));
    }
    columns.push_back(found);
  }
  for (const ColumnSpec& s : specs) {
    if (s.required && std::find(columns.begin(), columns.end(), &s) == columns.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the header lacks the required column ", s.names[0]));
    }
  }
  ProjectRows parsed;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    ProjectRow row;
    row.line = record.line;
    std::string problem;
    if (record.fields.size() > columns.size()) {
      problem =
          absl::StrCat("has ", record.fields.size(), " fields but the header has ", columns.size());
    }
    for (size_t c = 0; c < columns.size() && c < record.fields.size() && problem.empty(); ++c) {
      const std::string cell(absl::StripAsciiWhitespace(record.fields[c]));
      if (cell.empty()) continue;
      const std::string p = columns[c]->set(cell, &row.request);
      if (!p.empty()) problem = absl::StrCat(columns[c]->names[0], ": ", p);
    }
    if (problem.empty()) {
      parsed.rows.push_back(std::move(row));
    } else {
      parsed.errors.push_back(
          {record.line, row.request.project().ledger_number(), "INVALID_ARGUMENT", problem});
    }
  }
  return parsed;
}

}  // namespace uplift::cli
