// Unit tests of the Connect protocol's rules, the session cookie parser,
// the RPC catalog (every RPC of every service of the suite, read from the
// descriptors) and the JSON codec's errors.
#include <gtest/gtest.h>

#include "common/suite_catalog.h"
#include "services/web/connect_protocol.h"
#include "services/web/rpc_catalog.h"
#include "services/web/web_front.h"
#include "uplift/registry/v1/registry.pb.h"

namespace uplift::web {
namespace {

TEST(ConnectProtocol, MapsEveryCodeToTheProtocolsNameAndHttpStatus) {
  EXPECT_EQ(ConnectCode(absl::StatusCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOfCode(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(ConnectCode(absl::StatusCode::kCancelled), "canceled");
}

TEST(ConnectProtocol, ErrorBodiesAreJsonWhateverTheMessageHolds) {
  EXPECT_EQ(ConnectErrorJson(absl::InvalidArgumentError("name: \"x\"\n\x01 承安镇")),
            "{\"code\":\"invalid_argument\",\"message\":\"name: \\\"x\\\"\\u000a\\u0001 承安镇\"}");
  EXPECT_EQ(JsonQuote(std::string("a\xff"
                                  "b")),
            "\"a\\ufffdb\"");
}

TEST(ConnectProtocol, EnvelopesFrameOneMessageAndEndTheStream) {
  const std::string e = Envelope(0, "{\"unitId\":\"a\"}");
  ASSERT_EQ(e.size(), 5u + 14u);
  EXPECT_EQ(*SingleEnvelopePayload(e), "{\"unitId\":\"a\"}");
  EXPECT_EQ(SingleEnvelopePayload(e.substr(0, 10)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SingleEnvelopePayload(std::string("\x01\0\0\0\0", 5)).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(SingleEnvelopePayload("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EndStreamEnvelope(absl::OkStatus()), Envelope(kEnvelopeEndStream, "{}"));
  EXPECT_EQ(EndStreamEnvelope(absl::UnauthenticatedError("gone")).substr(5),
            "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"gone\"}}");
}

TEST(ConnectProtocol, TimeoutsAreWholePositiveMilliseconds) {
  EXPECT_EQ(*ParseConnectTimeout("1500"), absl::Milliseconds(1500));
  for (const char* bad : {"", "0", "-5", "1.5", "12345678901", "10s"}) {
    EXPECT_EQ(ParseConnectTimeout(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ConnectProtocol, FindsTheSessionCookieAmongOthers) {
  EXPECT_EQ(CookieValue("a=1; uplift_session=abc; b=2", "uplift_session"), "abc");
  EXPECT_EQ(CookieValue("xuplift_session=abc", "uplift_session"), "");
  EXPECT_EQ(CookieValue("", "uplift_session"), "");
}

TEST(RpcCatalogTest, RoutesEveryMethodOfEveryServiceOfTheSuite) {
  std::unique_ptr<RpcCatalog> catalog = *RpcCatalog::FromSuite();
  int methods = 0;
  for (const suite::v1::Service& s : SuiteTopology().services()) {
    for (const std::string& name : s.grpc_services()) {
      const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
      ASSERT_NE(d, nullptr) << name;
      for (int i = 0; i < d->method_count(); ++i, ++methods) {
        const RpcRoute* r = catalog->Find("/" + name + "/" + d->method(i)->name());
        ASSERT_NE(r, nullptr) << name << "/" << d->method(i)->name();
        EXPECT_EQ(r->backend, s.name());
      }
    }
  }
  EXPECT_EQ(static_cast<int>(catalog->All().size()), methods);
  EXPECT_GT(methods, 70);
  EXPECT_TRUE(catalog->Find("/uplift.notify.v1.Notification/Subscribe")->server_streaming);
  EXPECT_EQ(catalog->Find("/uplift.accounts.v1.Accounts/SignIn")->backend, "uplift-web");
  EXPECT_EQ(catalog->Find("/uplift.registry.v1.EnterpriseRegistry/Nope"), nullptr);
}

TEST(MessageCodecTest, NamesTheFieldOfABadValue) {
  MessageCodec codec;
  const auto* type = uplift::registry::v1::ListEnterprisesRequest::descriptor();
  EXPECT_EQ(std::string(codec.JsonToBinary(type, "{\"pageSize\": \"many\"}").status().message()),
            "request body: (page_size): invalid value \"many\" for type TYPE_INT32");
  EXPECT_EQ(std::string(codec.JsonToBinary(type, "{\"nope\": 1}").status().message()),
            "request body: nope: Cannot find field.");
  EXPECT_EQ(codec.JsonToBinary(type, "{").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*codec.JsonToBinary(type, ""), "");
  const std::string binary = *codec.JsonToBinary(type, "{\"pageSize\": 5}");
  EXPECT_EQ(*codec.BinaryToJson(type, binary), "{\"pageSize\":5}");
}

}  // namespace
}  // namespace uplift::web
