// A small blocking HTTP/1.1 server: one thread per connection, Connection: close.
#include "tests/support/http_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace uplift::testing {

HttpReceiver::HttpReceiver() {
  behavior_ = [](const Request&, int) { return Response{}; };
  Start();
}

HttpReceiver::~HttpReceiver() { Stop(); }

void HttpReceiver::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("HttpReceiver: cannot listen");
  }
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  running_ = true;
  acceptor_ = std::thread([this] { Accept(); });
}

void HttpReceiver::Stop() {
  if (!running_) return;
  running_ = false;
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (std::thread& t : workers) t.join();
}

std::string HttpReceiver::url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void HttpReceiver::SetBehavior(Behavior behavior) {
  std::lock_guard<std::mutex> lock(mu_);
  behavior_ = std::move(behavior);
}

std::vector<HttpReceiver::Request> HttpReceiver::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::map<std::string, int> HttpReceiver::Delivered() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, int> out;
  for (const Request& r : requests_) {
    auto id = r.headers.find("x-uplift-notification-id");
    if (r.answered >= 200 && r.answered < 300 && id != r.headers.end()) ++out[id->second];
  }
  return out;
}

void HttpReceiver::Accept() {
  while (running_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void HttpReceiver::Serve(int fd) {
  std::string data;
  char buf[4096];
  size_t header_end = std::string::npos;
  while (header_end == std::string::npos) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) {
      close(fd);
      return;
    }
    data.append(buf, n);
    header_end = data.find("\r\n\r\n");
  }
  Request req;
  req.time = absl::Now();
  std::vector<std::string> lines = absl::StrSplit(data.substr(0, header_end), "\r\n");
  std::vector<std::string> first = absl::StrSplit(lines[0], ' ');
  if (first.size() >= 2) req.method = first[0], req.path = first[1];
  size_t length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    const std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    const std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    req.headers[name] = value;
    if (name == "content-length" && !absl::SimpleAtoi(value, &length)) {
      close(fd);  // a sender that says no length it means is broken: it sees the drop
      return;
    }
  }
  req.body = data.substr(header_end + 4);
  while (req.body.size() < length) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    req.body.append(buf, n);
  }
  Behavior behavior;
  int index;
  {
    std::lock_guard<std::mutex> lock(mu_);
    behavior = behavior_;
    index = static_cast<int>(requests_.size());
  }
  const Response resp = behavior(req, index);
  req.answered = resp.status;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
  }
  if (resp.delay > absl::ZeroDuration()) absl::SleepFor(resp.delay);
  const std::string out = absl::StrCat("HTTP/1.1 ", resp.status, " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  (void)!write(fd, out.data(), out.size());
  close(fd);
}

}  // namespace uplift::testing
