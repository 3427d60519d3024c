// What each channel type needs before it is stored, field by field:
//   WEBHOOK   http(s) URL, a shared secret of 16..256 characters;
//   WECOM     http(s) URL (the robot's, key in it), no secret;
//   DINGTALK  http(s) URL (access_token in it), its 加签 secret;
//   EMAIL     smtp:// (STARTTLS required) or smtps:// URL naming the account
//             (smtps://uplift%40xinle.gov.cn@mail.xinle.gov.cn), the
//             account's password as the secret, the recipient as address.
// Unspecified means WEBHOOK. Errors name the field (channel.type, …).
#pragma once

#include "absl/status/status.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

// Checks `c` (type set to WEBHOOK when unspecified, url and address trimmed).
absl::Status CheckChannelInput(v1::Channel* c);

}  // namespace uplift::notify
