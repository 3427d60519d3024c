// FeedHub polling and fan-out.
#include "services/notify/feed_hub.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"

#include "common/sql/store.h"
#include "services/notify/notify_store.h"

namespace uplift::notify {

FeedHub::FeedHub(sql::Store* db, absl::Duration poll_interval, FeedLimits limits)
    : db_(db), poll_interval_(poll_interval), limits_(limits) {}

FeedHub::~FeedHub() { Stop(); }

void FeedHub::Start() {
  (void)db_->Read([&](sql::Connection& db) {
    cursor_ = FeedCursor(store::LastFeedSeq(db), absl::Seconds(30));
    return absl::OkStatus();
  });
  stop_ = false;
  thread_ = std::thread([this] {
    absl::Time next_check = absl::Now();
    while (!stop_) {
      PollOnce();
      if (absl::Now() >= next_check) {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [unit, subs] : by_unit_) {
          for (FeedSubscriber* s : subs) s->Check();
        }
        next_check = absl::Now() + absl::Seconds(1);
      }
      std::unique_lock<std::mutex> lock(wake_mu_);
      wake_cv_.wait_for(lock, absl::ToChronoMilliseconds(poll_interval_),
                        [this] { return woken_ || stop_; });
      woken_ = false;
    }
  });
}

void FeedHub::Wake() {
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    woken_ = true;
  }
  wake_cv_.notify_one();
}

void FeedHub::Stop() {
  {
    std::lock_guard<std::mutex> lock(wake_mu_);
    stop_ = true;
  }
  wake_cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [unit, subs] : by_unit_) {
    for (FeedSubscriber* s : subs) s->Close();
  }
  by_unit_.clear();
  by_principal_.clear();
  total_ = 0;
}

absl::Status FeedHub::Add(const std::string& unit_id, const std::string& principal,
                          FeedSubscriber* subscriber) {
  std::lock_guard<std::mutex> lock(mu_);
  if (total_ >= limits_.total) {
    return absl::ResourceExhaustedError("this server holds as many live feeds as it may; try again later");
  }
  int& mine = by_principal_[principal];
  if (mine >= limits_.per_principal) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "you have ", mine, " live feeds open, the most one caller may; close one first"));
  }
  ++mine;
  ++total_;
  by_unit_[unit_id].insert(subscriber);
  return absl::OkStatus();
}

void FeedHub::Remove(const std::string& unit_id, const std::string& principal,
                     FeedSubscriber* subscriber) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_unit_.find(unit_id);
  if (it == by_unit_.end() || it->second.erase(subscriber) == 0) return;
  if (it->second.empty()) by_unit_.erase(it);
  --total_;
  if (--by_principal_[principal] <= 0) by_principal_.erase(principal);
}

size_t FeedHub::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [unit, subs] : by_unit_) n += subs.size();
  return n;
}

void FeedHub::PollOnce() {
  std::vector<store::FeedRow> rows;
  std::map<std::string, uplift::notify::v1::Notice> loaded;
  absl::Status read = db_->Read([&](sql::Connection& db) {
    // The holes first (rows whose numbers were skipped, committed since),
    // then what is new.
    rows = store::FeedRowsIn(db, cursor_.Holes(absl::Now()));
    for (store::FeedRow& r : store::FeedAfter(db, cursor_.last(), 500))
      rows.push_back(std::move(r));
    std::lock_guard<std::mutex> lock(mu_);
    for (const store::FeedRow& r : rows) {
      if (!by_unit_.count(r.unit_id) || loaded.count(r.notification_id)) continue;
      if (auto n = store::FindNotification(db, r.notification_id)) loaded[r.notification_id] = *n;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) {
    spdlog::warn("feed: {}", read.ToString());
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  const absl::Time now = absl::Now();
  for (const store::FeedRow& r : rows) {
    if (!cursor_.Take(r.seq, now)) continue;  // handed out already
    auto subs = by_unit_.find(r.unit_id);
    auto n = loaded.find(r.notification_id);
    if (subs == by_unit_.end() || n == loaded.end()) continue;
    uplift::notify::v1::SubscribeResponse message;
    *message.mutable_notification() = n->second;
    message.set_resend(r.resend);
    for (FeedSubscriber* s : subs->second) s->Deliver(message);
  }
}

}  // namespace uplift::notify
