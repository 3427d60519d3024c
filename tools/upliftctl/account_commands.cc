// upliftctl account ...: people's accounts in uplift-web (ADMIN), over its
// gRPC port (--web-addr). A password an ADMIN sets or resets is temporary:
// the person must change it at first sign-in.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/auth/principal.h"
#include "common/time_util.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace acv1 = uplift::accounts::v1;

std::string State(const acv1::Account& a) {
  if (a.disabled()) return "已停用";
  if (a.has_locked_until()) return "已锁定至 " + FormatLocalTimestamp(a.locked_until());
  if (a.must_change_password()) return "待改密码";
  return "正常";
}

void PrintAccount(const acv1::Account& a) {
  Record r;
  r.Add("登录名", a.login());
  r.Add("姓名", a.display_name());
  r.Add("角色", RoleName(a.role()));
  r.Add("单位", a.unit_name().empty() ? a.unit_id() : a.unit_name());
  r.Add("手机", a.mobile());
  r.Add("邮箱", a.email());
  r.Add("状态", State(a));
  r.Add("创建时间", FormatLocalTimestamp(a.create_time()));
  r.Add("最近登录", FormatLocalTimestamp(a.last_sign_in_time()));
  r.Print(std::cout);
}

// Prints a password the server made, once, with what to do with it.
void PrintGenerated(const std::string& password) {
  if (password.empty()) return;
  std::cout << "\n临时密码（只显示这一次，首次登录须修改）: " << password << "\n";
}

}  // namespace

void AddAccountCommands(CLI::App& app, Cli& cli) {
  CLI::App* account =
      app.add_subcommand("account", "people's accounts for signing in to uplift-web (ADMIN)");
  account->require_subcommand(1);
  {
    struct Args {
      acv1::CreateAccountRequest req;
      std::string role;
      bool password_stdin = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = account->add_subcommand("add", "create an account");
    c->add_option("login", *a->req.mutable_account()->mutable_login(),
                  "login name: lower-case letters, digits, '.', '_', '-'")
        ->required();
    c->add_option("--name", *a->req.mutable_account()->mutable_display_name(),
                  "the person's name, e.g. 张明")
        ->required();
    c->add_option("--role", a->role,
                  "ADMIN, PLAN_OWNER, DEPARTMENT, TOWNSHIP, LEADER, PROVINCE or VIEWER")
        ->required();
    c->add_option("--unit", *a->req.mutable_account()->mutable_unit_id(),
                  "the unit the person acts for (not for ADMIN and VIEWER)");
    c->add_option("--mobile", *a->req.mutable_account()->mutable_mobile(), "mobile number");
    c->add_option("--email", *a->req.mutable_account()->mutable_email(), "e-mail address");
    c->add_flag("--password-stdin", a->password_stdin,
                "read the first password from standard input (default: a random one)");
    c->callback([&cli, a] {
      Role role;
      if (!ParseRoleName(a->role, &role))
        FailCommand("--role: unknown role \"" + a->role + "\"", 2);
      a->req.mutable_account()->set_role(role);
      if (a->password_stdin) std::getline(std::cin, *a->req.mutable_initial_password());
      a->req.set_request_id(NewRequestId());
      acv1::CreateAccountResponse resp;
      cli.Check(cli.Accounts().CreateAccount(cli.Context().get(), a->req, &resp));
      Show(cli, resp, [&] {
        PrintAccount(resp.account());
        PrintGenerated(resp.generated_password());
      });
    });
  }
  {
    struct Args {
      acv1::ListAccountsRequest req;
      std::string role;
      ListPaging paging;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = account->add_subcommand("list", "list accounts");
    c->add_option("--unit", *a->req.mutable_unit_id(), "only this unit's");
    c->add_option("--role", a->role, "only this role");
    c->add_flag(
        "--include-disabled", [a](int64_t n) { a->req.set_include_disabled(n > 0); },
        "disabled accounts too");
    a->paging.AddOptions(c);
    c->callback([&cli, a] {
      if (!a->role.empty()) {
        Role role;
        if (!ParseRoleName(a->role, &role))
          FailCommand("--role: unknown role \"" + a->role + "\"", 2);
        a->req.set_role(role);
      }
      acv1::ListAccountsResponse page = ListAllPages<acv1::ListAccountsResponse>(
          a->paging, a->req,
          [&](const acv1::ListAccountsRequest& r, acv1::ListAccountsResponse* resp) {
            return cli.Accounts().ListAccounts(cli.Context().get(), r, resp);
          },
          cli,
          [](acv1::ListAccountsResponse* acc, acv1::ListAccountsResponse& more) {
            acc->mutable_accounts()->MergeFrom(more.accounts());
          });
      Show(cli, page, [&] {
        Table t({"登录名", "姓名", "角色", "单位", "状态", "最近登录"});
        for (const acv1::Account& x : page.accounts()) {
          t.AddRow({x.login(), x.display_name(), RoleName(x.role()),
                    x.unit_name().empty() ? x.unit_id() : x.unit_name(), State(x),
                    FormatLocalTimestamp(x.last_sign_in_time())});
        }
        t.Print(std::cout);
        PrintNextPage(page.next_page_token());
      });
    });
  }
  {
    auto req = std::make_shared<acv1::DisableAccountRequest>();
    CLI::App* c = account->add_subcommand(
        "disable", "disable an account: its sessions end and their tokens are revoked");
    c->add_option("login", *req->mutable_login())->required();
    c->add_option("--reason", *req->mutable_reason(), "why, for the audit log");
    c->callback([&cli, req] {
      acv1::DisableAccountResponse resp;
      cli.Check(cli.Accounts().DisableAccount(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] { PrintAccount(resp.account()); });
    });
  }
  {
    struct Args {
      acv1::ResetPasswordRequest req;
      bool password_stdin = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = account->add_subcommand(
        "reset-password",
        "set a temporary password (and unlock); the person changes it at next sign-in");
    c->add_option("login", *a->req.mutable_login())->required();
    c->add_flag("--password-stdin", a->password_stdin,
                "read the temporary password from standard input (default: a random one)");
    c->callback([&cli, a] {
      if (a->password_stdin) std::getline(std::cin, *a->req.mutable_new_password());
      acv1::ResetPasswordResponse resp;
      cli.Check(cli.Accounts().ResetPassword(cli.Context().get(), a->req, &resp));
      Show(cli, resp, [&] {
        PrintAccount(resp.account());
        PrintGenerated(resp.generated_password());
      });
    });
  }
}

}  // namespace uplift::cli
