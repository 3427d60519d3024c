// What a phone shows: one SMS of at most 70 characters where it fits (a
// Chinese SMS segment), the signature first (【新乐市产业集群】, required by
// Chinese carriers), then the title and the deadline words; a longer title
// is cut with "…" so the message stays one segment; the acknowledgement
// link, when the notice has one, ends it ("确认：https://…/a/…"); when the
// link leaves the title fewer than 12 characters, the message takes two
// segments (134 characters) rather than lose the title.
// Pure functions.
#pragma once

#include <string>

#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

inline constexpr int kSmsSegmentChars = 70;
inline constexpr int kSmsLongSegmentChars = 67;  // a segment of a long (concatenated) SMS

// `deadline_words` e.g. "12月16日（还有10个工作日）" ("" for none).
std::string SmsText(const std::string& signature, const v1::Notice& n,
                    const std::string& deadline_words);

// One message for `count` notifications held back by the per-phone limit,
// `first` named: "…问题上报：…「…」等3条通知（短信已限频合并），请登录查看。"
std::string SmsBundleText(const std::string& signature, const v1::Notice& first, int count);

// The first `max_chars` characters (code points) of UTF-8 `text`.
std::string Utf8Prefix(const std::string& text, long max_chars);

// A mainland mobile number: 11 digits starting 1[3-9], optionally +86.
bool IsMobileNumber(const std::string& phone);

}  // namespace uplift::notify
