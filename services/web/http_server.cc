// The Beast server: a listener, and one connection object per client,
// plain or TLS, each on its own strand.
#include "services/web/http_server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/web/connect_protocol.h"

namespace uplift::web {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

HttpResponse TooLargeResponse(uint64_t limit, unsigned version) {
  HttpResponse res(http::status::payload_too_large, version);
  res.set(http::field::content_type, "application/json");
  res.body() = ConnectErrorJson(absl::ResourceExhaustedError(
      absl::StrCat("request body: larger than the limit of ", limit,
                   " bytes; import files with upliftctl, which streams them")));
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

namespace {

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return absl::ToChronoNanoseconds(d);
}

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(Stream stream, const HttpServerOptions* options, const HttpHandler* handler,
             std::string address, bool secure)
      : stream_(std::move(stream)),
        options_(options),
        handler_(handler),
        address_(std::move(address)),
        secure_(secure) {}

  static constexpr bool kPlain = std::is_same_v<Stream, beast::tcp_stream>;

  void Run() {
    if constexpr (kPlain) {
      // Only the answers written in place (Answer) are affected: asio's
      // own operations never block either way.
      beast::error_code ignored;
      stream_.socket().non_blocking(true, ignored);
      Read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(Chrono(options_->read_timeout));
      stream_.async_handshake(net::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->Read();
                              });
    }
  }

  // Everything below runs on the connection's strand, but for Answer.
  void Read() {
    parser_.emplace();
    parser_->body_limit(options_->body_limit);
    beast::get_lowest_layer(stream_).expires_after(Chrono(options_->read_timeout));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      WriteThenDrain(TooLargeResponse(options_->body_limit, parser_->get().version()));
      return;
    }
    if (ec) return Close();  // closed, timed out or malformed
    HttpRequest request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    beast::get_lowest_layer(stream_).expires_never();
    (*handler_)(std::move(request), std::make_shared<Exchange>(this->shared_from_this()));
  }

  // The answer to the request handed to the handler; called once, from any
  // thread. Between handing a request over and its answer the connection
  // has no operation in flight, so the caller's thread may write it: a
  // plain socket that takes the whole answer at once (the usual case for a
  // small answer) spares the hop to the strand and the wake-up of an HTTP
  // thread. The rest of a partly taken answer, and every TLS answer, is
  // written on the strand.
  void Answer(HttpResponse response) {
    auto res = std::make_shared<HttpResponse>(std::move(response));
    res->version(version_);
    res->keep_alive(keep_alive_);
    res->prepare_payload();
    auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*res);
    if constexpr (kPlain) {
      beast::error_code ec;
      http::write(stream_.socket(), *serializer, ec);  // the socket does not block
      if (!ec) return AfterAnswer(res->keep_alive());
      if (ec != net::error::would_block) return Close();
    }
    net::post(stream_.get_executor(), [self = this->shared_from_this(), res, serializer] {
      beast::get_lowest_layer(self->stream_).expires_after(Chrono(self->options_->write_timeout));
      http::async_write(self->stream_, *serializer,
                        [self, res, serializer](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->AfterAnswer(res->keep_alive());
                        });
    });
  }
  void AfterAnswer(bool keep_alive) {
    if (keep_alive) return Read();
    Close();
  }

  // Answers a request whose body is still arriving, then reads and drops
  // the rest for a while before closing: closing with unread data would
  // reset the connection and the client would never see the answer.
  void WriteThenDrain(HttpResponse response) {
    auto res = std::make_shared<HttpResponse>(std::move(response));
    beast::get_lowest_layer(stream_).expires_after(Chrono(options_->write_timeout));
    http::async_write(
        stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          beast::error_code ignored;
          beast::get_lowest_layer(self->stream_)
              .socket()
              .shutdown(tcp::socket::shutdown_send, ignored);
          beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(5));
          self->Drain(static_cast<uint64_t>(64) << 20);
        });
  }
  void Drain(uint64_t budget) {
    stream_.async_read_some(net::buffer(drain_), [self = this->shared_from_this(), budget](
                                                     beast::error_code ec, size_t n) {
      if (ec || n >= budget) return self->Close();
      self->Drain(budget - n);
    });
  }

  void StartStream(HttpResponse head) {
    streaming_ = true;
    auto res = std::make_shared<http::response<http::empty_body>>(head.result(), version_);
    for (const auto& field : head) res->set(field.name_string(), field.value());
    res->chunked(true);
    res->keep_alive(false);
    auto serializer = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    beast::get_lowest_layer(stream_).expires_after(Chrono(options_->write_timeout));
    // The head is a write like the chunks: none may start until it is done
    // (one write at a time on a Beast stream).
    writing_ = true;
    http::async_write_header(
        stream_, *serializer,
        [self = this->shared_from_this(), res, serializer](beast::error_code ec, size_t) {
          beast::get_lowest_layer(self->stream_).expires_never();
          self->writing_ = false;
          if (ec) return self->Gone();
          self->WatchForClose();
          self->Flush();
        });
  }

  // A stream's client sends nothing more; a read that ends means it left.
  void WatchForClose() {
    stream_.async_read_some(net::buffer(probe_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec)
                                self->Gone();
                              else
                                self->WatchForClose();
                            });
  }

  // Chunks queued before the head went out, or while a write runs.
  struct Pending {
    std::string data;
    std::function<void(bool)> done;
    bool last;
  };
  void Queue(Pending p) {
    pending_.push_back(std::move(p));
    Flush();
  }
  void Flush() {
    if (writing_ || pending_.empty() || !head_sent()) return;
    if (gone_) {
      for (Pending& p : pending_)
        if (p.done) p.done(false);
      pending_.clear();
      return;
    }
    writing_ = true;
    auto p = std::make_shared<Pending>(std::move(pending_.front()));
    pending_.pop_front();
    auto on_written = [self = this->shared_from_this(), p](beast::error_code ec, size_t) {
      beast::get_lowest_layer(self->stream_).expires_never();
      self->writing_ = false;
      if (ec) self->Gone();
      if (p->done) p->done(!ec);
      if (p->last || ec) return self->Close();
      self->Flush();
    };
    beast::get_lowest_layer(stream_).expires_after(Chrono(options_->write_timeout));
    if (p->last) {
      auto chunks = std::make_shared<std::string>(std::move(p->data));
      if (chunks->empty()) {
        net::async_write(stream_, http::make_chunk_last(), on_written);
      } else {
        net::async_write(
            stream_, http::make_chunk(net::buffer(*chunks)),
            [self = this->shared_from_this(), chunks, on_written](beast::error_code ec, size_t n) {
              if (ec) return on_written(ec, n);
              net::async_write(self->stream_, http::make_chunk_last(), on_written);
            });
      }
    } else {
      net::async_write(stream_, http::make_chunk(net::buffer(p->data)), on_written);
    }
  }
  bool head_sent() const { return streaming_; }

  void Gone() {
    if (gone_) return;
    gone_ = true;
    if (on_gone_) on_gone_();
    on_gone_ = nullptr;
    Flush();
  }

  void Close() {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  class Exchange : public HttpExchange {
   public:
    explicit Exchange(std::shared_ptr<Connection> c) : c_(std::move(c)) {}
    void Reply(HttpResponse response) override { c_->Answer(std::move(response)); }
    void StartStream(HttpResponse head) override {
      net::post(c_->stream_.get_executor(),
                [c = c_, h = std::move(head)]() mutable { c->StartStream(std::move(h)); });
    }
    void WriteChunk(std::string data, std::function<void(bool)> done) override {
      net::post(c_->stream_.get_executor(),
                [c = c_, d = std::move(data), done = std::move(done)]() mutable {
                  c->Queue({std::move(d), std::move(done), false});
                });
    }
    void EndStream(std::string last) override {
      net::post(c_->stream_.get_executor(), [c = c_, d = std::move(last)]() mutable {
        c->Queue({std::move(d), nullptr, true});
      });
    }
    void OnClientGone(std::function<void()> fn) override {
      net::post(c_->stream_.get_executor(), [c = c_, fn = std::move(fn)]() mutable {
        if (c->gone_) {
          fn();
        } else {
          c->on_gone_ = std::move(fn);
        }
      });
    }
    const std::string& client_address() const override { return c_->address_; }
    bool secure() const override { return c_->secure_; }

   private:
    std::shared_ptr<Connection> c_;
  };

 private:
  Stream stream_;
  const HttpServerOptions* options_;
  const HttpHandler* handler_;
  const std::string address_;
  const bool secure_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool streaming_ = false;
  bool writing_ = false;
  bool gone_ = false;
  std::function<void()> on_gone_;
  std::deque<Pending> pending_;
  char probe_[64];
  char drain_[16384];
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler handler;
  EventLoops* loops;
  int next_loop = 0;  // touched only by the accepting loop
  std::optional<net::ssl::context> tls;
  std::optional<tcp::acceptor> acceptor;

  // Connections take turns over the loops.
  void Accept() {
    net::io_context& loop = loops->loop(next_loop++ % loops->size());
    acceptor->async_accept(net::make_strand(loop), [this](beast::error_code ec, tcp::socket s) {
      if (ec) {
        if (ec == net::error::operation_aborted) return;
        spdlog::warn("http accept: {}", ec.message());
      } else {
        beast::error_code ignored;
        const tcp::endpoint peer = s.remote_endpoint(ignored);
        const std::string address = peer.address().to_string();
        if (tls) {
          std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
              beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(s)), *tls), &options,
              &handler, address, true)
              ->Run();
        } else {
          std::make_shared<Connection<beast::tcp_stream>>(beast::tcp_stream(std::move(s)), &options,
                                                          &handler, address, false)
              ->Run();
        }
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, EventLoops* loops, HttpHandler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->loops = loops;
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() = default;

absl::Status HttpServer::Start() {
  const HttpServerOptions& o = impl_->options;
  const size_t colon = o.listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(o.listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http-listen: ", o.listen, " is not host:port"));
  }
  std::string host = o.listen.substr(0, colon);
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--http-listen: bad host ", host));
  if (!o.tls_cert.empty()) {
    impl_->tls.emplace(net::ssl::context::tls_server);
    impl_->tls->set_options(net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1 |
                            net::ssl::context::default_workarounds);
    impl_->tls->use_certificate_chain_file(o.tls_cert, ec);
    if (!ec) impl_->tls->use_private_key_file(o.tls_key, net::ssl::context::pem, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls-cert/--tls-key for HTTP: ", ec.message()));
    }
  }
  impl_->acceptor.emplace(impl_->loops->loop(0));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", o.listen, ": ", ec.message()));
  }
  port_ = impl_->acceptor->local_endpoint().port();
  impl_->Accept();
  return absl::OkStatus();
}

}  // namespace uplift::web
