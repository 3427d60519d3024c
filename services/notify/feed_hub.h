// The live feed behind Subscribe: subscribers register for a unit; a poller
// reads the feed table (written by every replica sharing the database) and
// hands each new entry to the unit's subscribers, so a notification created
// on one replica reaches a subscriber connected to another. A commit on this
// replica wakes the poller at once (Wake); the interval only bounds how late
// another replica's notifications arrive. A row whose number was skipped
// (its transaction committed after a later one was read, as happens on
// PostgreSQL) is still handed out when it appears (FeedCursor). Feeds are
// bounded: at most `per_principal` open at once for one caller and
// `total` in all (RESOURCE_EXHAUSTED beyond); every second each subscriber
// is asked to check that its caller's token still holds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/sql/store.h"
#include "services/notify/feed_cursor.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

class FeedSubscriber {
 public:
  virtual ~FeedSubscriber() = default;
  // Must not block; called with the hub's lock held.
  virtual void Deliver(const uplift::notify::v1::SubscribeResponse& message) = 0;
  // The server is stopping: end the stream.
  virtual void Close() = 0;
  // About once a second: end the stream if the caller's token expired or
  // was revoked. Must not block; called with the hub's lock held.
  virtual void Check() = 0;
};

struct FeedLimits {
  int per_principal = 8;
  int total = 2000;
};

class FeedHub {
 public:
  FeedHub(sql::Store* db, absl::Duration poll_interval = absl::Milliseconds(100),
          FeedLimits limits = {});
  ~FeedHub();
  void Start();
  // Closes every subscriber and stops polling.
  void Stop();
  // Feed rows were committed here: read them now, not at the next interval.
  void Wake();
  // RESOURCE_EXHAUSTED if `principal` (a caller's identity) has too many
  // feeds open, or the hub as a whole; else registered.
  absl::Status Add(const std::string& unit_id, const std::string& principal,
                   FeedSubscriber* subscriber);
  void Remove(const std::string& unit_id, const std::string& principal,
              FeedSubscriber* subscriber);
  size_t subscribers() const;

 private:
  void PollOnce();

  sql::Store* const db_;
  const absl::Duration poll_interval_;
  const FeedLimits limits_;
  mutable std::mutex mu_;
  std::map<std::string, std::set<FeedSubscriber*>> by_unit_;
  std::map<std::string, int> by_principal_;
  int total_ = 0;
  FeedCursor cursor_{0, absl::Seconds(30)};  // the poll thread's
  std::atomic<bool> stop_{false};
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool woken_ = false;  // guarded by wake_mu_
  std::thread thread_;
};

}  // namespace uplift::notify
