// Address pinning for libcurl transfers.
#include "services/notify/curl_pin.h"

#include "absl/strings/str_cat.h"

namespace uplift::notify {

curl_slist* PinAddress(CURL* curl, const std::string& host, int port, const std::string& address) {
  if (address.empty()) return nullptr;
  const bool v6 = address.find(':') != std::string::npos;
  curl_slist* pin = curl_slist_append(
      nullptr, absl::StrCat(host, ":", port, ":", v6 ? "[" : "", address, v6 ? "]" : "").c_str());
  curl_easy_setopt(curl, CURLOPT_RESOLVE, pin);
  return pin;
}

WebhookResult NoCurlHandle() {
  WebhookResult result;
  result.error = kUnreachable;
  result.detail = "curl_easy_init failed";
  return result;
}

}  // namespace uplift::notify
