// What the libcurl senders (webhooks, robots, mail) share: connecting to
// the address the policy checked, and the answer when libcurl has no handle.
#pragma once

#include <curl/curl.h>

#include <string>

#include "services/notify/webhook_sender.h"

namespace uplift::notify {

// Makes `curl` connect to `address` for host:port (no second lookup between
// the check and the connect); nothing when `address` is empty. Free the
// returned list after the transfer.
curl_slist* PinAddress(CURL* curl, const std::string& host, int port, const std::string& address);

// The result when curl_easy_init fails.
WebhookResult NoCurlHandle();

}  // namespace uplift::notify
