// Redis behind Sentinel: an address `sentinel://host:port,host:port/name`
// names the sentinels to ask and the master they watch. The client asks
// each sentinel in turn where the master is (SENTINEL
// get-master-addr-by-name), connects there, and checks that the server
// really is the master (INFO replication) before using it: a sentinel may not have
// seen the last failover yet. After a failover, the old master's READONLY
// or a lost connection makes the client ask again (redis_client.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

struct redisContext;

namespace uplift {

struct SentinelAddress {
  std::vector<std::string> sentinels;  // host:port each
  std::string master_name;
};

// nullopt for an address that is not sentinel://; INVALID_ARGUMENT for a
// sentinel:// address without sentinels, with a bad host:port or no name.
absl::StatusOr<std::optional<SentinelAddress>> ParseSentinelAddress(const std::string& address);

// A connection to `address` (host:port or unix:/path), with `timeout` for
// connecting; UNAVAILABLE with the reason when it cannot be made.
absl::StatusOr<redisContext*> DialRedis(const std::string& address, absl::Duration timeout);

// The master's host:port as the first sentinel that answers knows it.
absl::StatusOr<std::string> AskSentinelsForMaster(const SentinelAddress& sentinel,
                                                  absl::Duration timeout);

// Whether the server on `ctx` says it is a master (INFO replication).
bool IsMaster(redisContext* ctx);

// The replicas attached to a master, from its INFO replication text
// ("connected_slaves:N"); 0 when the line is missing.
int AttachedReplicas(absl::string_view info_replication);

}  // namespace uplift
