// What an HTTP caller sends uplift-web, before any backend sees it: a JSON
// body for any RPC of the suite, a streaming envelope, Connect-Timeout-Ms,
// the Cookie header. None may crash; a body the codec accepts is a message
// of the RPC's type that converts back to JSON and again to the same bytes;
// an error message quoted for the answer stays one JSON string.
#include <fuzzer/FuzzedDataProvider.h>

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstdlib>

#include "services/web/connect_protocol.h"
#include "services/web/rpc_catalog.h"
#include "services/web/web_front.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* catalog = uplift::web::RpcCatalog::FromSuite()->release();
  static const auto routes = catalog->All();
  static const uplift::web::MessageCodec codec;
  FuzzedDataProvider input(data, size);
  const uplift::web::RpcRoute* route =
      routes[input.ConsumeIntegralInRange<size_t>(0, routes.size() - 1)];
  const std::string header = input.ConsumeRandomLengthString(64);
  (void)uplift::web::ParseConnectTimeout(header);
  (void)uplift::web::CookieValue(header, "uplift_session");
  const std::string body = input.ConsumeRemainingBytesAsString();

  absl::StatusOr<std::string> payload = uplift::web::SingleEnvelopePayload(body);
  if (payload.ok() && payload->size() + 5 != body.size()) std::abort();

  const google::protobuf::Descriptor* type = route->method->input_type();
  absl::StatusOr<std::string> binary = codec.JsonToBinary(type, body);
  if (binary.ok()) {
    google::protobuf::DynamicMessageFactory factory;
    std::unique_ptr<google::protobuf::Message> message(factory.GetPrototype(type)->New());
    if (!message->ParseFromString(*binary)) std::abort();  // accepted, yet not the type
    absl::StatusOr<std::string> json = codec.BinaryToJson(type, *binary);
    if (!json.ok()) std::abort();
    absl::StatusOr<std::string> again = codec.JsonToBinary(type, *json);
    if (!again.ok()) std::abort();
    std::unique_ptr<google::protobuf::Message> other(factory.GetPrototype(type)->New());
    google::protobuf::util::DefaultFieldComparator comparator;
    comparator.set_treat_nan_as_equal(true);
    google::protobuf::util::MessageDifferencer differencer;
    differencer.set_field_comparator(&comparator);
    if (!other->ParseFromString(*again) || !differencer.Compare(*message, *other)) {
      std::abort();  // the JSON we answer with would not mean what we received
    }
  } else {
    const std::string answer = uplift::web::ConnectErrorJson(binary.status());
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(answer, &parsed).ok()) std::abort();
  }
  return 0;
}
