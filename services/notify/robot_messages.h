// What a group robot receives: a notification as markdown, for a 企业微信
// group robot ({"msgtype":"markdown","markdown":{"content":...}}) or a 钉钉
// custom robot ({"msgtype":"markdown","markdown":{"title":...,"text":...}},
// its URL signed as DingTalk documents: &timestamp=<ms>&sign=<URL-encoded
// base64 of HMAC-SHA256(secret, "<ms>\n<secret>")>). Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

struct RobotRequest {
  std::string url;
  std::string body;  // JSON, UTF-8
};

// The markdown both robots show: the title as a heading, the body, the
// notification's id; cut (on a character boundary) to `max_bytes`.
std::string RobotMarkdown(const v1::Notice& n, size_t max_bytes);

RobotRequest WeComRequest(const v1::Notice& n, const std::string& webhook_url);
RobotRequest DingTalkRequest(const v1::Notice& n, const std::string& webhook_url,
                             const std::string& secret, int64_t unix_millis);

// The sign parameter of a DingTalk request, URL-encoded.
std::string DingTalkSign(const std::string& secret, int64_t unix_millis);

// 企业微信 takes 4,096 bytes of markdown; 钉钉 20,000.
inline constexpr size_t kWeComMarkdownBytes = 4096;
inline constexpr size_t kDingTalkMarkdownBytes = 20000;

}  // namespace uplift::notify
