// uplift-web: wiring only. Accounts over gRPC on the shared service
// runtime; the HTTP front door (sessions, every RPC over HTTP/JSON, the
// console's files) on its own port, started once the gRPC port is known.
#include <spdlog/spdlog.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "common/secret_files.h"
#include "common/service_runtime.h"
#include "common/suite_catalog.h"
#include "services/web/accounts_grpc.h"
#include "services/web/accounts_schema.h"
#include "services/web/accounts_service.h"
#include "services/web/http_metrics.h"
#include "services/web/http_server.h"
#include "services/web/registry_links.h"
#include "services/web/web_front.h"

namespace {

int Fail(const absl::Status& s) {
  spdlog::critical("uplift-web cannot start: {}", std::string(s.message()));
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace uplift::web;
  uplift::ServiceRuntime rt("uplift-web",
                            "the front door: accounts, sessions, every RPC over HTTP/JSON",
                            {AccountsMigrations()});
  std::string http_listen = "127.0.0.1:8080", max_body = "4MB", signing_key, console_dir;
  std::string public_origin, cors_origins, admin_password_file, http_port_file;
  int sign_in_rate = 10;
  std::string http_tls_cert, http_tls_key, http_read_timeout = "30s";
  std::string session_idle = "1h", session_max_age = "12h", token_lifetime = "30m";
  int http_threads = 2, backend_connections = 2;
  std::string password_cost = "interactive";
  std::map<std::string, std::string> backend_addrs;
  CLI::App& app = rt.app();
  app.add_option("--http-listen", http_listen, "where people and HTTP systems connect")
      ->envname("UPLIFT_WEB_HTTP_LISTEN")
      ->capture_default_str();
  app.add_option("--http-port-file", http_port_file, "where to write the bound HTTP port (tests)")
      ->envname("UPLIFT_WEB_HTTP_PORT_FILE");
  app.add_option("--http-tls-cert", http_tls_cert,
                 "serve HTTPS with this certificate chain (default: --tls-cert)")
      ->envname("UPLIFT_WEB_HTTP_TLS_CERT");
  app.add_option("--http-tls-key", http_tls_key, "its private key (default: --tls-key)")
      ->envname("UPLIFT_WEB_HTTP_TLS_KEY");
  app.add_option("--http-read-timeout", http_read_timeout,
                 "a request must arrive whole within this; idle connections close after it")
      ->envname("UPLIFT_WEB_HTTP_READ_TIMEOUT")
      ->capture_default_str();
  app.add_option("--http-threads", http_threads,
                 "event loops serving HTTP connections, each with its own connection to each "
                 "backend for unary calls")
      ->envname("UPLIFT_WEB_HTTP_THREADS")
      ->capture_default_str();
  app.add_option("--backend-connections", backend_connections,
                 "gRPC connections to each backend that server streams take turns over")
      ->envname("UPLIFT_WEB_BACKEND_CONNECTIONS")
      ->capture_default_str();
  app.add_option("--sign-in-rate", sign_in_rate,
                 "sign-in attempts a minute from one client address (offices behind one NAT "
                 "share an address)")
      ->check(CLI::Range(1, 10000))
      ->envname("UPLIFT_WEB_SIGN_IN_RATE")
      ->capture_default_str();
  app.add_option("--password-cost", password_cost,
                 "argon2id cost: interactive (64 MiB, 2 passes), or minimal for tests only")
      ->envname("UPLIFT_WEB_PASSWORD_COST")
      ->capture_default_str();
  app.add_option("--max-body", max_body, "the largest request body accepted")
      ->envname("UPLIFT_WEB_MAX_BODY")
      ->capture_default_str();
  app.add_option("--public-origin", public_origin,
                 "the console's origin (https://host[:port]); default: each request's own")
      ->envname("UPLIFT_WEB_PUBLIC_ORIGIN");
  app.add_option("--cors-origins", cors_origins,
                 "other origins (comma-separated) whose pages may call with bearer tokens")
      ->envname("UPLIFT_WEB_CORS_ORIGINS");
  app.add_option("--console-dir", console_dir, "the built web console (web/dist)")
      ->envname("UPLIFT_WEB_CONSOLE_DIR");
  app.add_option("--admin-password-file", admin_password_file,
                 "where the first start writes the admin account's password "
                 "(default <data-dir>/admin.password)")
      ->envname("UPLIFT_WEB_ADMIN_PASSWORD_FILE");
  app.add_option("--session-idle", session_idle, "a session unused this long ends")
      ->envname("UPLIFT_WEB_SESSION_IDLE")
      ->capture_default_str();
  app.add_option("--session-max-age", session_max_age, "a session ends this long after sign-in")
      ->envname("UPLIFT_WEB_SESSION_MAX_AGE")
      ->capture_default_str();
  app.add_option("--session-token-lifetime", token_lifetime,
                 "the lifetime of a session's bearer token (at most 12h), renewed at half")
      ->envname("UPLIFT_WEB_SESSION_TOKEN_LIFETIME")
      ->capture_default_str();
  rt.RequireAddress(&signing_key, "--token-signing-key", "UPLIFT_WEB_TOKEN_SIGNING_KEY",
                    "the deployment's token signing key (auth/private/tokens.key)");
  for (const uplift::suite::v1::Service& s : uplift::SuiteTopology().services()) {
    if (s.name() == "uplift-web") continue;
    const std::string lower = absl::AsciiStrToLower(s.env());
    rt.RequireAddress(&backend_addrs[s.name()], "--" + lower + "-addr",
                      "UPLIFT_" + s.env() + "_ADDR", "the " + s.name() + " address");
  }
  if (std::optional<int> exit = rt.Init(argc, argv)) return *exit;

  absl::StatusOr<int64_t> body_limit = uplift::ParseSizeFlag("--max-body", max_body);
  absl::StatusOr<absl::Duration> idle = uplift::ParseDurationFlag("--session-idle", session_idle);
  absl::StatusOr<absl::Duration> read_timeout =
      uplift::ParseDurationFlag("--http-read-timeout", http_read_timeout);
  absl::StatusOr<absl::Duration> max_age =
      uplift::ParseDurationFlag("--session-max-age", session_max_age);
  absl::StatusOr<absl::Duration> lifetime =
      uplift::ParseDurationFlag("--session-token-lifetime", token_lifetime);
  absl::StatusOr<uplift::TokenSigner> signer = uplift::TokenSigner::FromPemFile(signing_key);
  absl::StatusOr<std::unique_ptr<RpcCatalog>> catalog = RpcCatalog::FromSuite();
  for (const absl::Status& s :
       {body_limit.status(), idle.status(), read_timeout.status(), max_age.status(),
        lifetime.status(), signer.status(), catalog.status()}) {
    if (!s.ok()) return Fail(s);
  }
  if (*lifetime > absl::Hours(12)) {
    return Fail(absl::InvalidArgumentError("--session-token-lifetime: at most 12h"));
  }
  if (http_tls_cert.empty()) {
    http_tls_cert = rt.flags().tls.cert;
    http_tls_key = rt.flags().tls.key;
  }
  if (http_tls_cert.empty() != http_tls_key.empty()) {
    return Fail(absl::InvalidArgumentError("--http-tls-cert and --http-tls-key go together"));
  }
  if (http_tls_cert.empty() && !uplift::IsLoopbackListen(http_listen) &&
      !rt.flags().allow_insecure_listen) {
    return Fail(absl::InvalidArgumentError(
        "--http-listen beyond loopback would carry passwords in clear: set --http-tls-cert and "
        "--http-tls-key (or --tls-cert and --tls-key), or --allow-insecure-listen behind a TLS "
        "proxy"));
  }
  // A few connections to each backend, so that more than one thread reads
  // their answers (--backend-connections).
  std::map<std::string, std::vector<std::shared_ptr<grpc::Channel>>> channels;
  for (const auto& [name, addr] : backend_addrs) {
    for (int i = 1; i <= std::max(1, backend_connections); ++i) {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = rt.Channel(addr, i);
      if (!channel.ok()) return Fail(channel.status());
      channels[name].push_back(*channel);
    }
  }

  absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> backend_tls =
      BackendTlsContext(rt.flags().tls);
  if (!backend_tls.ok()) return Fail(backend_tls.status());

  SessionOptions session_options;
  session_options.idle = *idle;
  session_options.max_age = *max_age;
  session_options.token_lifetime = *lifetime;
  for (const uplift::suite::v1::Service& s : uplift::SuiteTopology().services()) {
    session_options.audiences.push_back(s.name());
  }
  if (password_cost != "interactive" && password_cost != "minimal") {
    return Fail(absl::InvalidArgumentError("--password-cost: interactive or minimal"));
  }
  if (password_cost == "minimal") {
    spdlog::warn("uplift-web hashes passwords at the minimal cost (--password-cost): for tests "
                 "only, never for real passwords");
  }
  PasswordHasher hasher(password_cost == "minimal" ? PasswordCost::Minimal()
                                                   : PasswordCost::Interactive());
  SignInThrottle throttle(rt.clock(), sign_in_rate, sign_in_rate);
  SessionManager sessions(rt.db(), rt.clock(), &hasher, &*signer, &throttle, session_options);
  RegistryLinks registry(channels["uplift-registry"].front(), rt.service_token());
  AccountsService accounts(rt.db(), rt.clock(), &hasher, &sessions, &registry);
  if (admin_password_file.empty()) admin_password_file = rt.flags().data_dir + "/admin.password";
  absl::StatusOr<bool> made_admin = accounts.CreateFirstAdmin(admin_password_file);
  if (!made_admin.ok()) return Fail(made_admin.status());
  if (*made_admin) {
    spdlog::warn(
        "created the account admin (ADMIN); its password is in {} (change it at first "
        "sign-in)",
        admin_password_file);
  }
  rt.Every("revoke-ended-sessions", absl::Seconds(2), [&sessions, &registry] {
    sessions.RevokeEnded([&registry](const std::string& id, absl::Time expires) {
      return registry.Revoke(id, expires, "the session ended");
    });
  });

  WebFrontOptions front_options;
  front_options.public_origin = public_origin;
  front_options.cors_origins = absl::StrSplit(cors_origins, ',', absl::SkipWhitespace());
  StaticFiles files(console_dir);
  MessageCodec codec;
  HttpMetrics http_metrics(&rt.metrics(), catalog->get());
  // Declared before what runs on them, so they outlive it.
  EventLoops loops(http_threads);
  std::unique_ptr<Backends> backends;
  std::unique_ptr<WebFront> front;
  std::unique_ptr<HttpServer> http;
  rt.OnServing([&](int grpc_port) {
    channels["uplift-web"] = {*rt.Channel("127.0.0.1:" + std::to_string(grpc_port))};
    std::map<std::string, std::string> addresses = backend_addrs;
    addresses["uplift-web"] = "127.0.0.1:" + std::to_string(grpc_port);
    H2ChannelOptions unary;
    unary.tls = *backend_tls;
    unary.tls_server_name = rt.flags().tls.server_name_override;
    absl::StatusOr<std::unique_ptr<Backends>> made =
        Backends::Create(channels, addresses, &loops, unary);
    if (!made.ok()) {
      spdlog::critical("uplift-web: {}", std::string(made.status().message()));
      std::exit(2);
    }
    backends = std::move(*made);
    front = std::make_unique<WebFront>(
        front_options, catalog->get(), &codec, backends.get(), &sessions, &files,
        [&backends] { return backends->CheckReady(absl::Seconds(1)); });
    sessions.SetEndListener([&front](const std::string& login, const std::string& hash) {
      front->EndStreamsOf(login, hash);
    });
  });
  rt.Add(
      [&] {
        HttpServerOptions o;
        o.listen = http_listen;
        o.body_limit = static_cast<uint64_t>(*body_limit);
        o.read_timeout = *read_timeout;
        o.tls_cert = http_tls_cert;
        o.tls_key = http_tls_key;
        http = std::make_unique<HttpServer>(
            o, &loops, [&front, &http_metrics](HttpRequest r, std::shared_ptr<HttpExchange> e) {
              std::shared_ptr<HttpExchange> counted = http_metrics.Count(r, std::move(e));
              front->Handle(std::move(r), std::move(counted));
            });
        const absl::Status started = http->Start();
        if (!started.ok()) {
          spdlog::critical("uplift-web: {}", std::string(started.message()));
          std::exit(2);
        }
        loops.Start();
        spdlog::info("uplift-web serves HTTP on {} (port {})", http_listen, http->port());
        if (!http_port_file.empty()) {
          std::remove(http_port_file.c_str());
          (void)uplift::WriteNewFile(http_port_file, std::to_string(http->port()) + "\n", 0644);
        }
      },
      [&] { loops.Stop(); });
  AccountsGrpcService accounts_grpc(&accounts, &rt.auth());
  return rt.Serve({&accounts_grpc});
}
