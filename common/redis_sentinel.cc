// Sentinel addresses, dialing, and asking sentinels for the master.
#include "common/redis_sentinel.h"

#include <hiredis/hiredis.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/validation.h"

namespace uplift {
namespace {

constexpr char kScheme[] = "sentinel://";

bool SplitHostPort(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = address.substr(0, colon);
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port > 0 && *port < 65536;
}

}  // namespace

absl::StatusOr<std::optional<SentinelAddress>> ParseSentinelAddress(const std::string& address) {
  if (!absl::StartsWith(address, kScheme)) return std::nullopt;
  const std::string rest = address.substr(sizeof(kScheme) - 1);
  const size_t slash = rest.rfind('/');
  SentinelAddress parsed;
  if (slash != std::string::npos) parsed.master_name = rest.substr(slash + 1);
  if (parsed.master_name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address ", QuoteInput(address),
                     ": a sentinel address ends with the master's name, e.g. "
                     "sentinel://h1:26379,h2:26379/uplift"));
  }
  for (absl::string_view s : absl::StrSplit(rest.substr(0, slash), ',', absl::SkipEmpty())) {
    std::string host;
    int port = 0;
    if (!SplitHostPort(std::string(s), &host, &port)) {
      return absl::InvalidArgumentError(absl::StrCat("redis address ", QuoteInput(address),
                                                     ": sentinel ", QuoteInput(std::string(s)),
                                                     " is not host:port"));
    }
    parsed.sentinels.emplace_back(s);
  }
  if (parsed.sentinels.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("redis address ", QuoteInput(address), " names no sentinel"));
  }
  return parsed;
}

absl::StatusOr<redisContext*> DialRedis(const std::string& address, absl::Duration timeout) {
  const timeval tv = absl::ToTimeval(timeout);
  redisContext* ctx = nullptr;
  if (absl::StartsWith(address, "unix:")) {
    ctx = redisConnectUnixWithTimeout(address.substr(5).c_str(), tv);
  } else {
    std::string host;
    int port = 0;
    if (!SplitHostPort(address, &host, &port)) {
      return absl::InvalidArgumentError(
          absl::StrCat("redis address ", QuoteInput(address), " is not host:port or unix:/path"));
    }
    ctx = redisConnectWithTimeout(host.c_str(), port, tv);
  }
  if (ctx == nullptr || ctx->err != 0) {
    const std::string why = ctx != nullptr ? ctx->errstr : "out of memory";
    if (ctx != nullptr) redisFree(ctx);
    return absl::UnavailableError(absl::StrCat("redis at ", address, " unreachable: ", why));
  }
  redisSetTimeout(ctx, tv);
  return ctx;
}

absl::StatusOr<std::string> AskSentinelsForMaster(const SentinelAddress& sentinel,
                                                  absl::Duration timeout) {
  std::string reasons;
  for (const std::string& address : sentinel.sentinels) {
    absl::StatusOr<redisContext*> ctx = DialRedis(address, timeout);
    if (!ctx.ok()) {
      absl::StrAppend(&reasons, "; ", ctx.status().message());
      continue;
    }
    auto* reply = static_cast<redisReply*>(redisCommand(*ctx, "SENTINEL get-master-addr-by-name %b",
                                                        sentinel.master_name.data(),
                                                        sentinel.master_name.size()));
    std::string master;
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
        reply->element[0]->type == REDIS_REPLY_STRING &&
        reply->element[1]->type == REDIS_REPLY_STRING) {
      master = absl::StrCat(std::string(reply->element[0]->str, reply->element[0]->len), ":",
                            std::string(reply->element[1]->str, reply->element[1]->len));
    } else {
      absl::StrAppend(&reasons, "; sentinel ", address, " does not know master ",
                      sentinel.master_name);
    }
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(*ctx);
    if (!master.empty()) return master;
  }
  return absl::UnavailableError(
      absl::StrCat("no sentinel told where master ", sentinel.master_name, " is", reasons));
}

bool IsMaster(redisContext* ctx) {
  // INFO, not ROLE: every service's ACL user may run INFO (redis_acl.cc).
  auto* reply = static_cast<redisReply*>(redisCommand(ctx, "INFO replication"));
  const bool master = reply != nullptr && reply->type == REDIS_REPLY_STRING &&
                      absl::StrContains(absl::string_view(reply->str, reply->len), "role:master");
  if (reply != nullptr) freeReplyObject(reply);
  return master;
}

int AttachedReplicas(absl::string_view info_replication) {
  constexpr absl::string_view kKey = "connected_slaves:";
  const size_t at = info_replication.find(kKey);
  if (at == absl::string_view::npos) return 0;
  int n = 0;
  for (size_t i = at + kKey.size();
       i < info_replication.size() && absl::ascii_isdigit(info_replication[i]); ++i) {
    n = n * 10 + (info_replication[i] - '0');
    if (n > 100000) break;
  }
  return n;
}

}  // namespace uplift
