// The suite's Redis ACL, generated from its topology (suite.textproto): the
// default user is off; each service has a user of its own name that may run
// only the stream commands its part needs, each on only its own keys
// (Redis 7.0 selectors):
//   - on the streams it publishes: XADD (with its own entry ids), XRANGE,
//     XREVRANGE, XTRIM, XINFO GROUPS, XPENDING (to trim safely);
//   - on the streams it consumes: XGROUP CREATE, XREADGROUP, XACK, XPENDING,
//     XCLAIM;
//   - on their dead-letter streams: XADD, XRANGE, XDEL, XTRIM, XLEN;
//   - on streams every replica reads (revocations): XREAD, XRANGE;
//   - PING and INFO (liveness, the memory alarm).
// "uplift-admin" is the operators' user (all commands), for redis-cli and
// backups. The file holds SHA-256 hashes only, never a password.
#pragma once

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace uplift {

inline constexpr char kRedisAdminUser[] = "uplift-admin";

// One "user ..." line for `service` with the SHA-256 (hex) of its password.
std::string RedisAclUser(absl::string_view service, absl::string_view password_sha256);

// The whole ACL file: `passwords` maps each user (every service and the
// admin) to its password.
std::string RedisAclFile(const std::map<std::string, std::string>& passwords);

std::string Sha256Hex(absl::string_view data);

}  // namespace uplift
