// The RPC catalog and the JSON codec.
#include "services/web/rpc_catalog.h"

#include <google/protobuf/type.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/suite_catalog.h"
#include "common/validation.h"
#include "uplift/accounts/v1/accounts.pb.h"
#include "uplift/auth/v1/revocation.pb.h"
#include "uplift/indicators/v1/indicators.pb.h"
#include "uplift/notify/v1/notify.pb.h"
#include "uplift/registry/v1/registry.pb.h"
#include "uplift/tasks/v1/projects.pb.h"
#include "uplift/tasks/v1/tasks.pb.h"

namespace uplift::web {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

std::string TypeUrl(const google::protobuf::Descriptor* type) {
  return absl::StrCat(kTypeUrlPrefix, "/", type->full_name());
}

// protobuf's message without its caret diagram, naming the body.
absl::Status BodyError(const google::protobuf::util::Status& s) {
  std::string message(s.message());
  message = message.substr(0, message.find('\n'));
  return absl::InvalidArgumentError(absl::StrCat("request body: ", message.substr(0, 300)));
}

// protobuf's resolver converts a descriptor into a google.protobuf.Type on
// every lookup, and its JSON conversion looks every type of a message up on
// every call; the types of compiled descriptors never change, so each is
// converted once.
class CachingTypeResolver : public google::protobuf::util::TypeResolver {
 public:
  explicit CachingTypeResolver(std::unique_ptr<TypeResolver> inner) : inner_(std::move(inner)) {}

  google::protobuf::util::Status ResolveMessageType(const std::string& url,
                                                    google::protobuf::Type* type) override {
    return Resolve(url, type, messages_,
                   [&](google::protobuf::Type* t) { return inner_->ResolveMessageType(url, t); });
  }
  google::protobuf::util::Status ResolveEnumType(const std::string& url,
                                                 google::protobuf::Enum* type) override {
    return Resolve(url, type, enums_,
                   [&](google::protobuf::Enum* t) { return inner_->ResolveEnumType(url, t); });
  }

 private:
  template <typename T, typename Fetch>
  google::protobuf::util::Status Resolve(const std::string& url, T* out,
                                         absl::flat_hash_map<std::string, T>& cache,
                                         const Fetch& fetch) {
    {
      absl::ReaderMutexLock lock(&mu_);
      auto it = cache.find(url);
      if (it != cache.end()) {
        *out = it->second;
        return google::protobuf::util::Status();
      }
    }
    google::protobuf::util::Status s = fetch(out);
    if (s.ok()) {
      absl::WriterMutexLock lock(&mu_);
      cache.emplace(url, *out);
    }
    return s;
  }

  std::unique_ptr<TypeResolver> inner_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, google::protobuf::Type> messages_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, google::protobuf::Enum> enums_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

void LinkContracts() {
  (void)uplift::registry::v1::GetUnitRequest::descriptor();
  (void)uplift::auth::v1::RevokeTokenRequest::descriptor();
  (void)uplift::tasks::v1::GetPlanRequest::descriptor();
  (void)uplift::tasks::v1::GetProjectRequest::descriptor();
  (void)uplift::indicators::v1::GetReportRequest::descriptor();
  (void)uplift::notify::v1::ListInboxRequest::descriptor();
  (void)uplift::accounts::v1::SignInRequest::descriptor();
}

absl::StatusOr<std::unique_ptr<RpcCatalog>> RpcCatalog::FromSuite() {
  LinkContracts();
  auto catalog = std::make_unique<RpcCatalog>();
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const suite::v1::Service& service : SuiteTopology().services()) {
    for (const std::string& name : service.grpc_services()) {
      const google::protobuf::ServiceDescriptor* d = pool->FindServiceByName(name);
      if (d == nullptr) {
        return absl::InternalError(absl::StrCat("gRPC service ", name, " of ", service.name(),
                                                " has no descriptor in uplift-web"));
      }
      for (int i = 0; i < d->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* m = d->method(i);
        RpcRoute route{absl::StrCat("/", d->full_name(), "/", m->name()), service.name(), m,
                       m->server_streaming(), m->client_streaming()};
        catalog->routes_.emplace(route.path, route);
      }
    }
  }
  return catalog;
}

const RpcRoute* RpcCatalog::Find(absl::string_view path) const {
  auto it = routes_.find(path);
  return it == routes_.end() ? nullptr : &it->second;
}

std::vector<const RpcRoute*> RpcCatalog::All() const {
  std::vector<const RpcRoute*> out;
  for (const auto& [path, route] : routes_) out.push_back(&route);
  return out;
}

MessageCodec::MessageCodec()
    : resolver_(std::make_unique<CachingTypeResolver>(
          std::unique_ptr<google::protobuf::util::TypeResolver>(
              google::protobuf::util::NewTypeResolverForDescriptorPool(
                  kTypeUrlPrefix, google::protobuf::DescriptorPool::generated_pool())))) {}

absl::StatusOr<std::string> MessageCodec::JsonToBinary(const google::protobuf::Descriptor* type,
                                                       absl::string_view json) const {
  std::string out;
  // An empty body is the empty message, as Connect clients send for {}.
  if (json.find_first_not_of(" \t\r\n") == absl::string_view::npos) return out;
  const google::protobuf::util::Status s = google::protobuf::util::JsonToBinaryString(
      resolver_.get(), TypeUrl(type), std::string(json), &out);
  if (!s.ok()) return BodyError(s);
  return out;
}

absl::StatusOr<std::string> MessageCodec::BinaryToJson(const google::protobuf::Descriptor* type,
                                                       absl::string_view binary) const {
  std::string out;
  const google::protobuf::util::Status s = google::protobuf::util::BinaryToJsonString(
      resolver_.get(), TypeUrl(type), std::string(binary), &out);
  if (!s.ok()) {
    return absl::InternalError(absl::StrCat(
        "answer of ", type->full_name(), " cannot be written as JSON: ", std::string(s.message())));
  }
  return out;
}

}  // namespace uplift::web
