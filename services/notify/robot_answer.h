// What a group robot's answer means. Both robots answer HTTP 200 with a JSON
// {"errcode": n, "errmsg": "..."}: only errcode 0 is delivered. A rate limit
// (企业微信 45009, 钉钉 130101) or a busy server (-1) is tried again like a
// 429 or a 503; a robot that is gone, a wrong key or a failed signature or
// keyword check (企业微信 93000, 93004, 40008…; 钉钉 300001, 300005, 310000…)
// is refused like a 4xx: a person must fix the channel. Any other errcode is
// tried again.
#pragma once

#include "services/notify/webhook_sender.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::notify {

// `raw` as the retry policy must see it: an HTTP 200 with a non-zero errcode
// becomes 429, 503 or 400 with the robot's words in `error`.
WebhookResult InterpretRobotAnswer(v1::ChannelType type, WebhookResult raw);

}  // namespace uplift::notify
