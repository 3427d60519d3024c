// The receivers people's channels are tested against, each a real process
// started by the test: an SMTP server (tests/fakes/fake_smtp.py, aiosmtpd,
// TLS and AUTH required) and SMS endpoints (tests/fakes/fake_sms_gateway.py
// for a county's template gateway, tests/fakes/fake_aliyun_sms.py for
// 阿里云) and group robots (tests/fakes/fake_robot.py). Each logs what it took as JSON lines; the
// classes read them back and give uplift-notify's flags and channels for them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "tests/support/test_env.h"
#include "uplift/notify/v1/notify.pb.h"

namespace uplift::testing {

inline constexpr char kSmtpAccount[] = "uplift@xinle.gov.cn";
inline constexpr char kSmtpPassword[] = "mail-password-of-the-county";

class SmtpServer {
 public:
  // `extra`: fake_smtp.py's options (--implicit-tls, --fail-first N, ...).
  SmtpServer(const TempDir& dir, const std::string& name, std::vector<std::string> extra = {});

  // The server as a channel's URL, the account's @ escaped.
  std::string url(const std::string& scheme) const;
  const std::string& cert() const { return cert_; }
  // An e-mail channel of `unit` to `to` through this server.
  uplift::notify::v1::Channel Channel(const std::string& unit, const std::string& to,
                                      const std::string& scheme = "smtp",
                                      const std::string& password = kSmtpPassword) const;

  std::vector<google::protobuf::Struct> Messages() const;
  // How many messages arrived with each Message-ID.
  std::map<std::string, int> ByMessageId() const;

 private:
  std::string log_, cert_;
  std::unique_ptr<Process> process_;
  int port_ = 0;
};

class SmsReceiver {
 public:
  // The template gateway: bearer token, JSON body, `busy_first` "busy" answers.
  static std::unique_ptr<SmsReceiver> Gateway(const TempDir& dir, int busy_first);
  // 阿里云 SendSms: signatures checked, `throttle_first` throttling answers;
  // QuerySendDetails: waiting first, then delivered (failed for a phone of
  // `fail_phones`). uplift-notify asks for receipts from 1 s after sending.
  static std::unique_ptr<SmsReceiver> Aliyun(const TempDir& dir, int throttle_first,
                                             const std::vector<std::string>& fail_phones = {});

  // uplift-notify's flags for it (阿里云's secret goes in the environment).
  const std::vector<std::string>& flags() const { return flags_; }
  std::vector<google::protobuf::Struct> Requests() const;
  // How many times each outId was taken (the gateway's code 0, 阿里云's "OK").
  std::map<std::string, int> Taken() const;
  // 阿里云's receipt queries: bizId, phone, sendDate, status.
  std::vector<google::protobuf::Struct> Queries() const;

 private:
  SmsReceiver(const TempDir& dir, const std::string& script, std::vector<std::string> args);

  std::string log_;
  std::unique_ptr<Process> process_;
  int port_ = 0;
  std::vector<std::string> flags_;
};

inline constexpr char kAliyunSecret[] = "aliyun-s3cret";

// A fake 企业微信 or 钉钉 group robot (tests/fakes/fake_robot.py): checks each
// request as the robot documents it (钉钉's signature with Python's hmac)
// and answers errcodes with HTTP 200; its log is one JSON line per request.
class FakeRobot {
 public:
  struct Answer {
    int errcode;
    std::string text;
  };

  // `kind` is "wecom" or "dingtalk"; `extra`: fake_robot.py's options.
  FakeRobot(const TempDir& dir, const std::string& kind, const std::string& key,
            const std::string& secret, std::vector<std::string> extra);

  // The robot's webhook address with `key` (its own by default).
  std::string url(const std::string& key = "") const;
  std::vector<Answer> Answers() const;
  // Accepted messages by the notification id they carry (通知编号：nt-…).
  std::map<std::string, int> Accepted() const;
  // How many requests the robot answered with `errcode`.
  int Count(int errcode) const;

 private:
  std::string kind_, key_, log_;
  std::unique_ptr<Process> process_;
  int port_ = 0;
};

}  // namespace uplift::testing
