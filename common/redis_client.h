// A thread-safe hiredis connection that reconnects by itself: connect and
// command timeouts, a PING before reuse after idling, and every I/O error
// (or a READONLY, LOADING, MASTERDOWN reply) dropping the connection so the
// next call dials again; behind Sentinel, it asks the sentinels where the
// master is each time it dials.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis_sentinel.h"

struct redisContext;

namespace uplift {

struct RedisOptions {
  // "host:port", "unix:/path/to/socket", or the sentinels watching the
  // master: "sentinel://host:port,host:port/master-name" (redis_sentinel.h).
  std::string address;
  std::string password = "";  // AUTH after connecting, when set
  std::string user = "";      // the ACL user (AUTH user password); "" is "default"
  absl::Duration connect_timeout = absl::Seconds(1);
  absl::Duration command_timeout = absl::Seconds(2);
  // A connection idle this long is PINGed before use.
  absl::Duration ping_after_idle = absl::Seconds(5);
};

struct RedisReply {
  enum class Type { kString, kArray, kInteger, kNil, kStatus };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus
  long long integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends one command (binary-safe arguments). Connection problems are
  // UNAVAILABLE; an error reply is INTERNAL with Redis's text (UNAVAILABLE
  // for LOADING, BUSY, MASTERDOWN, TRYAGAIN, READONLY).
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);
  // Like Command, with a longer timeout for blocking reads (XREADGROUP BLOCK).
  absl::StatusOr<RedisReply> CommandWithTimeout(const std::vector<std::string>& args,
                                                absl::Duration timeout);
  // Sends all commands in one round trip. The outer status fails when no
  // connection can be made; if it breaks midway, the replies not received
  // are UNAVAILABLE (their commands may or may not have run).
  absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  const RedisOptions& options() const { return options_; }

 private:
  absl::Status EnsureConnectedLocked();
  void DropLocked();

  const RedisOptions options_;
  const absl::StatusOr<std::optional<SentinelAddress>> sentinel_;
  std::mutex mu_;
  redisContext* ctx_ = nullptr;
  absl::Time last_used_;
};

}  // namespace uplift
