// A deployment's keys, passwords and tokens, made once by `upliftctl auth
// init` (and so by ./scripts/run and docker compose on first start, and by
// the integration tests). The layout under the auth directory, which the
// services' --secrets-dir and --public-keys-dir point into:
//   private/tokens.key          Ed25519 key that signs bearer tokens (0600)
//   public/tokens.pub           its public half: every service verifies with it
//   public/events-<svc>.pub     each service's event-signing public key
//   <svc>/events.key            the service's event-signing key (0600)
//   <svc>/page-token.key        the key of its page tokens
//   <svc>/redis.password        its Redis ACL password
//   <svc>/service.token         its SERVICE token, naming only the services it
//                               calls (for services that call others)
//   uplift-notify/notify-secrets.key  the key sealing webhook URLs and secrets
//   redis/users.acl             the Redis ACL (hashes only), rebuilt each time
//   redis/admin.password        the operators' Redis password (uplift-admin)
// Directories with secrets are 0700 and nothing is read or written through
// a symbolic link. What exists is kept; a SERVICE token that expires within
// 60 days is replaced.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace uplift {

struct ProvisionOptions {
  std::string dir;          // the auth directory
  std::string admin_token;  // where the first ADMIN token goes (empty: none)
  absl::Duration token_ttl = absl::Hours(24 * 365);
};

// What was created, for people ("created the token signing key", ...).
absl::StatusOr<std::vector<std::string>> Provision(const ProvisionOptions& options);

// A token signed with `key_file` for `audiences` (every service when empty).
absl::StatusOr<std::string> MintToken(const std::string& key_file, const std::string& subject,
                                      Role role, const std::string& unit, absl::Duration ttl,
                                      std::vector<std::string> audiences = {});

// What to tell the operator about a service's own SERVICE token at start:
// "" while it has more than 30 days left, else that it expires (or has)
// and `upliftctl auth init` renews it (the service then needs a restart).
std::string ServiceTokenWarning(absl::string_view token, absl::Time now);

// The auth directory's files, for the runtime flags of a service.
std::string ServiceSecretsDir(const std::string& auth_dir, const std::string& service);
std::string PublicKeysDir(const std::string& auth_dir);
std::string TokenKeyFile(const std::string& auth_dir);

}  // namespace uplift
