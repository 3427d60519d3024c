// ACL lines from the suite topology.
#include "common/redis_acl.h"

#include <openssl/sha.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/suite_catalog.h"

namespace uplift {
namespace {

// "(~k1 ~k2 +c1 +c2)", or "" when there are no keys.
std::string Selector(const std::vector<std::string>& keys, const std::vector<std::string>& commands) {
  if (keys.empty()) return "";
  std::vector<std::string> parts;
  for (const std::string& k : keys) parts.push_back("~" + k);
  for (const std::string& c : commands) parts.push_back("+" + c);
  return absl::StrCat(" (", absl::StrJoin(parts, " "), ")");
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
}

std::string RedisAclUser(absl::string_view service, absl::string_view password_sha256) {
  std::vector<std::string> published, consumed, dead_letters, every_replica;
  for (const suite::v1::Stream* s : StreamsPublishedBy(service)) published.push_back(s->name());
  for (const suite::v1::Stream* s : StreamsConsumedBy(service)) {
    consumed.push_back(s->name());
    dead_letters.push_back(DeadLetterStream(s->name()));
  }
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    if (s.every_replica()) every_replica.push_back(s.name());
  }
  return absl::StrCat(
      "user ", service, " on #", password_sha256,
      " resetkeys resetchannels -@all +ping +info +wait",
      Selector(published, {"xadd", "xrange", "xrevrange", "xtrim", "xinfo|groups", "xpending"}),
      Selector(consumed,
               {"xgroup|create", "xreadgroup", "xack", "xpending", "xclaim", "xinfo|groups"}),
      Selector(dead_letters, {"xadd", "xrange", "xdel", "xtrim", "xlen"}),
      Selector(every_replica, {"xread", "xrange"}));
}

std::string RedisAclFile(const std::map<std::string, std::string>& passwords) {
  std::string out = "user default off resetkeys -@all\n";
  for (const auto& [user, password] : passwords) {
    if (user == kRedisAdminUser) {
      absl::StrAppend(&out, "user ", user, " on #", Sha256Hex(password), " ~* &* +@all\n");
    } else {
      absl::StrAppend(&out, RedisAclUser(user, Sha256Hex(password)), "\n");
    }
  }
  return out;
}

}  // namespace uplift
