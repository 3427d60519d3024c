// The test HTTP client.
#include "tests/support/http_client.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace uplift::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct HttpConnection {
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
  bool open = false;

  bool Connect(int port) {
    beast::error_code ec;
    socket.close(ec);
    socket = tcp::socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    buffer.clear();
    open = !ec;
    return open;
  }
  void SetReadTimeout(absl::Duration d) {
    timeval tv{static_cast<time_t>(absl::ToInt64Seconds(d)),
               static_cast<suseconds_t>(absl::ToInt64Microseconds(d) % 1000000)};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
};

namespace {

http::request<http::string_body> MakeRequest(const std::string& method, const std::string& path,
                                             const std::string& body, int port,
                                             const std::map<std::string, std::string>& headers,
                                             const std::string& content_type) {
  http::request<http::string_body> req(http::string_to_verb(method), path, 11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) {
    if (value.empty()) {
      req.erase(name);
    } else {
      req.set(name, value);
    }
  }
  req.body() = body;
  req.prepare_payload();
  return req;
}

template <class Response>
void CopyHeaders(const Response& res, HttpResult* out) {
  out->status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    std::string& slot = out->headers[name];
    if (!slot.empty()) slot += "\n";
    slot += std::string(field.value());
  }
}

}  // namespace

HttpClient::HttpClient(int port) : port_(port), conn_(std::make_unique<HttpConnection>()) {}
HttpClient::~HttpClient() = default;

std::string HttpClient::origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::map<std::string, std::string> HttpClient::BrowserHeaders() const {
  std::map<std::string, std::string> h;
  if (!browser_) return h;
  h["Origin"] = origin();
  h["Connect-Protocol-Version"] = "1";
  if (!session_.empty()) h["Cookie"] = "uplift_session=" + session_;
  return h;
}

void HttpClient::Remember(const HttpResult& result) {
  auto it = result.headers.find("set-cookie");
  if (it == result.headers.end()) return;
  for (absl::string_view cookie : absl::StrSplit(it->second, '\n')) {
    if (!absl::ConsumePrefix(&cookie, "uplift_session=")) continue;
    session_ = std::string(cookie.substr(0, cookie.find(';')));
  }
}

HttpResult HttpClient::Send(const std::string& method, const std::string& path,
                            const std::string& body,
                            const std::map<std::string, std::string>& headers,
                            const std::string& content_type) {
  std::map<std::string, std::string> all = BrowserHeaders();
  for (const auto& [k, v] : headers) all[k] = v;
  auto req = MakeRequest(method, path, body, port_, all, content_type);
  HttpResult out;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!conn_->open && !conn_->Connect(port_)) return out;
    conn_->SetReadTimeout(absl::Seconds(60));
    beast::error_code ec;
    http::write(conn_->socket, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    if (!ec) http::read(conn_->socket, conn_->buffer, parser, ec);
    if (ec) {
      conn_->open = false;  // the server closed a kept-alive connection: once more
      continue;
    }
    CopyHeaders(parser.get(), &out);
    out.body = parser.get().body();
    if (!parser.get().keep_alive()) conn_->open = false;
    Remember(out);
    return out;
  }
  return out;
}

HttpResult HttpClient::Post(const std::string& path, const std::string& body,
                            const std::map<std::string, std::string>& headers,
                            const std::string& content_type) {
  return Send("POST", path, body, headers, content_type);
}

HttpResult HttpClient::Get(const std::string& path) { return Send("GET", path, "", {}, ""); }

namespace {

class StreamImpl : public HttpClient::Stream {
 public:
  explicit StreamImpl(int port) { conn_.Connect(port); }
  bool Open(const http::request<http::string_body>& req) {
    beast::error_code ec;
    http::write(conn_.socket, req, ec);
    if (ec) return false;
    parser_.body_limit(64 << 20);
    conn_.SetReadTimeout(absl::Seconds(10));
    http::read_header(conn_.socket, conn_.buffer, parser_, ec);
    if (ec) return false;
    status_ = static_cast<int>(parser_.get().result_int());
    return true;
  }
  int status() const override { return status_; }
  const std::string& end_json() const override { return end_; }

  bool Next(std::string* json, absl::Duration timeout) override {
    const absl::Time deadline = absl::Now() + timeout;
    for (;;) {
      std::string& body = parser_.get().body();
      if (body.size() - used_ >= 5) {
        const auto b = [&](size_t i) {
          return static_cast<uint32_t>(static_cast<unsigned char>(body[used_ + i]));
        };
        const uint32_t n = b(1) << 24 | b(2) << 16 | b(3) << 8 | b(4);
        if (body.size() - used_ >= 5 + n) {
          const bool end = b(0) & 0x02;
          std::string message = body.substr(used_ + 5, n);
          used_ += 5 + n;
          if (end) {
            end_ = message;
            return false;
          }
          *json = message;
          return true;
        }
      }
      if (parser_.is_done() || absl::Now() >= deadline) return false;
      conn_.SetReadTimeout(std::max(absl::Milliseconds(10), deadline - absl::Now()));
      beast::error_code ec;
      http::read_some(conn_.socket, conn_.buffer, parser_, ec);
      if (ec && ec != net::error::would_block && ec != net::error::try_again) return false;
    }
  }

 private:
  HttpConnection conn_;
  http::response_parser<http::string_body> parser_;
  int status_ = 0;
  size_t used_ = 0;
  std::string end_;
};

}  // namespace

std::unique_ptr<HttpClient::Stream> HttpClient::OpenStream(
    const std::string& path, const std::string& json,
    const std::map<std::string, std::string>& headers) {
  std::map<std::string, std::string> all = BrowserHeaders();
  for (const auto& [k, v] : headers) all[k] = v;
  std::string body(5, '\0');
  const uint32_t n = json.size();
  body[1] = static_cast<char>(n >> 24);
  body[2] = static_cast<char>(n >> 16);
  body[3] = static_cast<char>(n >> 8);
  body[4] = static_cast<char>(n);
  body += json;
  auto stream = std::make_unique<StreamImpl>(port_);
  if (!stream->Open(MakeRequest("POST", path, body, port_, all, "application/connect+json"))) {
    return nullptr;
  }
  return stream;
}

}  // namespace uplift::testing
