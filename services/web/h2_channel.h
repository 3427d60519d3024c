// gRPC unary calls from the front door to one backend over one HTTP/2
// connection at a time, on one event loop, with nghttp2 for the framing.
// The front door's work per request is a few microseconds of its own; gRPC's
// client costs tens more, and hands every answer to a thread of its own
// (docs/web.md, Performance). So the unary calls the console and department
// systems make go out on the loop that read the request, and their answers
// are written by it. Server streams, the readiness check and the services'
// calls to each other stay on gRPC's client.
//
// Like a gRPC channel that does not wait for readiness: a backend that
// cannot be reached fails calls at once (UNAVAILABLE), and is tried again
// after a pause that grows from half a second to five; every call has a
// deadline, sent as grpc-timeout and kept here too; a call the backend
// refused unprocessed (GOAWAY, REFUSED_STREAM) is sent once more on a new
// connection; TLS with the suite's CA, client certificate and ALPN h2.
//
// Replicas: the address may name several backends ("a:p,b:q"), and every
// name is resolved again every 30 s to all of its addresses (one DNS name
// in front of every replica). Calls go round robin over the addresses, one
// connection to each; an address that cannot be reached is passed over
// while it pauses, and a call that was waiting for it goes to the next one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service_flags.h"

namespace uplift::web {

struct H2ChannelOptions {
  std::string backend;                             // "uplift-registry", for messages
  std::string address;                             // host:port, [v6]:port, comma-separated
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain TCP (h2c)
  std::string tls_server_name;                     // verified name; empty: the host
  uint64_t max_answer_bytes = 4 << 20;             // as gRPC's default
  absl::Duration connect_timeout = absl::Seconds(5);
  absl::Duration first_pause = absl::Milliseconds(500);
  absl::Duration longest_pause = absl::Seconds(5);
};

// The TLS context for backends from the suite's TLS flags (CA, client
// certificate), offering only HTTP/2; null when TLS is off.
absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> BackendTlsContext(const TlsFiles& tls);

struct H2Call {
  std::string path;           // "/uplift.registry.v1.EnterpriseRegistry/GetEnterprise"
  std::string authorization;  // "Bearer ..." or empty
  std::string message;        // the serialized request
  absl::Time deadline;
  std::string request_id;  // x-request-id, or empty
};
using H2Done = std::function<void(const absl::Status&, std::string response)>;

class H2Channel {
 public:
  // Checks the address; the connection opens with the first call.
  static absl::StatusOr<std::unique_ptr<H2Channel>> Create(boost::asio::io_context& loop,
                                                           H2ChannelOptions options);
  // Destroy with the loop stopped (or never run), before the loop itself.
  ~H2Channel();

  // On the loop's thread only. `done` runs once, on the loop's thread,
  // never before Unary returns.
  void Unary(H2Call call, H2Done done);

 private:
  struct Pending;   // a call and what has come back of it
  struct Finished;  // what a finished call hands back to the channel
  class Connection;
  struct Name {  // one backend as configured
    std::string host, port;
    bool literal;  // an IP address: nothing to resolve
  };
  struct Endpoint {  // one address a name resolved to (or the name itself)
    std::string host, port;
    const Name* name;
    std::shared_ptr<Connection> current;
    absl::Time paused_until = absl::InfinitePast();
    absl::Duration pause;
    absl::Status last_failure;
  };

  H2Channel(boost::asio::io_context& loop, H2ChannelOptions options, std::vector<Name> names);
  void Dispatch(std::unique_ptr<Pending> call);
  // The endpoint for the next call: round robin over those not pausing;
  // null when every one pauses.
  Endpoint* NextEndpoint();
  // Resolves every name again; the answers replace the endpoints, keeping
  // the connection and pause of an address that stays.
  void Resolve();
  // `addresses[i]`: what names_[i] resolved to.
  void SetEndpoints(const std::vector<std::vector<std::string>>& addresses);
  Endpoint* FindEndpoint(const std::string& host, const std::string& port);
  // From a connection: it opened, or it failed before it opened.
  void Opened(const std::string& host, const std::string& port);
  void FailedToOpen(const std::string& host, const std::string& port, const absl::Status& why);

  boost::asio::io_context& loop_;
  const H2ChannelOptions options_;
  const std::vector<Name> names_;
  std::vector<Endpoint> endpoints_;
  size_t turn_ = 0;
  bool resolving_ = false;
  absl::Time resolve_after_ = absl::InfinitePast();
};

}  // namespace uplift::web
