// Registry records and tables.
#include "tools/upliftctl/registry_printers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time_util.h"
#include "services/registry/registry_labels.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

using namespace uplift::registry;  // labels

std::string YesNo(bool b) { return b ? "是" : "否"; }

std::string TierList(const rv1::Enterprise& e) {
  std::vector<std::string> tiers;
  for (const auto& a : e.active_tiers()) {
    tiers.push_back(absl::StrCat(TierLabel(a.tier()), "(", LevelLabel(a.level()), ")"));
  }
  return absl::StrJoin(tiers, "、");
}

std::string ActionLabel(rv1::PoolHistoryEntry::Action a) {
  switch (a) {
    case rv1::PoolHistoryEntry::ACTION_ENTERED: return "入库";
    case rv1::PoolHistoryEntry::ACTION_STAGE_ADVANCED: return "阶段推进";
    case rv1::PoolHistoryEntry::ACTION_LEFT: return "出库";
    case rv1::PoolHistoryEntry::ACTION_GRADUATED: return "升规出库";
    default: return "";
  }
}

}  // namespace

void PrintUnit(std::ostream& out, const rv1::Unit& u) {
  Record r;
  r.Add("单位编号", u.unit_id());
  r.Add("名称", u.name());
  r.Add("类型", UnitKindLabel(u.kind()));
  r.Add("上级单位", u.supervisor_unit_id());
  r.Add("联系方式", u.contact());
  r.Add("创建时间", FormatLocalTimestamp(u.create_time()));
  r.Add("更新时间", FormatLocalTimestamp(u.update_time()));
  r.Print(out);
}

void PrintUnits(std::ostream& out, const google::protobuf::RepeatedPtrField<rv1::Unit>& units) {
  Table t({"单位编号", "名称", "类型", "上级单位"});
  for (const auto& u : units) {
    t.AddRow({u.unit_id(), u.name(), UnitKindLabel(u.kind()), u.supervisor_unit_id()});
  }
  t.Print(out);
}

void PrintCluster(std::ostream& out, const rv1::Cluster& c) {
  Record r;
  r.Add("集群编号", c.cluster_id());
  r.Add("名称", c.name());
  r.Add("包联市领导", c.liaison_leader_unit_id());
  r.Add("牵头部门", c.lead_department_unit_id());
  r.Add("说明", c.description());
  r.Add("创建时间", FormatLocalTimestamp(c.create_time()));
  r.Add("更新时间", FormatLocalTimestamp(c.update_time()));
  r.Print(out);
}

void PrintClusters(std::ostream& out,
                   const google::protobuf::RepeatedPtrField<rv1::Cluster>& clusters) {
  Table t({"集群编号", "名称", "包联市领导", "牵头部门"});
  for (const auto& c : clusters) {
    t.AddRow({c.cluster_id(), c.name(), c.liaison_leader_unit_id(), c.lead_department_unit_id()});
  }
  t.Print(out);
}

void PrintEnterprise(std::ostream& out, const rv1::Enterprise& e) {
  Record r;
  r.Add("统一社会信用代码", e.credit_code());
  r.Add("企业名称", e.name());
  r.Add("集群", e.cluster_id());
  r.Add("乡镇", e.township_id());
  r.Add("园区", e.park());
  r.Add("地址", e.address());
  r.Add("行业", e.industry());
  r.Add("骨干企业", YesNo(e.key_enterprise()));
  r.Add("规上企业", e.above_size() ? absl::StrCat("是(", e.above_size_since(), " 起)") : "否");
  r.Add("上市后备库",
        e.listing_stage() == rv1::LISTING_STAGE_UNSPECIFIED
            ? "不在库"
            : absl::StrCat(ListingStageLabel(e.listing_stage()), "(", e.listing_stage_since(), " 起)"));
  r.Add("规上培育库",
        e.in_above_size_pool() ? absl::StrCat("在库(", e.above_size_pool_since(), " 起)") : "不在库");
  r.Add("称号", TierList(e));
  r.Add("版本", e.etag());
  r.Add("创建时间", FormatLocalTimestamp(e.create_time()));
  r.Add("更新时间", FormatLocalTimestamp(e.update_time()));
  r.Print(out);
}

void PrintEnterprises(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<rv1::Enterprise>& enterprises) {
  Table t({"统一社会信用代码", "企业名称", "集群", "乡镇", "骨干", "规上", "上市阶段", "称号"});
  for (const auto& e : enterprises) {
    t.AddRow({e.credit_code(), e.name(), e.cluster_id(), e.township_id(), YesNo(e.key_enterprise()),
              YesNo(e.above_size()),
              e.listing_stage() == rv1::LISTING_STAGE_UNSPECIFIED ? "" : ListingStageLabel(e.listing_stage()),
              TierList(e)});
  }
  t.Print(out);
}

void PrintAwards(std::ostream& out,
                 const google::protobuf::RepeatedPtrField<rv1::TierAward>& awards) {
  Table t({"编号", "称号", "级别", "认定日期", "依据", "撤销日期", "撤销原因", "记录人"});
  for (const auto& a : awards) {
    t.AddRow({a.award_id(), TierLabel(a.tier()), LevelLabel(a.level()), a.awarded_on(),
              a.evidence(), a.revoked_on(), a.revoke_reason(), a.awarded_by()});
  }
  t.Print(out);
}

void PrintPoolHistory(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<rv1::PoolHistoryEntry>& entries) {
  Table t({"日期", "库", "变动", "上市阶段", "说明", "操作人", "记录时间"});
  for (const auto& e : entries) {
    t.AddRow({e.date(), PoolLabel(e.pool()), ActionLabel(e.action()),
              e.pool() == rv1::POOL_LISTING_RESERVE ? ListingStageLabel(e.stage()) : "", e.note(),
              e.actor(), FormatLocalTimestamp(e.record_time())});
  }
  t.Print(out);
}

}  // namespace uplift::cli
