// libcurl easy interface, one handle per request.
#include "services/notify/webhook_sender.h"

#include <curl/curl.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/notify/curl_pin.h"

namespace uplift::notify {
namespace {

// Keeps the first 4 KB of the answer (a robot's errcode), drops the rest.
size_t KeepStart(char* data, size_t size, size_t n, void* into) {
  auto* answer = static_cast<std::string*>(into);
  constexpr size_t kKeep = 4096;
  if (answer->size() < kKeep) answer->append(data, std::min(size * n, kKeep - answer->size()));
  return size * n;
}

}  // namespace

CurlWebhookSender::CurlWebhookSender() { curl_global_init(CURL_GLOBAL_DEFAULT); }

CurlWebhookSender::~CurlWebhookSender() = default;

WebhookResult CurlWebhookSender::Post(const WebhookRequest& r) {
  WebhookResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return NoCurlHandle();
  curl_slist* list = nullptr;
  for (const auto& [k, v] : r.headers) list = curl_slist_append(list, absl::StrCat(k, ": ", v).c_str());
  // No "Expect: 100-continue": receivers need not answer it, and waiting
  // for it costs a second per request.
  list = curl_slist_append(list, "Expect:");
  curl_slist* pin = PinAddress(curl, r.host, r.port, r.address);
  curl_easy_setopt(curl, CURLOPT_URL, r.url.c_str());
  if (r.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(r.timeout)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, KeepStart);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.answer);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    result.http_status = static_cast<int>(status);
  } else {
    result.error = kUnreachable;
    result.detail = curl_easy_strerror(rc);
  }
  curl_slist_free_all(list);
  curl_slist_free_all(pin);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace uplift::notify
