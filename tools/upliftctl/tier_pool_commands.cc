// upliftctl tier ..., listing ..., cultivation ..., above-size ..., pools:
// tiers with their history, the listing reserve pool, the above-size
// cultivation pool and the above-size step.
#include <iostream>
#include <memory>

#include "services/registry/registry_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/registry_printers.h"

namespace uplift::cli {
namespace {

namespace rv1 = uplift::registry::v1;

// The fields every pool command has: the enterprise, a date and a text.
struct PoolArgs {
  std::string code, date, text, stage;
};

void AddPoolArgs(CLI::App* c, PoolArgs* a, const std::string& date_flag, const std::string& text_flag,
                 bool text_required) {
  c->add_option("credit_code", a->code, "统一社会信用代码")->required();
  c->add_option(date_flag, a->date, "YYYY-MM-DD")->required();
  CLI::Option* text = c->add_option(text_flag, a->text, text_flag == "--reason" ? "why" : "note");
  if (text_required) text->required();
}

// Runs one pool RPC and prints the enterprise it returns.
template <typename Request, typename Response, typename Rpc>
void RunPoolCommand(Cli& cli, const Request& req, Rpc rpc) {
  Response resp;
  cli.Check((cli.Registry().*rpc)(cli.Context().get(), req, &resp));
  Show(cli, resp, [&] { PrintEnterprise(std::cout, resp.enterprise()); });
}

void AddTierCommands(CLI::App& app, Cli& cli) {
  CLI::App* tier = app.add_subcommand("tier", "cultivation tiers and labels (专精特新, 小巨人, 高新 ...)");
  tier->require_subcommand(1);
  {
    struct Args {
      std::string code, tier, level, date, evidence, request_id;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = tier->add_subcommand("award", "record a tier awarded to an enterprise");
    c->add_option("credit_code", a->code)->required();
    c->add_option("--tier", a->tier, "e.g. 专精特新中小企业, SPECIALIZED_SME, little-giant")->required();
    c->add_option("--level", a->level, "县级/市级/省级/国家级 or COUNTY/PREFECTURE/PROVINCE/NATION")->required();
    c->add_option("--date", a->date, "awarded on, YYYY-MM-DD")->required();
    c->add_option("--evidence", a->evidence, "document number or link")->required();
    c->add_option("--request-id", a->request_id, "idempotency key (default: random)");
    c->callback([&cli, a] {
      rv1::AwardTierRequest req;
      req.set_credit_code(a->code);
      rv1::Tier t;
      if (!uplift::registry::ParseTier(a->tier, &t)) FailCommand("--tier: unknown tier \"" + a->tier + "\"", 2);
      rv1::Level l;
      if (!uplift::registry::ParseLevel(a->level, &l)) FailCommand("--level: unknown level \"" + a->level + "\"", 2);
      req.mutable_award()->set_tier(t);
      req.mutable_award()->set_level(l);
      req.mutable_award()->set_awarded_on(a->date);
      req.mutable_award()->set_evidence(a->evidence);
      req.set_request_id(a->request_id.empty() ? NewRequestId() : a->request_id);
      rv1::AwardTierResponse resp;
      cli.Check(cli.Registry().AwardTier(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] {
        google::protobuf::RepeatedPtrField<rv1::TierAward> one;
        *one.Add() = resp.award();
        PrintAwards(std::cout, one);
      });
    });
  }
  {
    struct Args {
      std::string code, award_id, date, reason;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = tier->add_subcommand("revoke", "revoke an award (it stays in the history)");
    c->add_option("credit_code", a->code)->required();
    c->add_option("award_id", a->award_id)->required();
    c->add_option("--date", a->date, "revoked on, YYYY-MM-DD")->required();
    c->add_option("--reason", a->reason, "why")->required();
    c->callback([&cli, a] {
      rv1::RevokeTierRequest req;
      req.set_credit_code(a->code);
      req.set_award_id(a->award_id);
      req.set_revoked_on(a->date);
      req.set_reason(a->reason);
      rv1::RevokeTierResponse resp;
      cli.Check(cli.Registry().RevokeTier(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] {
        google::protobuf::RepeatedPtrField<rv1::TierAward> one;
        *one.Add() = resp.award();
        PrintAwards(std::cout, one);
      });
    });
  }
  {
    auto req = std::make_shared<rv1::ListTierAwardsRequest>();
    CLI::App* c = tier->add_subcommand("list", "an enterprise's awards");
    c->add_option("credit_code", *req->mutable_credit_code())->required();
    c->add_flag("--all", [req](int64_t n) { req->set_include_revoked(n > 0); },
                "include revoked awards");
    c->callback([&cli, req] {
      rv1::ListTierAwardsResponse resp;
      cli.Check(cli.Registry().ListTierAwards(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] { PrintAwards(std::cout, resp.awards()); });
    });
  }
}

void AddListingCommands(CLI::App& app, Cli& cli) {
  CLI::App* listing = app.add_subcommand("listing", "the listing reserve pool (挂牌上市后备资源库)");
  listing->require_subcommand(1);
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = listing->add_subcommand("enter", "put an enterprise into the pool");
    AddPoolArgs(c, a.get(), "--date", "--note", false);
    c->callback([&cli, a] {
      rv1::EnterListingPoolRequest req;
      req.set_credit_code(a->code);
      req.set_date(a->date);
      req.set_note(a->text);
      RunPoolCommand<rv1::EnterListingPoolRequest, rv1::EnterListingPoolResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::EnterListingPool);
    });
  }
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = listing->add_subcommand("advance", "move to a later stage (股改, 辅导, 审核, 注册, 挂牌上市)");
    AddPoolArgs(c, a.get(), "--date", "--note", false);
    c->add_option("--stage", a->stage, "the new stage")->required();
    c->callback([&cli, a] {
      rv1::ListingStage stage;
      if (!uplift::registry::ParseListingStage(a->stage, &stage)) FailCommand("--stage: unknown stage \"" + a->stage + "\"", 2);
      rv1::AdvanceListingStageRequest req;
      req.set_credit_code(a->code);
      req.set_stage(stage);
      req.set_date(a->date);
      req.set_note(a->text);
      RunPoolCommand<rv1::AdvanceListingStageRequest, rv1::AdvanceListingStageResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::AdvanceListingStage);
    });
  }
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = listing->add_subcommand("leave", "take an enterprise out of the pool");
    AddPoolArgs(c, a.get(), "--date", "--reason", true);
    c->callback([&cli, a] {
      rv1::LeaveListingPoolRequest req;
      req.set_credit_code(a->code);
      req.set_date(a->date);
      req.set_reason(a->text);
      RunPoolCommand<rv1::LeaveListingPoolRequest, rv1::LeaveListingPoolResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::LeaveListingPool);
    });
  }
}

void AddAboveSizeCommands(CLI::App& app, Cli& cli) {
  CLI::App* pool = app.add_subcommand("cultivation", "the above-size cultivation pool (规上工业企业培育库)");
  pool->require_subcommand(1);
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = pool->add_subcommand("enter", "put a below-size enterprise into the pool");
    AddPoolArgs(c, a.get(), "--date", "--note", false);
    c->callback([&cli, a] {
      rv1::EnterAboveSizePoolRequest req;
      req.set_credit_code(a->code);
      req.set_date(a->date);
      req.set_note(a->text);
      RunPoolCommand<rv1::EnterAboveSizePoolRequest, rv1::EnterAboveSizePoolResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::EnterAboveSizePool);
    });
  }
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = pool->add_subcommand("leave", "take an enterprise out of the pool");
    AddPoolArgs(c, a.get(), "--date", "--reason", true);
    c->callback([&cli, a] {
      rv1::LeaveAboveSizePoolRequest req;
      req.set_credit_code(a->code);
      req.set_date(a->date);
      req.set_reason(a->text);
      RunPoolCommand<rv1::LeaveAboveSizePoolRequest, rv1::LeaveAboveSizePoolResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::LeaveAboveSizePool);
    });
  }
  {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* c = app.add_subcommand("above-size", "record the above-size step (升规入统) with its date");
    AddPoolArgs(c, a.get(), "--since", "--note", false);
    c->callback([&cli, a] {
      rv1::MarkAboveSizeRequest req;
      req.set_credit_code(a->code);
      req.set_since(a->date);
      req.set_note(a->text);
      RunPoolCommand<rv1::MarkAboveSizeRequest, rv1::MarkAboveSizeResponse>(
          cli, req, &rv1::EnterpriseRegistry::Stub::MarkAboveSize);
    });
  }
  {
    auto code = std::make_shared<std::string>();
    CLI::App* c = app.add_subcommand("pools", "an enterprise's pool and stage history");
    c->add_option("credit_code", *code)->required();
    c->callback([&cli, code] {
      rv1::ListPoolHistoryRequest req;
      req.set_credit_code(*code);
      rv1::ListPoolHistoryResponse resp;
      cli.Check(cli.Registry().ListPoolHistory(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintPoolHistory(std::cout, resp.entries()); });
    });
  }
}

}  // namespace

void AddTierAndPoolCommands(CLI::App& app, Cli& cli) {
  AddTierCommands(app, cli);
  AddListingCommands(app, cli);
  AddAboveSizeCommands(app, cli);
}

}  // namespace uplift::cli
