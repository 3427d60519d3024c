// A real HTTP server on 127.0.0.1 for webhook tests: records every request
// and answers as the test says (a status, after an optional delay). It can
// be stopped (connections refused) and started again on the same port.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace uplift::testing {

class HttpReceiver {
 public:
  struct Request {
    std::string method, path, body;
    std::map<std::string, std::string> headers;  // lower-case names
    absl::Time time;
    int answered = 0;  // the status we answered with
  };
  struct Response {
    int status = 200;
    absl::Duration delay;
  };
  using Behavior = std::function<Response(const Request&, int index)>;

  HttpReceiver();
  ~HttpReceiver();
  void Start();
  void Stop();
  int port() const { return port_; }
  std::string url(const std::string& path = "/hooks/uplift") const;
  void SetBehavior(Behavior behavior);
  std::vector<Request> requests() const;
  // Requests answered 2xx, by X-Uplift-Notification-Id: how many times each.
  std::map<std::string, int> Delivered() const;

 private:
  void Accept();
  void Serve(int fd);

  int port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> running_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<Request> requests_;
  Behavior behavior_;
};

}  // namespace uplift::testing
