// upliftctl unit ... and cluster ...: organisation units and clusters.
#include <iostream>
#include <memory>

#include "services/registry/registry_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/registry_printers.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

void AddUnitCommands(CLI::App& app, Cli& cli) {
  CLI::App* unit = app.add_subcommand("unit", "organisation units: departments, townships, leaders");
  unit->require_subcommand(1);

  struct UnitOptions {
    rv1::Unit unit;
    std::string kind;
    std::string request_id;
  };
  auto add_unit_fields = [](CLI::App* c, UnitOptions* o) {
    c->add_option("--name", *o->unit.mutable_name(), "name, e.g. 承安镇");
    c->add_option("--kind", o->kind,
                  "DEPARTMENT, TOWNSHIP, SUBDISTRICT, DEVELOPMENT_ZONE, CITY_LEADER, "
                  "PROVINCE_PREFECTURE (or 乡镇, 市直部门, ...)");
    c->add_option("--supervisor", *o->unit.mutable_supervisor_unit_id(), "the unit above");
    c->add_option("--contact", *o->unit.mutable_contact(), "person and phone");
  };
  auto parse_kind = [](UnitOptions* o) {
    if (o->kind.empty()) return;
    rv1::UnitKind kind;
    if (!uplift::registry::ParseUnitKind(o->kind, &kind))
      FailCommand("--kind: unknown kind \"" + o->kind + "\"", 2);
    o->unit.set_kind(kind);
  };

  {
    auto o = std::make_shared<UnitOptions>();
    CLI::App* c = unit->add_subcommand("create", "create a unit");
    c->add_option("--id", *o->unit.mutable_unit_id(), "id, e.g. town-chengan")->required();
    add_unit_fields(c, o.get());
    c->add_option("--request-id", o->request_id, "idempotency key (default: random)");
    c->callback([&cli, o, parse_kind] {
      parse_kind(o.get());
      rv1::CreateUnitRequest req;
      *req.mutable_unit() = o->unit;
      req.set_request_id(o->request_id.empty() ? NewRequestId() : o->request_id);
      rv1::CreateUnitResponse resp;
      cli.Check(cli.Registry().CreateUnit(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintUnit(std::cout, resp.unit()); });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = unit->add_subcommand("get", "show a unit");
    c->add_option("unit_id", *id)->required();
    c->callback([&cli, id] {
      rv1::GetUnitRequest req;
      req.set_unit_id(*id);
      rv1::GetUnitResponse resp;
      cli.Check(cli.Registry().GetUnit(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintUnit(std::cout, resp.unit()); });
    });
  }
  {
    auto o = std::make_shared<UnitOptions>();
    auto all = std::make_shared<ListPaging>();
    CLI::App* c = unit->add_subcommand("list", "list units");
    c->add_option("--kind", o->kind, "only this kind");
    all->AddOptions(c);
    c->callback([&cli, o, all, parse_kind] {
      parse_kind(o.get());
      rv1::ListUnitsRequest req;
      req.set_kind(o->unit.kind());
      rv1::ListUnitsResponse page = ListAllPages<rv1::ListUnitsResponse>(
          *all, req, [&](const rv1::ListUnitsRequest& r, rv1::ListUnitsResponse* resp) {
            return cli.Registry().ListUnits(cli.Context().get(), r, resp);
          },
          cli, [](rv1::ListUnitsResponse* acc, rv1::ListUnitsResponse& more) {
            acc->mutable_units()->MergeFrom(more.units());
          });
      Show(cli, page, [&] { PrintUnits(std::cout, page.units()); PrintNextPage(page.next_page_token()); });
    });
  }
  {
    auto o = std::make_shared<UnitOptions>();
    CLI::App* c = unit->add_subcommand("update", "change a unit's name, kind, supervisor or contact");
    c->add_option("unit_id", *o->unit.mutable_unit_id())->required();
    add_unit_fields(c, o.get());
    c->callback([&cli, o, c, parse_kind] {
      parse_kind(o.get());
      rv1::UpdateUnitRequest req;
      *req.mutable_unit() = o->unit;
      *req.mutable_update_mask() = MaskFromOptions(c, {{"--name", "name"},
                                                      {"--kind", "kind"},
                                                      {"--supervisor", "supervisor_unit_id"},
                                                      {"--contact", "contact"}});
      rv1::UpdateUnitResponse resp;
      cli.Check(cli.Registry().UpdateUnit(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintUnit(std::cout, resp.unit()); });
    });
  }
}

void AddClusterCommands(CLI::App& app, Cli& cli) {
  CLI::App* cluster = app.add_subcommand("cluster", "industrial clusters");
  cluster->require_subcommand(1);
  auto add_fields = [](CLI::App* c, rv1::Cluster* cl) {
    c->add_option("--name", *cl->mutable_name(), "name, e.g. 装备制造产业集群");
    c->add_option("--leader", *cl->mutable_liaison_leader_unit_id(), "liaison leader unit id");
    c->add_option("--lead-department", *cl->mutable_lead_department_unit_id(),
                  "lead department unit id");
    c->add_option("--description", *cl->mutable_description(), "description");
  };
  {
    auto o = std::make_shared<rv1::Cluster>();
    auto request_id = std::make_shared<std::string>();
    CLI::App* c = cluster->add_subcommand("create", "create a cluster");
    c->add_option("--id", *o->mutable_cluster_id(), "id, e.g. equipment")->required();
    add_fields(c, o.get());
    c->add_option("--request-id", *request_id, "idempotency key (default: random)");
    c->callback([&cli, o, request_id] {
      rv1::CreateClusterRequest req;
      *req.mutable_cluster() = *o;
      req.set_request_id(request_id->empty() ? NewRequestId() : *request_id);
      rv1::CreateClusterResponse resp;
      cli.Check(cli.Registry().CreateCluster(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintCluster(std::cout, resp.cluster()); });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = cluster->add_subcommand("get", "show a cluster");
    c->add_option("cluster_id", *id)->required();
    c->callback([&cli, id] {
      rv1::GetClusterRequest req;
      req.set_cluster_id(*id);
      rv1::GetClusterResponse resp;
      cli.Check(cli.Registry().GetCluster(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintCluster(std::cout, resp.cluster()); });
    });
  }
  {
    auto all = std::make_shared<ListPaging>();
    CLI::App* c = cluster->add_subcommand("list", "list clusters");
    all->AddOptions(c);
    c->callback([&cli, all] {
      rv1::ListClustersRequest req;
      rv1::ListClustersResponse page = ListAllPages<rv1::ListClustersResponse>(
          *all, req, [&](const rv1::ListClustersRequest& r, rv1::ListClustersResponse* resp) {
            return cli.Registry().ListClusters(cli.Context().get(), r, resp);
          },
          cli, [](rv1::ListClustersResponse* acc, rv1::ListClustersResponse& more) {
            acc->mutable_clusters()->MergeFrom(more.clusters());
          });
      Show(cli, page, [&] { PrintClusters(std::cout, page.clusters()); PrintNextPage(page.next_page_token()); });
    });
  }
  {
    auto o = std::make_shared<rv1::Cluster>();
    CLI::App* c = cluster->add_subcommand("update", "change a cluster");
    c->add_option("cluster_id", *o->mutable_cluster_id())->required();
    add_fields(c, o.get());
    c->callback([&cli, o, c] {
      rv1::UpdateClusterRequest req;
      *req.mutable_cluster() = *o;
      *req.mutable_update_mask() =
          MaskFromOptions(c, {{"--name", "name"},
                              {"--leader", "liaison_leader_unit_id"},
                              {"--lead-department", "lead_department_unit_id"},
                              {"--description", "description"}});
      rv1::UpdateClusterResponse resp;
      cli.Check(cli.Registry().UpdateCluster(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintCluster(std::cout, resp.cluster()); });
    });
  }
}

}  // namespace

void AddRegistryCommands(CLI::App& app, Cli& cli) {
  AddUnitCommands(app, cli);
  AddClusterCommands(app, cli);
}

}  // namespace uplift::cli
