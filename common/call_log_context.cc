// Subjects of calls in flight, by their server context.
#include "common/call_log_context.h"

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/ids.h"

namespace uplift {
namespace {

absl::Mutex subjects_mu;
absl::flat_hash_map<const grpc::ServerContextBase*, std::string>& Subjects()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(subjects_mu) {
  static auto* subjects = new absl::flat_hash_map<const grpc::ServerContextBase*, std::string>();
  return *subjects;
}

}  // namespace

void CallLogContext::SetSubject(const grpc::ServerContextBase* call, const std::string& subject) {
  absl::MutexLock lock(&subjects_mu);
  Subjects()[call] = subject;
}

std::string CallLogContext::TakeSubject(const grpc::ServerContextBase* call) {
  absl::MutexLock lock(&subjects_mu);
  auto it = Subjects().find(call);
  if (it == Subjects().end()) return "";
  std::string subject = std::move(it->second);
  Subjects().erase(it);
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
