// Worker threads that keep webhook deliveries moving: each repeatedly takes
// a few due deliveries (leased, so replicas never share one) and sends them,
// and asks for a few due SMS receipts;
// when nothing is due it waits a little or until woken by a commit.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "services/notify/notify_service.h"
#include "services/notify/webhook_sender.h"

namespace uplift::notify {

class DeliveryPump {
 public:
  DeliveryPump(NotifyService* service, WebhookSender* sender, int workers);
  ~DeliveryPump();
  void Start();
  void Stop();
  void Wake();

 private:
  void Run();

  NotifyService* const service_;
  WebhookSender* const sender_;
  const int workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

}  // namespace uplift::notify
