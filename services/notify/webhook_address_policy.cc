// Parsing, resolving and checking webhook addresses.
#include "services/notify/webhook_address_policy.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/validation.h"

namespace uplift::notify {
namespace {

// IPv4 addresses are kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one
// comparison covers both and a mapped address cannot slip past a v4 rule.
bool ParseAddress(absl::string_view text, in6_addr* out) {
  const std::string s(text);
  in_addr v4;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::memset(out, 0, sizeof(*out));
    out->s6_addr[10] = 0xff;
    out->s6_addr[11] = 0xff;
    std::memcpy(&out->s6_addr[12], &v4, 4);
    return true;
  }
  return inet_pton(AF_INET6, s.c_str(), out) == 1;
}

bool IsV4Mapped(const in6_addr& a) {
  for (int i = 0; i < 10; ++i) {
    if (a.s6_addr[i] != 0) return false;
  }
  return a.s6_addr[10] == 0xff && a.s6_addr[11] == 0xff;
}

std::string AddressText(const in6_addr& a) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (IsV4Mapped(a)) {
    inet_ntop(AF_INET, &a.s6_addr[12], buf, sizeof(buf));
  } else {
    inet_ntop(AF_INET6, &a, buf, sizeof(buf));
  }
  return buf;
}

absl::StatusOr<std::vector<Cidr>> ParseList(absl::string_view flag, absl::string_view text) {
  std::vector<Cidr> out;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    absl::StatusOr<Cidr> c = ParseCidr(absl::StripAsciiWhitespace(part));
    if (!c.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", c.status().message()));
    out.push_back(*c);
  }
  return out;
}

// Addresses no webhook should reach unless an operator says so.
const std::vector<Cidr>& RiskyRanges() {
  static const std::vector<Cidr>* const ranges = [] {
    auto* v = new std::vector<Cidr>();
    for (const char* c : {"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4",
                          "240.0.0.0/4", "100.100.100.200/32", "::/128", "::1/128", "fe80::/10",
                          "ff00::/8", "fd00:ec2::254/128"}) {
      v->push_back(*ParseCidr(c));
    }
    return v;
  }();
  return *ranges;
}

// The addresses of `host` as text, from getaddrinfo.
std::vector<std::string> LookUp(const std::string& host) {
  std::vector<std::string> out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return out;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {0};
    const void* raw =
        ai->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (inet_ntop(ai->ai_family, raw, buf, sizeof(buf)) != nullptr) out.push_back(buf);
  }
  freeaddrinfo(found);
  return out;
}

struct UrlParts {
  std::string scheme, host, port, user;
};

absl::StatusOr<UrlParts> SplitUrl(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  if (u == nullptr || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("is not a URL");
  }
  auto part = [&](CURLUPart p, unsigned flags) -> std::string {
    char* v = nullptr;
    if (curl_url_get(u.get(), p, &v, flags) != CURLUE_OK || v == nullptr) return "";
    std::string s(v);
    curl_free(v);
    return s;
  };
  UrlParts out;
  out.scheme = absl::AsciiStrToLower(part(CURLUPART_SCHEME, 0));
  const bool mail = out.scheme == "smtp" || out.scheme == "smtps";
  if (out.scheme != "http" && out.scheme != "https" && !mail) {
    return absl::InvalidArgumentError("must be an http://, https://, smtp:// or smtps:// URL");
  }
  // A mail server's URL names the account (its password is the secret).
  out.user = part(CURLUPART_USER, CURLU_URLDECODE);
  if ((!mail && !out.user.empty()) || !part(CURLUPART_PASSWORD, 0).empty()) {
    return absl::InvalidArgumentError("must not carry a user name or password");
  }
  out.host = part(CURLUPART_HOST, 0);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  out.port = part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (out.host.empty() || out.port.empty()) return absl::InvalidArgumentError("has no host");
  return out;
}

}  // namespace

absl::StatusOr<WebhookTarget> ParseUrlTarget(const std::string& url) {
  absl::StatusOr<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return parts.status();
  WebhookTarget t;
  t.scheme = parts->scheme;
  t.host = parts->host;
  t.user = parts->user;
  if (!absl::SimpleAtoi(parts->port, &t.port) || t.port <= 0 || t.port > 65535) {
    return absl::InvalidArgumentError("has a bad port");
  }
  return t;
}

std::string RedactedUrl(const std::string& url) {
  absl::StatusOr<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return "(invalid URL)";
  const bool v6 = parts->host.find(':') != std::string::npos;
  return absl::StrCat(parts->scheme, "://", v6 ? "[" : "", parts->host, v6 ? "]" : "", ":",
                      parts->port, "/…");
}

bool Cidr::Contains(const in6_addr& a) const {
  int bits = prefix;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a.s6_addr[i] & mask) != (address.s6_addr[i] & mask)) return false;
  }
  return true;
}

absl::StatusOr<Cidr> ParseCidr(absl::string_view text) {
  Cidr c;
  std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('/', 1));
  if (!ParseAddress(parts.first, &c.address)) {
    return absl::InvalidArgumentError(absl::StrCat(QuoteInput(text), " is not an address or CIDR"));
  }
  const bool v4 = IsV4Mapped(c.address);
  int prefix = v4 ? 32 : 128;
  if (!parts.second.empty() && (!absl::SimpleAtoi(parts.second, &prefix) || prefix < 0 ||
                                prefix > (v4 ? 32 : 128))) {
    return absl::InvalidArgumentError(absl::StrCat(QuoteInput(text), " has a bad prefix length"));
  }
  c.prefix = v4 ? prefix + 96 : prefix;
  return c;
}

absl::StatusOr<WebhookAddressPolicy> WebhookAddressPolicy::Parse(
    absl::string_view allow, absl::string_view deny,
    const std::vector<std::string>& deny_endpoints) {
  WebhookAddressPolicy p;
  absl::StatusOr<std::vector<Cidr>> a = ParseList("--webhook-allow", allow);
  if (!a.ok()) return a.status();
  absl::StatusOr<std::vector<Cidr>> d = ParseList("--webhook-deny", deny);
  if (!d.ok()) return d.status();
  p.allow_ = std::move(*a);
  p.deny_ = std::move(*d);
  p.risky_ = RiskyRanges();
  for (const std::string& endpoint : deny_endpoints) p.DenyEndpoint(endpoint);
  return p;
}

void WebhookAddressPolicy::DenyEndpoint(const std::string& endpoint) {
  const size_t colon = endpoint.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(endpoint.substr(colon + 1), &port)) return;
  std::string host = endpoint.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  // A listener on every interface (0.0.0.0, ::) is reachable at every
  // address of the host: deny that port whatever the address.
  in6_addr any{};
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    deny_endpoints_.push_back({any, port});
    return;
  }
  for (const std::string& text : LookUp(host)) {
    in6_addr addr;
    if (ParseAddress(text, &addr)) deny_endpoints_.push_back({addr, port});
  }
}

absl::Status WebhookAddressPolicy::Check(const in6_addr& address, int port) const {
  static const in6_addr kAny{};
  for (const auto& [a, p] : deny_endpoints_) {
    if (p == port && (std::memcmp(&a, &kAny, sizeof(a)) == 0 || std::memcmp(&a, &address, sizeof(a)) == 0)) {
      return absl::PermissionDeniedError("the address is one of this system's own services");
    }
  }
  for (const Cidr& c : deny_) {
    if (c.Contains(address)) return absl::PermissionDeniedError("the address is denied by the operator");
  }
  bool allowed_explicitly = false;
  for (const Cidr& c : allow_) allowed_explicitly = allowed_explicitly || c.Contains(address);
  if (!allow_.empty() && !allowed_explicitly) {
    return absl::PermissionDeniedError("the address is outside the networks webhooks may reach");
  }
  if (!allowed_explicitly) {
    for (const Cidr& c : risky_) {
      if (c.Contains(address)) {
        return absl::PermissionDeniedError(
            "the address is loopback, link-local, multicast or a cloud metadata address");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WebhookTarget> WebhookAddressPolicy::Resolve(const std::string& url) const {
  absl::StatusOr<WebhookTarget> parsed = ParseUrlTarget(url);
  if (!parsed.ok()) return parsed.status();
  WebhookTarget t = std::move(*parsed);
  // An address written in the URL is that address; only names are resolved.
  in6_addr literal;
  const std::vector<std::string> addresses = ParseAddress(t.host, &literal)
                                                 ? std::vector<std::string>{t.host}
                                             : resolver_ ? resolver_(t.host)
                                                         : LookUp(t.host);
  if (addresses.empty()) return absl::UnavailableError("its host does not resolve");
  absl::Status refused = absl::OkStatus();
  for (const std::string& text : addresses) {
    in6_addr addr;
    if (!ParseAddress(text, &addr)) continue;
    // Every address must pass: a name that resolves to a public and a
    // private address is refused, not tried until the private one answers.
    absl::Status s = Check(addr, t.port);
    if (!s.ok()) {
      refused = s;
      break;
    }
    if (t.address.empty()) t.address = AddressText(addr);
  }
  if (!refused.ok()) return refused;
  if (t.address.empty()) return absl::UnavailableError("its host does not resolve");
  return t;
}

}  // namespace uplift::notify
