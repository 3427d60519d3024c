// upliftctl auth init|mint: the signing key pair and bearer tokens.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "common/auth/token.h"
#include "common/ids.h"
#include "services/notify/secret_box.h"
#include "tools/upliftctl/cli.h"

namespace uplift::cli {
namespace {

// "90d", "12h", "30m" or "0" (never expires).
absl::Duration ParseTtl(const std::string& text) {
  if (text == "0") return absl::ZeroDuration();
  int days = 0;
  if (!text.empty() && text.back() == 'd' &&
      absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) && days > 0) {
    return absl::Hours(24) * days;
  }
  absl::Duration d;
  if (absl::ParseDuration(text, &d) && d > absl::ZeroDuration()) return d;
  FailCommand("--ttl: \"" + text + "\" is not a duration such as 90d, 12h or 0 (never)", 2);
}

std::string MintToken(const std::string& key_file, const std::string& subject, Role role,
                      const std::string& unit, absl::Duration ttl) {
  absl::StatusOr<TokenSigner> signer = TokenSigner::FromPemFile(key_file);
  if (!signer.ok()) FailCommand(std::string(signer.status().message()), 2);
  TokenClaims claims;
  claims.set_token_id(RandomHex(8));
  claims.set_subject(subject);
  claims.set_role(role);
  claims.set_unit_id(unit);
  const absl::Time now = absl::Now();
  claims.set_issued_at_unix(absl::ToUnixSeconds(now));
  if (ttl > absl::ZeroDuration()) claims.set_expires_at_unix(absl::ToUnixSeconds(now + ttl));
  return signer->Mint(claims);
}

void WriteSecret(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) FailCommand("cannot write " + path, 1);
  ::fchmod(fd, 0600);
  const std::string line = content + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::fsync(fd);
  ::close(fd);
  if (!ok) FailCommand("short write to " + path, 1);
}

}  // namespace

void AddAuthCommands(CLI::App& app, Cli& cli) {
  CLI::App* auth = app.add_subcommand("auth", "signing keys and bearer tokens");
  auth->require_subcommand(1);
  {
    struct Args {
      std::string dir = "./data/auth";
      std::string admin_token = "./data/admin.token";
      std::string ttl = "365d";
      std::vector<std::string> service_tokens;  // NAME:PATH
      std::string notify_key;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = auth->add_subcommand(
        "init", "create the token signing key pair, an ADMIN token and services' SERVICE tokens, "
                "unless they exist");
    c->add_option("--dir", a->dir, "where signing.key (0600) and signing.pub go")->capture_default_str();
    c->add_option("--admin-token", a->admin_token, "where the ADMIN token goes (0600)")
        ->capture_default_str();
    c->add_option("--ttl", a->ttl, "lifetime of the ADMIN and SERVICE tokens")->capture_default_str();
    c->add_option("--service-token", a->service_tokens,
                  "NAME:PATH: a SERVICE token for service NAME (e.g. tasks:./data/auth/tasks.token)");
    c->add_option("--notify-secrets-key", a->notify_key,
                  "where the key that encrypts webhook secrets goes (0600)");
    c->callback([a] {
      const std::string key = a->dir + "/signing.key";
      std::error_code ec;
      std::filesystem::create_directories(a->dir, ec);
      if (!std::filesystem::exists(key)) {
        absl::Status made = GenerateSigningKeyPair(a->dir);
        if (!made.ok()) FailCommand(std::string(made.message()));
        std::cout << "created the signing key pair in " << a->dir << "\n";
      }
      if (!std::filesystem::exists(a->admin_token)) {
        std::filesystem::create_directories(
            std::filesystem::path(a->admin_token).parent_path().empty()
                ? "."
                : std::filesystem::path(a->admin_token).parent_path(),
            ec);
        WriteSecret(a->admin_token, MintToken(key, "admin", uplift::auth::v1::ROLE_ADMIN, "",
                                              ParseTtl(a->ttl)));
        std::cout << "wrote an ADMIN token to " << a->admin_token << "\n";
      }
      for (const std::string& spec : a->service_tokens) {
        const size_t colon = spec.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
          FailCommand("--service-token: \"" + spec + "\" is not NAME:PATH", 2);
        }
        const std::string name = spec.substr(0, colon), path = spec.substr(colon + 1);
        if (std::filesystem::exists(path)) continue;
        WriteSecret(path, MintToken(key, "uplift-" + name, uplift::auth::v1::ROLE_SERVICE, "",
                                    ParseTtl(a->ttl)));
        std::cout << "wrote a SERVICE token for uplift-" << name << " to " << path << "\n";
      }
      if (!a->notify_key.empty() && !std::filesystem::exists(a->notify_key)) {
        absl::Status made = uplift::notify::SecretBox::GenerateKeyFile(a->notify_key);
        if (!made.ok()) FailCommand(std::string(made.message()));
        std::cout << "wrote the webhook secrets key to " << a->notify_key << "\n";
      }
      std::cout << "services verify tokens with " << a->dir
                << "/signing.pub (UPLIFT_AUTH_PUBLIC_KEY)\n";
    });
  }
  {
    struct Args {
      std::string key = "./data/auth/signing.key";
      std::string subject, role, unit, out;
      std::string ttl = "90d";
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = auth->add_subcommand("mint", "mint a token for a role and unit");
    c->add_option("--key", a->key, "the private signing key")->capture_default_str();
    c->add_option("--subject", a->subject, "who: a person or system, e.g. 承安镇工作专班")->required();
    c->add_option("--role", a->role,
                  "ADMIN, PLAN_OWNER, DEPARTMENT, TOWNSHIP, LEADER, PROVINCE, VIEWER, SERVICE")
        ->required();
    c->add_option("--unit", a->unit, "the registry unit the subject acts for");
    c->add_option("--ttl", a->ttl, "lifetime, e.g. 90d, 12h; 0 never expires")->capture_default_str();
    c->add_option("--out", a->out, "write the token to this file (0600) instead of stdout");
    c->callback([a] {
      Role role;
      if (!ParseRoleName(a->role, &role)) FailCommand("--role: unknown role \"" + a->role + "\"", 2);
      const bool needs_unit = role == uplift::auth::v1::ROLE_DEPARTMENT ||
                              role == uplift::auth::v1::ROLE_TOWNSHIP ||
                              role == uplift::auth::v1::ROLE_LEADER ||
                              role == uplift::auth::v1::ROLE_PROVINCE ||
                              role == uplift::auth::v1::ROLE_PLAN_OWNER;
      if (needs_unit && a->unit.empty()) {
        FailCommand("--unit is required for role " + RoleName(role), 2);
      }
      const std::string token = MintToken(a->key, a->subject, role, a->unit, ParseTtl(a->ttl));
      if (a->out.empty()) {
        std::cout << token << "\n";
      } else {
        WriteSecret(a->out, token);
      }
    });
  }
}

}  // namespace uplift::cli
