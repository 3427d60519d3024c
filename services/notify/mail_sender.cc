// libcurl's SMTP, one handle per message.
#include "services/notify/mail_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "services/notify/curl_pin.h"

namespace uplift::notify {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadMessage(char* into, size_t size, size_t n, void* from) {
  auto* up = static_cast<Upload*>(from);
  const size_t len = std::min(size * n, up->data->size() - up->offset);
  std::memcpy(into, up->data->data() + up->offset, len);
  up->offset += len;
  return len;
}

WebhookResult Refused(const std::string& why, const std::string& detail) {
  WebhookResult r;
  r.http_status = 400;
  r.error = why;
  r.detail = detail;
  return r;
}

}  // namespace

WebhookResult CurlMailSender::Send(const MailRequest& r) {
  WebhookResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return NoCurlHandle();
  const bool v6 = r.host.find(':') != std::string::npos;
  const std::string host = v6 ? absl::StrCat("[", r.host, "]") : r.host;
  curl_slist* pin = PinAddress(curl, r.host, r.port, r.address);
  curl_slist* rcpt = curl_slist_append(nullptr, absl::StrCat("<", r.to, ">").c_str());
  const std::string url = absl::StrCat(r.scheme, "://", host, ":", r.port);
  const std::string from = absl::StrCat("<", r.from, ">");
  Upload upload{&r.message};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!ca_file_.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file_.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, r.username.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, r.password.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE, static_cast<long>(r.message.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(r.timeout)));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  const CURLcode rc = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  const std::string detail = curl_easy_strerror(rc);
  if (rc == CURLE_OK) {
    result.http_status = 250;
  } else if (rc == CURLE_LOGIN_DENIED || reply == 530 || reply == 534 || reply == 535) {
    result = Refused("邮件服务器拒绝登录（用户名或密码不对）", detail);
  } else if (rc == CURLE_USE_SSL_FAILED) {
    result = Refused("邮件服务器不支持 STARTTLS：不以明文发送", detail);
  } else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE) {
    result = Refused("邮件服务器的证书未通过校验", detail);
  } else if (reply >= 500) {
    result = Refused(absl::StrCat("邮件服务器拒收（", reply, "）"), detail);
  } else if (reply >= 400) {
    result.http_status = 503;
    result.error = absl::StrCat("邮件服务器暂不接收（", reply, "）");
    result.detail = detail;
  } else {
    result.error = kUnreachable;
    result.detail = detail;
  }
  curl_slist_free_all(rcpt);
  curl_slist_free_all(pin);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace uplift::notify
