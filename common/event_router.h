// The one way a service consumes events: a typed router that the stream
// consumer hands every entry. For each entry, in this order:
//   1. the envelope's signature is verified (EventVerifier): a forged or
//      unsigned entry is poison and goes to the dead letters at once;
//   2. the type picks the handler; types nobody here handles are skipped;
//   3. the payload is parsed (poison if it does not parse);
//   4. in one transaction (one per batch the consumer read, each event in a
//      savepoint): an event_id applied before is dropped; an event
//      whose subject this service already holds at the same or a newer
//      version is dropped (so a late entry never brings back older state);
//      otherwise the handler applies it and the subject's version is kept.
// Handlers therefore see each (stream, subject) in increasing versions only
// and must treat the payload as the subject's whole new state.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/event_signature.h"
#include "common/sql/store.h"
#include "common/stream_event.h"

namespace uplift {

class EventRouter {
 public:
  // `verifier` null skips signature checks: unit tests of handlers only.
  EventRouter(sql::Store* db, const Clock* clock, const EventVerifier* verifier)
      : db_(db), clock_(clock), verifier_(verifier) {}

  template <typename M>
  using Handler =
      std::function<absl::Status(sql::Connection& tx, const M& message, const StreamEvent& event)>;

  // Messages of type M are applied by `handler` inside the router's
  // transaction.
  template <typename M>
  void On(Handler<M> handler) {
    routes_[M::descriptor()->full_name()] =
        Route{[] { return std::unique_ptr<google::protobuf::Message>(new M()); },
              [handler](sql::Connection& tx, const google::protobuf::Message& message,
                        const StreamEvent& event) {
                return handler(tx, static_cast<const M&>(message), event);
              }};
  }

  // Runs after each commit that applied an event (e.g. to wake a pump).
  void AfterCommit(std::function<void()> fn) { after_commit_ = std::move(fn); }

  // The StreamHandler of a consumer of `stream`. Poison (see IsPoison) for
  // entries that can never apply; other errors are retried by the consumer.
  absl::Status Handle(const std::string& stream, const StreamEvent& event);
  // The StreamBatchHandler: each event as Handle does, all of them in one
  // transaction (each in a savepoint of its own: one that fails is rolled
  // back alone), so a batch costs one commit. A commit that fails fails
  // every event it held, to be retried.
  std::vector<absl::Status> HandleBatch(const std::string& stream,
                                        const std::vector<StreamEvent>& events);

  // How the outcome of the last Handle calls went, for tests and logs.
  struct Counts {
    int64_t applied = 0, duplicate = 0, stale = 0, skipped = 0;
  };
  Counts counts() const;

 private:
  struct Route {
    std::function<std::unique_ptr<google::protobuf::Message>()> make;
    std::function<absl::Status(sql::Connection&, const google::protobuf::Message&,
                               const StreamEvent&)>
        apply;
  };

  sql::Store* const db_;
  const Clock* const clock_;
  const EventVerifier* const verifier_;
  std::map<std::string, Route> routes_;
  std::function<void()> after_commit_;
  mutable std::mutex mu_;
  Counts counts_;
};

}  // namespace uplift
