// upliftctl audit list: a service's audit log (ADMIN; the plan owner for
// tasks and indicators).
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/time_util.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {

void AddAuditCommand(CLI::App& app, Cli& cli) {
  namespace av1 = uplift::audit::v1;
  CLI::App* audit = app.add_subcommand("audit", "the audit log");
  audit->require_subcommand(1);
  struct Args {
    av1::ListAuditRecordsRequest req;
    ListPaging paging;
    std::string service = "registry";
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = audit->add_subcommand("list", "changes, newest first (--json for before/after)");
  c->add_option("--target", *a->req.mutable_target(), "e.g. enterprise/91130184MA0A00000X");
  c->add_option("--subject", *a->req.mutable_subject(), "who made the change");
  c->add_option("--service", a->service, "registry, tasks, indicators, notify or web")
      ->capture_default_str();
  a->paging.AddOptions(c);
  c->callback([&cli, a] {
    av1::ListAuditRecordsResponse page = ListAllPages<av1::ListAuditRecordsResponse>(
        a->paging, a->req,
        [&](const av1::ListAuditRecordsRequest& r, av1::ListAuditRecordsResponse* resp) {
          if (a->service == "tasks") return cli.Tasks().ListAuditRecords(cli.Context().get(), r, resp);
          if (a->service == "indicators") {
            return cli.Indicators().ListAuditRecords(cli.Context().get(), r, resp);
          }
          if (a->service == "notify") return cli.Notify().ListAuditRecords(cli.Context().get(), r, resp);
          if (a->service == "web")
            return cli.Accounts().ListAuditRecords(cli.Context().get(), r, resp);
          if (a->service != "registry") {
            cli.Fail("--service: expected registry, tasks, indicators, notify or web", 2);
          }
          return cli.Registry().ListAuditRecords(cli.Context().get(), r, resp);
        },
        cli, [](av1::ListAuditRecordsResponse* acc, av1::ListAuditRecordsResponse& more) {
          acc->mutable_records()->MergeFrom(more.records());
        });
    Show(cli, page, [&] {
      Table t({"序号", "时间", "操作人", "角色", "单位", "操作", "对象"});
      for (const auto& r : page.records()) {
        t.AddRow({absl::StrCat(r.sequence()), FormatLocalTime(FromProtoTimestamp(r.time())),
                  r.subject(), RoleName(r.role()), r.unit_id(), r.action(), r.target()});
      }
      t.Print(std::cout, 60);
      PrintNextPage(page.next_page_token());
    });
  });
}

}  // namespace uplift::cli
