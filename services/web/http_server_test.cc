// HttpServer's streaming answers against a real client on loopback: a
// stream may be ended (or written) the moment it is started, before its head
// has gone out, and the chunks still leave one write at a time, in order.
#include "services/web/http_server.h"

#include <gtest/gtest.h>

#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

namespace uplift::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

// One GET, the whole (de-chunked) body.
std::string Get(int port, const std::string& target) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  HttpRequest req(http::verb::get, target, 11);
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code ec;
  http::read(socket, buffer, res, ec);
  return ec ? "error: " + ec.message() : res.body();
}

TEST(HttpServerTest, AStreamEndedAtOnceWritesItsHeadThenItsChunksInOrder) {
  EventLoops loops(2);
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  HttpServer server(options, &loops, [](HttpRequest req, std::shared_ptr<HttpExchange> ex) {
    HttpResponse head(http::status::ok, req.version());
    head.set(http::field::content_type, "text/plain");
    // All three posted back to back: before the head's write completes.
    ex->StartStream(std::move(head));
    ex->WriteChunk("first,", nullptr);
    ex->EndStream("last");
  });
  ASSERT_TRUE(server.Start().ok());
  loops.Start();
  // Many times: the head's write and the first chunk's used to overlap,
  // which Beast refuses (an assertion; garbled output without assertions).
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(Get(server.port(), "/stream"), "first,last") << "round " << i;
  }
  loops.Stop();
}

}  // namespace
}  // namespace uplift::web
