// upliftctl auth init|mint|show|revoke|revoked: the deployment's keys and
// bearer tokens.
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/auth/authenticator.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "common/secret_files.h"
#include "common/time_util.h"
#include "tools/upliftctl/cli.h"
#include "common/deployment_secrets.h"
#include "tools/upliftctl/table.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"

namespace uplift::cli {
namespace {

namespace av1 = uplift::auth::v1;

// "90d", "12h", "30m"; tokens always expire, at most 400 days on.
absl::Duration ParseTtl(const std::string& text) {
  int days = 0;
  absl::Duration d;
  if (!text.empty() && text.back() == 'd' &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) && days > 0) {
    d = absl::Hours(24) * days;
  } else if (!absl::ParseDuration(text, &d) || d <= absl::ZeroDuration()) {
    FailCommand("--ttl: \"" + text + "\" is not a duration such as 90d or 12h", 2);
  }
  if (d > kMaxTokenLifetime) {
    FailCommand(absl::StrCat("--ttl: tokens live at most ",
                             absl::ToInt64Hours(kMaxTokenLifetime) / 24, " days"),
                2);
  }
  return d;
}

// The token of --token/--token-file/the global token, or FailCommand.
TokenClaims ClaimsOf(const std::string& token) {
  absl::StatusOr<TokenClaims> claims = ReadUnverifiedClaims(token);
  if (!claims.ok()) FailCommand(std::string(claims.status().message()), 2);
  return *claims;
}

void AddInit(CLI::App* auth) {
  struct Args {
    ProvisionOptions options{"./data/auth", "./data/admin.token"};
    std::string ttl = "365d";
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = auth->add_subcommand(
      "init", "create the deployment's keys, Redis ACL and passwords, services' tokens and an "
              "ADMIN token, unless they exist (renews SERVICE tokens near their expiry)");
  c->add_option("--dir", a->options.dir, "the auth directory (docs/security.md)")
      ->capture_default_str();
  c->add_option("--admin-token", a->options.admin_token, "where the ADMIN token goes (0600)")
      ->capture_default_str();
  c->add_option("--ttl", a->ttl, "lifetime of the ADMIN token")->capture_default_str();
  c->callback([a] {
    a->options.token_ttl = ParseTtl(a->ttl);
    absl::StatusOr<std::vector<std::string>> done = Provision(a->options);
    if (!done.ok()) FailCommand(std::string(done.status().message()));
    for (const std::string& what : *done) std::cout << "created " << what << "\n";
    std::cout << "services read their secrets from " << a->options.dir
              << "/<service> and the public keys from " << PublicKeysDir(a->options.dir) << "\n";
  });
}

void AddMint(CLI::App* auth) {
  struct Args {
    std::string key = "./data/auth/private/tokens.key";
    std::string subject, role, unit, out;
    std::string ttl = "90d";
    std::vector<std::string> audiences;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = auth->add_subcommand("mint", "mint a token for a role and unit");
  c->add_option("--key", a->key, "the private token signing key")->capture_default_str();
  c->add_option("--subject", a->subject, "who: a person or system, e.g. 承安镇工作专班")->required();
  c->add_option("--role", a->role,
                "ADMIN, PLAN_OWNER, DEPARTMENT, TOWNSHIP, LEADER, PROVINCE, VIEWER, SERVICE")
      ->required();
  c->add_option("--unit", a->unit, "the registry unit the subject acts for");
  c->add_option("--ttl", a->ttl, "lifetime, e.g. 90d, 12h; at most 400d")->capture_default_str();
  c->add_option("--audience", a->audiences,
                "a service that accepts it (repeat; default every service)");
  c->add_option("--out", a->out, "write the token to this file (0600) instead of stdout");
  c->callback([a] {
    Role role;
    if (!ParseRoleName(a->role, &role)) FailCommand("--role: unknown role \"" + a->role + "\"", 2);
    if (RoleNeedsUnit(role) && a->unit.empty()) {
      FailCommand("--unit is required for role " + RoleName(role), 2);
    }
    absl::StatusOr<std::string> token =
        MintToken(a->key, a->subject, role, a->unit, ParseTtl(a->ttl), a->audiences);
    if (!token.ok()) FailCommand(std::string(token.status().message()), 2);
    if (a->out.empty()) {
      std::cout << *token << "\n";
    } else if (absl::Status s = WriteNewFile(a->out, *token + "\n", 0600); !s.ok()) {
      FailCommand(std::string(s.message()));
    }
  });
}

void AddShow(CLI::App* auth, Cli& cli) {
  CLI::App* c = auth->add_subcommand("show", "show the claims of the token in use (not verified)");
  c->callback([&cli] {
    const TokenClaims claims = ClaimsOf(cli.Token());
    if (cli.json()) {
      cli.PrintJson(claims);
      return;
    }
    Record r;
    r.Add("令牌编号", claims.token_id());
    r.Add("主体", claims.subject());
    r.Add("角色", RoleName(claims.role()));
    r.Add("单位", claims.unit_id());
    r.Add("适用服务", absl::StrJoin(claims.audiences(), ", "));
    r.Add("签发", FormatLocalTime(absl::FromUnixSeconds(claims.issued_at_unix())));
    r.Add("到期", FormatLocalTime(absl::FromUnixSeconds(claims.expires_at_unix())));
    r.Print(std::cout);
  });
}

void AddRevoke(CLI::App* auth, Cli& cli) {
  struct Args {
    std::string token_file, token_id, expires, reason;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = auth->add_subcommand(
      "revoke", "revoke a token: every service refuses it within a minute (ADMIN)");
  c->add_option("--revoke-token-file", a->token_file, "the token to revoke, from a file");
  c->add_option("--token-id", a->token_id, "or its id (upliftctl auth show)");
  c->add_option("--expires", a->expires, "with --token-id: its expiry, RFC 3339");
  c->add_option("--reason", a->reason, "why, for the audit log")->required();
  c->callback([&cli, a] {
    av1::RevokeTokenRequest req;
    req.set_reason(a->reason);
    if (!a->token_file.empty()) {
      absl::StatusOr<std::string> token = ReadSecretFile("--revoke-token-file", a->token_file);
      if (!token.ok()) FailCommand(std::string(token.status().message()), 2);
      const TokenClaims claims = ClaimsOf(*token);
      req.set_token_id(claims.token_id());
      *req.mutable_expire_time() = ToProtoTimestamp(absl::FromUnixSeconds(claims.expires_at_unix()));
    } else if (!a->token_id.empty() && !a->expires.empty()) {
      absl::StatusOr<absl::Time> expires = ParseRfc3339(a->expires);
      if (!expires.ok()) FailCommand("--expires: not an RFC 3339 time", 2);
      req.set_token_id(a->token_id);
      *req.mutable_expire_time() = ToProtoTimestamp(*expires);
    } else {
      FailCommand("give --revoke-token-file, or --token-id with --expires", 2);
    }
    auto stub = av1::TokenRevocations::NewStub(cli.Channel(cli.registry_addr()));
    av1::RevokeTokenResponse resp;
    cli.Check(stub->RevokeToken(cli.Context().get(), req, &resp));
    if (cli.json()) {
      cli.PrintJson(resp);
      return;
    }
    std::cout << (resp.existing() ? "already revoked: " : "revoked: ") << resp.revoked().token_id()
              << " (until " << FormatLocalTime(FromProtoTimestamp(resp.revoked().expire_time()))
              << ")\n";
  });
}

void AddRevoked(CLI::App* auth, Cli& cli) {
  CLI::App* c = auth->add_subcommand("revoked", "list revoked tokens (ADMIN)");
  c->callback([&cli] {
    auto stub = av1::TokenRevocations::NewStub(cli.Channel(cli.registry_addr()));
    av1::ListRevokedTokensRequest req;
    req.set_page_size(1000);
    av1::ListRevokedTokensResponse resp;
    cli.Check(stub->ListRevokedTokens(cli.Context().get(), req, &resp));
    if (cli.json()) {
      cli.PrintJson(resp);
      return;
    }
    Table t({"令牌编号", "吊销时间", "原到期", "操作人", "原因"});
    for (const av1::RevokedToken& r : resp.revoked()) {
      t.AddRow({r.token_id(), FormatLocalTime(FromProtoTimestamp(r.revoke_time())),
                FormatLocalTime(FromProtoTimestamp(r.expire_time())), r.revoked_by(), r.reason()});
    }
    t.Print(std::cout);
  });
}

}  // namespace

void AddAuthCommands(CLI::App& app, Cli& cli) {
  CLI::App* auth = app.add_subcommand("auth", "keys, bearer tokens and revocations");
  auth->require_subcommand(1);
  AddInit(auth);
  AddMint(auth);
  AddShow(auth, cli);
  AddRevoke(auth, cli);
  AddRevoked(auth, cli);
}

}  // namespace uplift::cli
