// Making a deployment's keys, passwords and tokens.
#include "common/deployment_secrets.h"

#include <cstdio>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/auth/ed25519.h"
#include "common/auth/token.h"
#include "common/event_signature.h"
#include "common/ids.h"
#include "common/redis_acl.h"
#include "common/secret_files.h"
#include "common/status_macros.h"
#include "common/suite_catalog.h"
#include "common/time_util.h"

namespace uplift {
namespace {

constexpr absl::Duration kRenewBefore = absl::Hours(24 * 60);

// Writes `content` to `path` unless it exists; true if written.
absl::StatusOr<bool> WriteOnce(const std::string& path, const std::string& content, int mode) {
  if (PathExists(path)) return false;
  RETURN_IF_ERROR(WriteNewFile(path, content + "\n", mode));
  return true;
}

// Replaces `path` whole (write aside, then rename over it).
absl::Status Replace(const std::string& path, const std::string& content, int mode) {
  const std::string aside = path + ".new";
  std::remove(aside.c_str());
  RETURN_IF_ERROR(WriteNewFile(aside, content, mode));
  if (std::rename(aside.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot replace ", path));
  }
  return absl::OkStatus();
}

std::vector<std::string> AllServices() {
  std::vector<std::string> out;
  for (const suite::v1::Service& s : SuiteTopology().services()) out.push_back(s.name());
  return out;
}

// A SERVICE token that is missing, unreadable or expires soon is made anew.
absl::StatusOr<bool> EnsureServiceToken(const std::string& key_file,
                                        const suite::v1::Service& service,
                                        const std::string& path) {
  if (PathExists(path)) {
    absl::StatusOr<std::string> token = ReadSecretFile("service token", path);
    if (token.ok()) {
      absl::StatusOr<TokenClaims> claims = ReadUnverifiedClaims(*token);
      // Kept unless it expires soon or names other services than the
      // service now calls (a new dependency needs a token that names it).
      const std::set<std::string> wanted(service.calls().begin(), service.calls().end());
      if (claims.ok() &&
          absl::FromUnixSeconds(claims->expires_at_unix()) - absl::Now() > kRenewBefore &&
          std::set<std::string>(claims->audiences().begin(), claims->audiences().end()) == wanted) {
        return false;
      }
    }
  }
  ASSIGN_OR_RETURN(std::string token,
                   MintToken(key_file, service.name(), uplift::auth::v1::ROLE_SERVICE, "",
                             kMaxTokenLifetime, {service.calls().begin(), service.calls().end()}));
  RETURN_IF_ERROR(Replace(path, token + "\n", 0600));
  return true;
}

}  // namespace

std::string ServiceSecretsDir(const std::string& auth_dir, const std::string& service) {
  return absl::StrCat(auth_dir, "/", service);
}
std::string PublicKeysDir(const std::string& auth_dir) { return auth_dir + "/public"; }
std::string TokenKeyFile(const std::string& auth_dir) { return auth_dir + "/private/tokens.key"; }

absl::StatusOr<std::string> MintToken(const std::string& key_file, const std::string& subject,
                                      Role role, const std::string& unit, absl::Duration ttl,
                                      std::vector<std::string> audiences) {
  if (ttl <= absl::ZeroDuration() || ttl > kMaxTokenLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--ttl: tokens live at most ", absl::ToInt64Hours(kMaxTokenLifetime) / 24, " days"));
  }
  ASSIGN_OR_RETURN(TokenSigner signer, TokenSigner::FromPemFile(key_file));
  if (audiences.empty()) audiences = AllServices();
  TokenClaims claims;
  claims.set_token_id(RandomHex(8));
  claims.set_subject(subject);
  claims.set_role(role);
  claims.set_unit_id(unit);
  const absl::Time now = absl::Now();
  claims.set_issued_at_unix(absl::ToUnixSeconds(now));
  claims.set_expires_at_unix(absl::ToUnixSeconds(now + ttl));
  for (const std::string& a : audiences) claims.add_audiences(a);
  return signer.Mint(claims);
}

absl::StatusOr<std::vector<std::string>> Provision(const ProvisionOptions& o) {
  std::vector<std::string> done;
  RETURN_IF_ERROR(EnsurePrivateDir(o.dir));
  RETURN_IF_ERROR(EnsurePrivateDir(o.dir + "/private"));
  RETURN_IF_ERROR(EnsurePublicDir(PublicKeysDir(o.dir)));
  // The ACL holds hashes only and redis-server may run as another user.
  RETURN_IF_ERROR(EnsurePublicDir(o.dir + "/redis"));
  const std::string key = TokenKeyFile(o.dir);
  if (!PathExists(key)) {
    RETURN_IF_ERROR(GenerateEd25519KeyPair(key, PublicKeysDir(o.dir) + "/tokens.pub"));
    done.push_back("the token signing key pair (private/tokens.key, public/tokens.pub)");
  }
  std::map<std::string, std::string> redis_passwords;
  for (const suite::v1::Service& s : SuiteTopology().services()) {
    const std::string dir = ServiceSecretsDir(o.dir, s.name());
    RETURN_IF_ERROR(EnsurePrivateDir(dir));
    if (!PathExists(dir + "/events.key")) {
      RETURN_IF_ERROR(
          GenerateEd25519KeyPair(dir + "/events.key", EventPublicKeyFile(PublicKeysDir(o.dir), s.name())));
      done.push_back(absl::StrCat("the event signing key of ", s.name()));
    }
    for (const char* file : {"page-token.key", "redis.password"}) {
      ASSIGN_OR_RETURN(bool made, WriteOnce(absl::StrCat(dir, "/", file), RandomHex(32), 0600));
      if (made) done.push_back(absl::StrCat(s.name(), "/", file));
    }
    if (s.name() == "uplift-notify") {
      ASSIGN_OR_RETURN(bool made, WriteOnce(dir + "/notify-secrets.key", RandomHex(32), 0600));
      if (made) done.push_back("the key that seals webhook URLs and secrets");
    }
    if (!s.calls().empty()) {
      ASSIGN_OR_RETURN(bool made, EnsureServiceToken(key, s, dir + "/service.token"));
      if (made) done.push_back(absl::StrCat("a SERVICE token for ", s.name()));
    }
    ASSIGN_OR_RETURN(redis_passwords[s.name()],
                     ReadSecretFile("redis password", dir + "/redis.password"));
  }
  const std::string admin_password = o.dir + "/redis/admin.password";
  ASSIGN_OR_RETURN(bool made_admin, WriteOnce(admin_password, RandomHex(32), 0600));
  if (made_admin) done.push_back("the operators' Redis password (redis/admin.password)");
  ASSIGN_OR_RETURN(redis_passwords[kRedisAdminUser], ReadSecretFile("redis password", admin_password));
  // Hashes only: readable by the redis-server process whatever its user.
  RETURN_IF_ERROR(Replace(o.dir + "/redis/users.acl", RedisAclFile(redis_passwords), 0644));
  if (!o.admin_token.empty() && !PathExists(o.admin_token)) {
    ASSIGN_OR_RETURN(std::string token,
                     MintToken(key, "admin", uplift::auth::v1::ROLE_ADMIN, "", o.token_ttl));
    RETURN_IF_ERROR(WriteNewFile(o.admin_token, token + "\n", 0600));
    done.push_back(absl::StrCat("an ADMIN token (", o.admin_token, ")"));
  }
  return done;
}

std::string ServiceTokenWarning(absl::string_view token, absl::Time now) {
  absl::StatusOr<TokenClaims> claims = ReadUnverifiedClaims(absl::StripAsciiWhitespace(token));
  if (!claims.ok())
    return absl::StrCat("its SERVICE token cannot be read: ", claims.status().message());
  const absl::Time expires = absl::FromUnixSeconds(claims->expires_at_unix());
  if (expires - now > absl::Hours(24 * 30)) return "";
  return absl::StrCat("its SERVICE token ", expires <= now ? "expired" : "expires", " on ",
                      FormatRfc3339(expires),
                      ": run `upliftctl auth init` (it renews SERVICE tokens with less than 60 "
                      "days left) and restart the service");
}

}  // namespace uplift
