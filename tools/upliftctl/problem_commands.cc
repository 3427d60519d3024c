// upliftctl problem ...: enterprises' problems and their ladder.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "services/tasks/tasks_labels.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/tasks_printers.h"

namespace uplift::cli {
namespace {

namespace tv1 = uplift::tasks::v1;

// Runs one ladder step RPC and prints the problem it returns.
template <typename Request, typename Response, typename Rpc>
void Step(Cli& cli, const Request& req, Rpc rpc) {
  Response resp;
  cli.Check((cli.Tasks().*rpc)(cli.Context().get(), req, &resp));
  Show(cli, resp, [&] { PrintProblem(std::cout, resp.problem(), cli.UnitNames()); });
}

// `problem <verb> ID --<text_flag> TEXT` for the steps that take a text.
template <typename Request, typename Response, typename Rpc, typename SetText>
void AddTextStep(CLI::App* problem, Cli& cli, const char* verb, const char* help,
                 const char* text_flag, Rpc rpc, SetText set_text) {
  struct Args {
    std::string id, text;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = problem->add_subcommand(verb, help);
  c->add_option("problem_id", a->id)->required();
  c->add_option(text_flag, a->text)->required();
  c->callback([&cli, a, rpc, set_text] {
    Request req;
    req.set_problem_id(a->id);
    set_text(&req, a->text);
    Step<Request, Response>(cli, req, rpc);
  });
}

// A rung named by its label or enum name in `flag`; exits on an unknown one.
tv1::Rung RungFlag(const char* flag, const std::string& text) {
  tv1::Rung rung;
  if (!uplift::tasks::ParseRung(text, &rung))
    FailCommand(std::string(flag) + ": unknown \"" + text + "\"", 2);
  return rung;
}

}  // namespace

void AddProblemCommands(CLI::App& app, Cli& cli) {
  CLI::App* problem = app.add_subcommand("problem", "enterprises' problems (问题需求) and the ladder");
  problem->require_subcommand(1);
  AddProblemStats(problem, cli);
  {
    auto req = std::make_shared<tv1::RaiseProblemRequest>();
    CLI::App* c = problem->add_subcommand("raise", "raise a problem at the township rung");
    c->add_option("--code", *req->mutable_problem()->mutable_credit_code(), "统一社会信用代码")->required();
    c->add_option("--category", *req->mutable_problem()->mutable_category(),
                  "land, financing, labour, energy, approvals, ... (plan show lists them)")->required();
    c->add_option("--title", *req->mutable_problem()->mutable_title(), "short title")->required();
    c->add_option("--description", *req->mutable_problem()->mutable_description(), "details")->required();
    c->add_flag(
        "--distinct", [req](int64_t) { req->set_distinct(true); },
        "a different problem from the open one of the same enterprise and category: "
        "open a second case instead of returning the first");
    c->callback([&cli, req] {
      req->set_plan_id(cli.plan_id());
      if (req->request_id().empty()) req->set_request_id(NewRequestId());
      tv1::RaiseProblemResponse resp;
      cli.Check(cli.Tasks().RaiseProblem(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] {
        if (resp.existing()) std::cout << "(this enterprise already has an open problem of this category:)\n";
        PrintProblem(std::cout, resp.problem(), cli.UnitNames());
      });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = problem->add_subcommand("show", "a problem with its whole history");
    c->add_option("problem_id", *id)->required();
    c->callback([&cli, id] {
      tv1::GetProblemRequest req;
      req.set_problem_id(*id);
      tv1::GetProblemResponse resp;
      cli.Check(cli.Tasks().GetProblem(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintProblem(std::cout, resp.problem(), cli.UnitNames()); });
    });
  }
  {
    struct Args {
      tv1::ListProblemsRequest req;
      std::string rung, state, overdue;
      ListPaging paging;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand("list", "problems you may see, newest first");
    c->add_option("--rung", a->rung, "乡镇工作专班, 市直部门, 包联市领导, 省、市部门 or TOWNSHIP ...");
    c->add_option("--owner", *a->req.mutable_owner_unit_id());
    c->add_option("--state", a->state, "待受理, 办理中, 已办结 or OPEN, ACCEPTED, RESOLVED");
    c->add_option("--cluster", *a->req.mutable_cluster_id());
    c->add_option("--township", *a->req.mutable_township_id());
    c->add_option("--code", *a->req.mutable_credit_code());
    c->add_option("--overdue", a->overdue, "yes or no");
    a->paging.AddOptions(c);
    c->callback([&cli, a] {
      tv1::ListProblemsRequest req = a->req;
      if (!a->rung.empty()) req.set_rung(RungFlag("--rung", a->rung));
      if (!a->state.empty()) {
        tv1::ProblemState state;
        if (!uplift::tasks::ParseProblemState(a->state, &state)) FailCommand("--state: unknown \"" + a->state + "\"", 2);
        req.set_state(state);
      }
      if (!a->overdue.empty()) {
        std::optional<bool> b = ParseBool(a->overdue);
        if (!b.has_value()) FailCommand("--overdue: \"" + a->overdue + "\" is not yes or no", 2);
        req.set_overdue(*b);
      }
      tv1::ListProblemsResponse page = ListAllPages<tv1::ListProblemsResponse>(
          a->paging, req,
          [&](const tv1::ListProblemsRequest& r, tv1::ListProblemsResponse* resp) {
            return cli.Tasks().ListProblems(cli.Context().get(), r, resp);
          },
          cli, [](tv1::ListProblemsResponse* acc, tv1::ListProblemsResponse& more) {
            acc->mutable_problems()->MergeFrom(more.problems());
          });
      Show(cli, page, [&] {
        PrintProblems(std::cout, page.problems(), cli.UnitNames());
        PrintNextPage(page.next_page_token());
      });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = problem->add_subcommand("accept", "accept a problem your unit owns");
    c->add_option("problem_id", *id)->required();
    c->callback([&cli, id] {
      tv1::AcceptProblemRequest req;
      req.set_problem_id(*id);
      Step<tv1::AcceptProblemRequest, tv1::AcceptProblemResponse>(cli, req,
                                                                  &tv1::TaskAssignment::Stub::AcceptProblem);
    });
  }
  AddTextStep<tv1::ResolveProblemRequest, tv1::ResolveProblemResponse>(
      problem, cli, "resolve", "resolve it, saying how", "--resolution",
      &tv1::TaskAssignment::Stub::ResolveProblem,
      [](tv1::ResolveProblemRequest* r, const std::string& t) { r->set_resolution(t); });
  AddTextStep<tv1::ReturnProblemRequest, tv1::ReturnProblemResponse>(
      problem, cli, "return",
      "send it back to the rung that sent it, saying why (the second return between the same two "
      "rungs goes to the plan owner to rule on)",
      "--reason", &tv1::TaskAssignment::Stub::ReturnProblem,
      [](tv1::ReturnProblemRequest* r, const std::string& t) { r->set_reason(t); });
  {
    struct Args {
      std::string id, reason, to;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand(
        "escalate", "hand it to the rung above: it cannot be solved here (--to: 提级, plan owner)");
    c->add_option("problem_id", a->id)->required();
    c->add_option("--reason", a->reason)->required();
    c->add_option("--to", a->to, "提级 straight to 包联市领导 or 省、市部门 (the plan owner only)");
    c->callback([&cli, a] {
      tv1::EscalateProblemRequest req;
      req.set_problem_id(a->id);
      req.set_reason(a->reason);
      if (!a->to.empty()) req.set_to_rung(RungFlag("--to", a->to));
      Step<tv1::EscalateProblemRequest, tv1::EscalateProblemResponse>(
          cli, req, &tv1::TaskAssignment::Stub::EscalateProblem);
    });
  }
  {
    struct Args {
      std::string id, until, reason;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand(
        "extend", "延期: ask for a later deadline at your rung (its approver decides)");
    c->add_option("problem_id", a->id)->required();
    c->add_option("--until", a->until, "the last day to answer by, YYYY-MM-DD")->required();
    c->add_option("--reason", a->reason)->required();
    c->callback([&cli, a] {
      tv1::RequestExtensionRequest req;
      req.set_problem_id(a->id);
      req.set_due_on(a->until);
      req.set_reason(a->reason);
      Step<tv1::RequestExtensionRequest, tv1::RequestExtensionResponse>(
          cli, req, &tv1::TaskAssignment::Stub::RequestExtension);
    });
  }
  {
    struct Args {
      std::string id, reason;
      bool approve = false, refuse = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand("decide-extension",
                                          "approve or refuse the extension waiting for your unit");
    c->add_option("problem_id", a->id)->required();
    auto* approve = c->add_flag("--approve", a->approve, "move the deadline as asked");
    auto* refuse = c->add_flag("--refuse", a->refuse, "keep the deadline (--reason required)");
    approve->excludes(refuse);
    c->add_option("--reason", a->reason);
    c->callback([&cli, a] {
      if (a->approve == a->refuse) FailCommand("say --approve or --refuse", 2);
      tv1::DecideExtensionRequest req;
      req.set_problem_id(a->id);
      req.set_approve(a->approve);
      req.set_reason(a->reason);
      Step<tv1::DecideExtensionRequest, tv1::DecideExtensionResponse>(
          cli, req, &tv1::TaskAssignment::Stub::DecideExtension);
    });
  }
  {
    struct Args {
      std::string id, rung, reason;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand(
        "rule",
        "裁定: say which of the two rungs that returned it to each other owns it (plan owner)");
    c->add_option("problem_id", a->id)->required();
    c->add_option("--rung", a->rung, "the rung that owns it, e.g. 市直部门")->required();
    c->add_option("--reason", a->reason)->required();
    c->callback([&cli, a] {
      tv1::RuleOnProblemRequest req;
      req.set_problem_id(a->id);
      req.set_rung(RungFlag("--rung", a->rung));
      req.set_reason(a->reason);
      Step<tv1::RuleOnProblemRequest, tv1::RuleOnProblemResponse>(
          cli, req, &tv1::TaskAssignment::Stub::RuleOnProblem);
    });
  }
  {
    struct Args {
      std::string id, reason;
      std::vector<std::string> units;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand(
        "co-handle",
        "会商: ask departments to co-handle a problem at the department rung (plan owner)");
    c->add_option("problem_id", a->id)->required();
    c->add_option("--unit", a->units,
                  "a co-handling department, UNIT or UNIT:YYYY-MM-DD to answer by (default: the "
                  "problem's deadline); repeat for more")
        ->required();
    c->add_option("--reason", a->reason, "what they are asked")->required();
    c->callback([&cli, a] {
      tv1::AddCoHandlersRequest req;
      req.set_problem_id(a->id);
      for (const std::string& u : a->units) {
        auto* co = req.add_co_handlers();
        const size_t colon = u.find(':');
        co->set_unit_id(u.substr(0, colon));
        if (colon != std::string::npos) co->set_due_on(u.substr(colon + 1));
      }
      req.set_reason(a->reason);
      Step<tv1::AddCoHandlersRequest, tv1::AddCoHandlersResponse>(
          cli, req, &tv1::TaskAssignment::Stub::AddCoHandlers);
    });
  }
  AddTextStep<tv1::AnswerCoHandlingRequest, tv1::AnswerCoHandlingResponse>(
      problem, cli, "answer-co-handling", "会商意见: your department's answer as a co-handler",
      "--answer", &tv1::TaskAssignment::Stub::AnswerCoHandling,
      [](tv1::AnswerCoHandlingRequest* r, const std::string& t) { r->set_answer(t); });
  AddTextStep<tv1::ReopenProblemRequest, tv1::ReopenProblemResponse>(
      problem, cli, "reopen", "open a resolved problem again", "--reason",
      &tv1::TaskAssignment::Stub::ReopenProblem,
      [](tv1::ReopenProblemRequest* r, const std::string& t) { r->set_reason(t); });
  {
    struct Args {
      std::string id, level, comment;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = problem->add_subcommand("satisfaction", "record the enterprise's view of the resolution (回访)");
    c->add_option("problem_id", a->id)->required();
    c->add_option("--level", a->level, "满意, 基本满意, 不满意")->required();
    c->add_option("--comment", a->comment);
    c->callback([&cli, a] {
      tv1::RecordSatisfactionRequest req;
      req.set_problem_id(a->id);
      tv1::Satisfaction s;
      if (!uplift::tasks::ParseSatisfaction(a->level, &s)) FailCommand("--level: unknown \"" + a->level + "\"", 2);
      req.set_satisfaction(s);
      req.set_comment(a->comment);
      Step<tv1::RecordSatisfactionRequest, tv1::RecordSatisfactionResponse>(
          cli, req, &tv1::TaskAssignment::Stub::RecordSatisfaction);
    });
  }
}

}  // namespace uplift::cli
