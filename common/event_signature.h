// Signed stream envelopes. The publishing service signs every envelope with
// its own Ed25519 key (the relay does, as it publishes); consumers verify
// it with that service's public key before anything else. An entry whose
// source is not the stream's publisher (suite.textproto), whose key is not
// that publisher's, or whose signature does not verify is refused: the
// consumer dead-letters it and it never reaches a person.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth/ed25519.h"
#include "common/stream_event.h"

namespace uplift {

// What the signature covers: a fixed label, the stream, then every envelope
// field but the signature, each length-prefixed.
std::string EnvelopeSigningBytes(absl::string_view stream, const StreamEvent& event);

class EventSigner {
 public:
  explicit EventSigner(Ed25519PrivateKey key) : key_(std::move(key)) {}
  // Fills key_id and signature of `event`, to be written to `stream`.
  void Sign(absl::string_view stream, StreamEvent* event) const;

 private:
  Ed25519PrivateKey key_;
};

class EventVerifier {
 public:
  // The public key of every service that publishes a stream, from
  // "<dir>/events-<service>.pub" (upliftctl auth init writes them).
  static absl::StatusOr<std::unique_ptr<EventVerifier>> FromDirectory(const std::string& dir);
  // Keys given directly, by publishing service (tests).
  explicit EventVerifier(std::map<std::string, std::unique_ptr<Ed25519PublicKeys>> keys)
      : keys_(std::move(keys)) {}

  // OK if `event`, read from `stream`, was published and signed by the
  // stream's publisher; UNAUTHENTICATED saying why not.
  absl::Status Verify(absl::string_view stream, const StreamEvent& event) const;

 private:
  std::map<std::string, std::unique_ptr<Ed25519PublicKeys>> keys_;
};

// "<dir>/events-<service>.pub".
std::string EventPublicKeyFile(const std::string& dir, absl::string_view service);

}  // namespace uplift
