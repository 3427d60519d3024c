// DeliveryPump.
#include "services/notify/delivery_pump.h"

#include <spdlog/spdlog.h>

namespace uplift::notify {

DeliveryPump::DeliveryPump(NotifyService* service, WebhookSender* sender, int workers)
    : service_(service), sender_(sender), workers_(workers) {}

DeliveryPump::~DeliveryPump() { Stop(); }

void DeliveryPump::Start() {
  stop_ = false;
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { Run(); });
}

void DeliveryPump::Stop() {
  stop_ = true;
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void DeliveryPump::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

void DeliveryPump::Run() {
  while (!stop_) {
    absl::StatusOr<int> sent = service_->DeliverDue(sender_, 4);
    if (!sent.ok()) spdlog::warn("deliveries: {}", sent.status().ToString());
    absl::StatusOr<int> receipts = service_->PollSmsReceipts(sender_, 4);
    if (!receipts.ok()) spdlog::warn("SMS receipts: {}", receipts.status().ToString());
    if (sent.ok() && *sent > 0) continue;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return wake_ || stop_.load(); });
    wake_ = false;
  }
}

}  // namespace uplift::notify
