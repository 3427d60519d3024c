// Subjects of calls in flight, by their server context.
#include "common/call_log_context.h"

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/ids.h"

namespace uplift {
namespace {

// Sharded by the context's address, so calls on many threads rarely meet
// on one lock.
struct Shard {
  absl::Mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::string> subjects ABSL_GUARDED_BY(mu);
};
constexpr size_t kShards = 16;

Shard& ShardOf(const grpc::ServerContextBase* call) {
  static auto* shards = new Shard[kShards];
  return shards[(reinterpret_cast<uintptr_t>(call) >> 6) % kShards];
}

}  // namespace

void CallLogContext::SetSubject(const grpc::ServerContextBase* call, const std::string& subject) {
  Shard& shard = ShardOf(call);
  absl::MutexLock lock(&shard.mu);
  shard.subjects[call] = subject;
}

std::string CallLogContext::TakeSubject(const grpc::ServerContextBase* call) {
  Shard& shard = ShardOf(call);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.subjects.find(call);
  if (it == shard.subjects.end()) return "";
  std::string subject = std::move(it->second);
  shard.subjects.erase(it);
  return subject;
}

std::string SaneRequestId(const std::string& id) {
  bool sane = !id.empty() && id.size() <= 64;
  for (char c : id) {
    sane = sane && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-');
  }
  return sane ? id : RandomHex(8);
}

std::string CallLogContext::RequestId(const grpc::ServerContextBase& call) {
  const auto& metadata = call.client_metadata();
  auto it = metadata.find(kRequestIdHeader);
  return SaneRequestId(it == metadata.end() ? std::string()
                                            : std::string(it->second.data(), it->second.size()));
}

}  // namespace uplift
