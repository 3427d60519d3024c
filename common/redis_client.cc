// hiredis wrapper: connection management and reply conversion.
#include "common/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis_sentinel.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace uplift {
namespace {

timeval TimevalOf(absl::Duration d) { return absl::ToTimeval(d); }

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

// Error replies become statuses; replies that mean "try again" are UNAVAILABLE.
absl::StatusOr<RedisReply> FromHiredis(const redisReply* r) {
  if (r->type == REDIS_REPLY_ERROR) {
    std::string text(r->str, r->len);
    for (const char* retry : {"LOADING", "BUSY ", "MASTERDOWN", "TRYAGAIN", "READONLY"}) {
      if (absl::StartsWith(text, retry)) return absl::UnavailableError("redis: " + text);
    }
    return absl::InternalError("redis: " + text);
  }
  return Convert(r);
}

// A reply of a server that is no master (any more) or not ready: the next
// call connects again (asking the sentinels, where there are any).
bool MeansAnotherServer(const absl::StatusOr<RedisReply>& reply) {
  if (reply.ok() || reply.status().code() != absl::StatusCode::kUnavailable) return false;
  for (const char* prefix : {"redis: READONLY", "redis: LOADING", "redis: MASTERDOWN"}) {
    if (absl::StartsWith(reply.status().message(), prefix)) return true;
  }
  return false;
}

void ArgvOf(const std::vector<std::string>& args, std::vector<const char*>* argv,
            std::vector<size_t>* lens) {
  argv->clear();
  lens->clear();
  for (const std::string& a : args) {
    argv->push_back(a.data());
    lens->push_back(a.size());
  }
}

}  // namespace

RedisClient::RedisClient(RedisOptions options)
    : options_(std::move(options)), sentinel_(ParseSentinelAddress(options_.address)) {}

RedisClient::~RedisClient() {
  std::lock_guard<std::mutex> lock(mu_);
  DropLocked();
}

void RedisClient::DropLocked() {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
}

absl::Status RedisClient::EnsureConnectedLocked() {
  if (ctx_ != nullptr && ctx_->err == 0) {
    if (absl::Now() - last_used_ < options_.ping_after_idle) return absl::OkStatus();
    // Idle: make sure the peer is still there before trusting the socket.
    auto* reply = static_cast<redisReply*>(redisCommand(ctx_, "PING"));
    if (reply != nullptr) {
      freeReplyObject(reply);
      last_used_ = absl::Now();
      return absl::OkStatus();
    }
  }
  DropLocked();
  if (!sentinel_.ok()) return sentinel_.status();
  std::string address = options_.address;
  if (sentinel_->has_value()) {
    ASSIGN_OR_RETURN(address, AskSentinelsForMaster(**sentinel_, options_.connect_timeout));
  }
  ASSIGN_OR_RETURN(ctx_, DialRedis(address, options_.connect_timeout));
  redisSetTimeout(ctx_, TimevalOf(options_.command_timeout));
  redisEnableKeepAlive(ctx_);
  if (!options_.password.empty()) {
    auto* reply = static_cast<redisReply*>(
        options_.user.empty()
            ? redisCommand(ctx_, "AUTH %b", options_.password.data(), options_.password.size())
            : redisCommand(ctx_, "AUTH %b %b", options_.user.data(), options_.user.size(),
                           options_.password.data(), options_.password.size()));
    if (reply == nullptr || reply->type == REDIS_REPLY_ERROR) {
      std::string why = reply != nullptr ? std::string(reply->str, reply->len) : ctx_->errstr;
      if (reply != nullptr) freeReplyObject(reply);
      DropLocked();
      return absl::UnavailableError(absl::StrCat("redis AUTH failed: ", why));
    }
    freeReplyObject(reply);
  }
  if (sentinel_->has_value() && !IsMaster(ctx_)) {
    // The sentinel has not seen the last failover yet, or this server was
    // demoted since: ask again on the next call.
    DropLocked();
    return absl::UnavailableError(absl::StrCat("redis at ", address, " is not the master of ",
                                               (*sentinel_)->master_name,
                                               " (a failover is under way)"));
  }
  last_used_ = absl::Now();
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& args) {
  return CommandWithTimeout(args, options_.command_timeout);
}

absl::StatusOr<RedisReply> RedisClient::CommandWithTimeout(
    const std::vector<std::string>& args, absl::Duration timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(EnsureConnectedLocked());
  if (timeout != options_.command_timeout) redisSetTimeout(ctx_, TimevalOf(timeout));
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  ArgvOf(args, &argv, &lens);
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (reply == nullptr) {
    std::string why = ctx_->errstr;
    DropLocked();
    return absl::UnavailableError(absl::StrCat("redis ", args.empty() ? "" : args[0],
                                               " failed: ", why));
  }
  if (timeout != options_.command_timeout) {
    redisSetTimeout(ctx_, TimevalOf(options_.command_timeout));
  }
  last_used_ = absl::Now();
  absl::StatusOr<RedisReply> out = FromHiredis(reply);
  freeReplyObject(reply);
  if (MeansAnotherServer(out)) DropLocked();
  return out;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(EnsureConnectedLocked());
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& args : commands) {
    ArgvOf(args, &argv, &lens);
    if (redisAppendCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(),
                               lens.data()) != REDIS_OK) {
      DropLocked();
      return absl::UnavailableError("redis pipeline: out of memory");
    }
  }
  std::vector<absl::StatusOr<RedisReply>> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
      // The connection broke: the rest are unknown, so report them failed.
      const absl::Status lost = absl::UnavailableError(absl::StrCat(
          "redis connection lost in a pipeline: ", ctx_->errstr));
      DropLocked();
      while (replies.size() < commands.size()) replies.push_back(lost);
      return replies;
    }
    auto* reply = static_cast<redisReply*>(raw);
    replies.push_back(FromHiredis(reply));
    freeReplyObject(reply);
  }
  last_used_ = absl::Now();
  for (const absl::StatusOr<RedisReply>& r : replies) {
    if (MeansAnotherServer(r)) {
      DropLocked();
      break;
    }
  }
  return replies;
}

}  // namespace uplift
