// Envelope signing bytes, signing and verification.
#include "common/event_signature.h"

#include "absl/strings/str_cat.h"
#include "common/suite_catalog.h"
#include "common/validation.h"

namespace uplift {
namespace {

void AppendField(std::string* out, absl::string_view value) {
  const uint64_t n = value.size();
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(n >> shift));
  out->append(value.data(), value.size());
}

}  // namespace

std::string EnvelopeSigningBytes(absl::string_view stream, const StreamEvent& e) {
  std::string out = "uplift-envelope-v1";
  for (absl::string_view field : {stream, absl::string_view(e.event_id), absl::string_view(e.type),
                                  absl::string_view(e.occurred_at), absl::string_view(e.source),
                                  absl::string_view(e.subject)}) {
    AppendField(&out, field);
  }
  AppendField(&out, absl::StrCat(e.version));
  AppendField(&out, e.payload);
  AppendField(&out, e.key_id);
  return out;
}

void EventSigner::Sign(absl::string_view stream, StreamEvent* event) const {
  event->key_id = key_.key_id();
  event->signature = key_.Sign(EnvelopeSigningBytes(stream, *event));
}

std::string EventPublicKeyFile(const std::string& dir, absl::string_view service) {
  return absl::StrCat(dir, "/events-", service, ".pub");
}

absl::StatusOr<std::unique_ptr<EventVerifier>> EventVerifier::FromDirectory(
    const std::string& dir) {
  std::map<std::string, std::unique_ptr<Ed25519PublicKeys>> keys;
  for (const suite::v1::Stream& stream : SuiteTopology().streams()) {
    if (keys.count(stream.publisher())) continue;
    const std::string path = EventPublicKeyFile(dir, stream.publisher());
    absl::StatusOr<std::unique_ptr<Ed25519PublicKeys>> k = Ed25519PublicKeys::FromPemFile(
        absl::StrCat("the event key of ", stream.publisher()), path);
    if (!k.ok()) return k.status();
    keys[stream.publisher()] = std::move(*k);
  }
  return std::make_unique<EventVerifier>(std::move(keys));
}

absl::Status EventVerifier::Verify(absl::string_view stream, const StreamEvent& event) const {
  const suite::v1::Stream* def = FindStream(stream);
  if (def == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat("stream ", QuoteInput(stream), " is not in the suite"));
  }
  if (event.source != def->publisher()) {
    return absl::UnauthenticatedError(absl::StrCat("entry claims source ", QuoteInput(event.source),
                                                   "; only ", def->publisher(), " publishes ",
                                                   stream));
  }
  auto it = keys_.find(def->publisher());
  if (it == keys_.end() || !it->second->Has(event.key_id)) {
    return absl::UnauthenticatedError(absl::StrCat("entry is signed by key ",
                                                   QuoteInput(event.key_id), ", not by a key of ",
                                                   def->publisher()));
  }
  if (!it->second->Verify(event.key_id, EnvelopeSigningBytes(stream, event), event.signature)) {
    return absl::UnauthenticatedError(
        absl::StrCat("entry's signature does not verify with ", def->publisher(), "'s key"));
  }
  return absl::OkStatus();
}

}  // namespace uplift
