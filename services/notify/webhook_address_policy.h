// Where webhooks may go. A unit's webhook URL is resolved and every address
// it resolves to is checked before a request leaves, and the request is
// then pinned to the checked address (no second lookup, so no DNS
// rebinding). Denied whatever else is allowed:
//   the suite's own listeners (Redis, the services' ports) and any
//   endpoint the operator names (--webhook-deny);
// denied unless the operator allows them (--webhook-allow):
//   loopback, unspecified, link-local (cloud metadata 169.254.169.254),
//   multicast, broadcast, and the metadata addresses 100.100.100.200 and
//   fd00:ec2::254;
// and when --webhook-allow is set, only addresses inside it.
// Errors say what class of address was refused, never whether a port is
// open: the unit sees a class, the server log the detail.
#pragma once

#include <netinet/in.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

// An IPv4 (as ::ffff:a.b.c.d) or IPv6 address and a prefix length.
struct Cidr {
  in6_addr address{};
  int prefix = 128;
  bool Contains(const in6_addr& a) const;
};
absl::StatusOr<Cidr> ParseCidr(absl::string_view text);

struct WebhookTarget {
  std::string scheme, host;
  std::string user;  // smtp and smtps: the account, URL-decoded
  int port = 0;
  std::string address;  // the checked address to connect to, as text
};

// Makes `request` connect to the checked `target` and nowhere else.
inline void PinTo(const WebhookTarget& target, WebhookRequest* request) {
  request->host = target.host;
  request->port = target.port;
  request->address = target.address;
}

class WebhookAddressPolicy {
 public:
  // The addresses a host name resolves to, as text; getaddrinfo by
  // default, a table in unit tests.
  using Resolver = std::function<std::vector<std::string>(const std::string& host)>;

  // `allow` and `deny` are comma-separated CIDRs ("10.0.0.0/8,127.0.0.1/32");
  // `deny_endpoints` are "host:port" listeners of the suite itself.
  static absl::StatusOr<WebhookAddressPolicy> Parse(absl::string_view allow,
                                                    absl::string_view deny,
                                                    const std::vector<std::string>& deny_endpoints);

  // Parses `url` (http or https, no user name or password; smtp or smtps
  // with the account's name but no password), resolves its
  // host and checks every address; the first allowed one is the target.
  // INVALID_ARGUMENT for a malformed URL, PERMISSION_DENIED naming the
  // class of a refused address, UNAVAILABLE when the host does not resolve.
  absl::StatusOr<WebhookTarget> Resolve(const std::string& url) const;
  // The check of one address and port (for tests and the resolver).
  absl::Status Check(const in6_addr& address, int port) const;
  void set_resolver(Resolver resolver) { resolver_ = std::move(resolver); }
  // One more listener of the suite ("host:port"), e.g. the service's own
  // port once bound; before deliveries start.
  void DenyEndpoint(const std::string& endpoint);

 private:
  Resolver resolver_;
  std::vector<Cidr> allow_, deny_, risky_;
  std::vector<std::pair<in6_addr, int>> deny_endpoints_;
};

// The scheme, host, port and account of `url`, unresolved (no address).
absl::StatusOr<WebhookTarget> ParseUrlTarget(const std::string& url);

// "https://qyapi.weixin.qq.com:443/…": what a URL may show of itself (its
// path and query can carry access keys); "(invalid URL)" if it does not parse.
std::string RedactedUrl(const std::string& url);

}  // namespace uplift::notify
