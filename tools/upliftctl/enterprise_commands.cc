// upliftctl enterprise create|get|list|update (import is import_command.cc).
#include <iostream>
#include <memory>

#include "services/registry/registry_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/registry_printers.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

struct EnterpriseOptions {
  rv1::Enterprise enterprise;
  std::string key_enterprise;  // yes/no
  std::string request_id;
};

void AddEditableFields(CLI::App* c, EnterpriseOptions* o) {
  c->add_option("--name", *o->enterprise.mutable_name(), "企业名称");
  c->add_option("--cluster", *o->enterprise.mutable_cluster_id(), "cluster id");
  c->add_option("--township", *o->enterprise.mutable_township_id(),
                "township, subdistrict or development zone unit id");
  c->add_option("--park", *o->enterprise.mutable_park(), "园区");
  c->add_option("--address", *o->enterprise.mutable_address(), "地址");
  c->add_option("--industry", *o->enterprise.mutable_industry(), "行业");
  c->add_option("--key", o->key_enterprise, "骨干企业: yes or no");
}

void ParseKey(EnterpriseOptions* o) {
  if (o->key_enterprise.empty()) return;
  std::optional<bool> key = ParseBool(o->key_enterprise);
  if (!key.has_value()) FailCommand("--key: \"" + o->key_enterprise + "\" is not yes or no", 2);
  o->enterprise.set_key_enterprise(*key);
}

}  // namespace

void AddEnterpriseCommands(CLI::App& app, Cli& cli) {
  CLI::App* enterprise = app.add_subcommand("enterprise", "cluster enterprises");
  enterprise->require_subcommand(1);
  {
    auto o = std::make_shared<EnterpriseOptions>();
    CLI::App* c = enterprise->add_subcommand("create", "register an enterprise");
    c->add_option("--code", *o->enterprise.mutable_credit_code(), "统一社会信用代码")->required();
    AddEditableFields(c, o.get());
    c->add_option("--above-size-since", *o->enterprise.mutable_above_size_since(),
                  "规上企业 since YYYY-MM-DD (omit if below size)");
    c->add_option("--request-id", o->request_id, "idempotency key (default: random)");
    c->callback([&cli, o] {
      ParseKey(o.get());
      rv1::CreateEnterpriseRequest req;
      *req.mutable_enterprise() = o->enterprise;
      req.mutable_enterprise()->set_above_size(!o->enterprise.above_size_since().empty());
      req.set_request_id(o->request_id.empty() ? NewRequestId() : o->request_id);
      rv1::CreateEnterpriseResponse resp;
      cli.Check(cli.Registry().CreateEnterprise(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintEnterprise(std::cout, resp.enterprise()); });
    });
  }
  {
    auto code = std::make_shared<std::string>();
    CLI::App* c = enterprise->add_subcommand("get", "show an enterprise");
    c->add_option("credit_code", *code)->required();
    c->callback([&cli, code] {
      rv1::GetEnterpriseRequest req;
      req.set_credit_code(*code);
      rv1::GetEnterpriseResponse resp;
      cli.Check(cli.Registry().GetEnterprise(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintEnterprise(std::cout, resp.enterprise()); });
    });
  }
  {
    struct ListOptions {
      rv1::ListEnterprisesRequest req;
      std::string tier, pool, key, above_size;
      ListPaging paging;
    };
    auto o = std::make_shared<ListOptions>();
    CLI::App* c = enterprise->add_subcommand("list", "list enterprises");
    c->add_option("--cluster", *o->req.mutable_cluster_id(), "only this cluster");
    c->add_option("--township", *o->req.mutable_township_id(), "only this township");
    c->add_option("--tier", o->tier, "only holders of this tier, e.g. 专精特新中小企业 or SPECIALIZED_SME");
    c->add_option("--pool", o->pool, "LISTING_RESERVE or ABOVE_SIZE_CULTIVATION");
    c->add_option("--key", o->key, "骨干企业: yes or no");
    c->add_option("--above-size", o->above_size, "规上: yes or no");
    o->paging.AddOptions(c);
    c->callback([&cli, o] {
      rv1::ListEnterprisesRequest req = o->req;
      if (!o->tier.empty()) {
        rv1::Tier tier;
        if (!uplift::registry::ParseTier(o->tier, &tier)) FailCommand("--tier: unknown tier \"" + o->tier + "\"", 2);
        req.set_tier(tier);
      }
      if (!o->pool.empty()) {
        rv1::Pool pool;
        if (!uplift::registry::ParsePool(o->pool, &pool)) FailCommand("--pool: unknown pool \"" + o->pool + "\"", 2);
        req.set_pool(pool);
      }
      auto yes_no = [](const std::string& flag, const std::string& text) {
        std::optional<bool> b = ParseBool(text);
        if (!b.has_value()) FailCommand(flag + ": \"" + text + "\" is not yes or no", 2);
        return *b;
      };
      if (!o->key.empty()) req.set_key_enterprise(yes_no("--key", o->key));
      if (!o->above_size.empty()) req.set_above_size(yes_no("--above-size", o->above_size));
      rv1::ListEnterprisesResponse page = ListAllPages<rv1::ListEnterprisesResponse>(
          o->paging, req,
          [&](const rv1::ListEnterprisesRequest& r, rv1::ListEnterprisesResponse* resp) {
            return cli.Registry().ListEnterprises(cli.Context().get(), r, resp);
          },
          cli, [](rv1::ListEnterprisesResponse* acc, rv1::ListEnterprisesResponse& more) {
            acc->mutable_enterprises()->MergeFrom(more.enterprises());
          });
      Show(cli, page, [&] {
        PrintEnterprises(std::cout, page.enterprises());
        PrintNextPage(page.next_page_token());
      });
    });
  }
  {
    auto o = std::make_shared<EnterpriseOptions>();
    CLI::App* c = enterprise->add_subcommand("update", "change an enterprise's fields");
    c->add_option("credit_code", *o->enterprise.mutable_credit_code())->required();
    AddEditableFields(c, o.get());
    c->add_option("--etag", *o->enterprise.mutable_etag(), "refuse if the enterprise changed since this version");
    c->callback([&cli, o, c] {
      ParseKey(o.get());
      rv1::UpdateEnterpriseRequest req;
      *req.mutable_enterprise() = o->enterprise;
      *req.mutable_update_mask() = MaskFromOptions(c, {{"--name", "name"},
                                                      {"--cluster", "cluster_id"},
                                                      {"--township", "township_id"},
                                                      {"--park", "park"},
                                                      {"--address", "address"},
                                                      {"--industry", "industry"},
                                                      {"--key", "key_enterprise"}});
      rv1::UpdateEnterpriseResponse resp;
      cli.Check(cli.Registry().UpdateEnterprise(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintEnterprise(std::cout, resp.enterprise()); });
    });
  }
  AddImportCommand(enterprise, cli);
}

}  // namespace uplift::cli
