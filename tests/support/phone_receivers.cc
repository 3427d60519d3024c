// Receivers of people's channels, as processes.
#include "tests/support/phone_receivers.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tests/support/json_lines.h"

namespace uplift::testing {
namespace {

std::string Fake(const std::string& script) {
  return std::string(UPLIFT_SOURCE_DIR) + "/tests/fakes/" + script;
}

}  // namespace

SmtpServer::SmtpServer(const TempDir& dir, const std::string& name, std::vector<std::string> extra)
    : log_(dir.File(name + ".jsonl")), cert_(dir.File(name + ".pem")) {
  const std::string port_file = dir.File(name + ".port");
  std::vector<std::string> args = {
      Fake("fake_smtp.py"), "--user",  kSmtpAccount, "--password", kSmtpPassword, "--cert", cert_,
      "--port-file",        port_file, "--log",      log_};
  args.insert(args.end(), extra.begin(), extra.end());
  process_ = std::make_unique<Process>("/usr/bin/python3", args, dir.File(name + ".out"));
  process_->Start();
  port_ = WaitForPortFile(port_file, absl::Seconds(30));
}

std::string SmtpServer::url(const std::string& scheme) const {
  return absl::StrFormat("%s://uplift%%40xinle.gov.cn@127.0.0.1:%d", scheme, port_);
}

uplift::notify::v1::Channel SmtpServer::Channel(const std::string& unit, const std::string& to,
                                                const std::string& scheme,
                                                const std::string& password) const {
  uplift::notify::v1::Channel c;
  c.set_unit_id(unit);
  c.set_type(uplift::notify::v1::CHANNEL_TYPE_EMAIL);
  c.set_url(url(scheme));
  c.set_address(to);
  c.set_secret(password);
  return c;
}

std::vector<google::protobuf::Struct> SmtpServer::Messages() const { return ReadJsonLines(log_); }

std::map<std::string, int> SmtpServer::ByMessageId() const {
  std::map<std::string, int> out;
  for (const auto& m : Messages()) ++out[m.fields().at("message_id").string_value()];
  return out;
}

SmsReceiver::SmsReceiver(const TempDir& dir, const std::string& script,
                         std::vector<std::string> args)
    : log_(dir.File("sms.jsonl")) {
  const std::string port_file = dir.File("sms.port");
  args.insert(args.begin(), Fake(script));
  args.insert(args.end(), {"--port-file", port_file, "--log", log_});
  process_ = std::make_unique<Process>("/usr/bin/python3", args, dir.File("sms.out"));
  process_->Start();
  port_ = WaitForPortFile(port_file, absl::Seconds(30));
}

std::unique_ptr<SmsReceiver> SmsReceiver::Gateway(const TempDir& dir, int busy_first) {
  std::unique_ptr<SmsReceiver> r(new SmsReceiver(
      dir, "fake_sms_gateway.py",
      {"--token", "t0ken-of-the-county", "--busy-first", std::to_string(busy_first)}));
  r->flags_ = {"--sms-url",
               absl::StrFormat("http://127.0.0.1:%d/api/sms", r->port_),
               "--sms-header",
               "Authorization: Bearer t0ken-of-the-county",
               "--sms-header",
               "Content-Type: application/json; charset=utf-8",
               "--sms-body",
               R"({"mobile":"{phone}","content":"{text}","outId":"{id}"})",
               "--sms-success-contains",
               "\"code\": 0",
               "--sms-signature",
               "【新乐产业集群】"};
  return r;
}

std::unique_ptr<SmsReceiver> SmsReceiver::Aliyun(const TempDir& dir, int throttle_first,
                                                 const std::vector<std::string>& fail_phones) {
  std::unique_ptr<SmsReceiver> r(new SmsReceiver(
      dir, "fake_aliyun_sms.py",
      {"--key-id", "LTAI5tXinle", "--secret", kAliyunSecret, "--throttle-first",
       std::to_string(throttle_first), "--fail-phones", absl::StrJoin(fail_phones, ",")}));
  r->flags_ = {"--aliyun-access-key-id",     "LTAI5tXinle",
               "--aliyun-sms-endpoint",      absl::StrFormat("http://127.0.0.1:%d/", r->port_),
               "--aliyun-sms-sign-name",     "新乐产业集群",
               "--aliyun-sms-template-code", "SMS_465300001",
               "--aliyun-sms-receipt-after", "1s"};
  return r;
}

std::vector<google::protobuf::Struct> SmsReceiver::Queries() const {
  return ReadJsonLines(log_ + ".queries");
}

std::vector<google::protobuf::Struct> SmsReceiver::Requests() const { return ReadJsonLines(log_); }

std::map<std::string, int> SmsReceiver::Taken() const {
  std::map<std::string, int> out;
  for (const auto& r : Requests()) {
    const auto& code = r.fields().at("code");
    const bool taken =
        code.has_number_value() ? code.number_value() == 0 : code.string_value() == "OK";
    if (taken) ++out[r.fields().at("outId").string_value()];
  }
  return out;
}

FakeRobot::FakeRobot(const TempDir& dir, const std::string& kind, const std::string& key,
                     const std::string& secret, std::vector<std::string> extra)
    : kind_(kind), key_(key), log_(dir.File(kind + ".jsonl")) {
  const std::string port_file = dir.File(kind + ".port");
  std::vector<std::string> args = {Fake("fake_robot.py"), "--kind",  kind,    "--key", key,
                                   "--port-file",         port_file, "--log", log_};
  if (!secret.empty()) args.insert(args.end(), {"--secret", secret});
  args.insert(args.end(), extra.begin(), extra.end());
  process_ = std::make_unique<Process>("/usr/bin/python3", args, dir.File(kind + ".out"));
  process_->Start();
  port_ = WaitForPortFile(port_file);
}

std::string FakeRobot::url(const std::string& key) const {
  return kind_ == "wecom" ? absl::StrFormat("http://127.0.0.1:%d/cgi-bin/webhook/send?key=%s",
                                            port_, key.empty() ? key_ : key)
                          : absl::StrFormat("http://127.0.0.1:%d/robot/send?access_token=%s", port_,
                                            key.empty() ? key_ : key);
}

std::vector<FakeRobot::Answer> FakeRobot::Answers() const {
  std::vector<Answer> out;
  for (const google::protobuf::Struct& s : ReadJsonLines(log_)) {
    out.push_back({static_cast<int>(s.fields().at("errcode").number_value()),
                   s.fields().at("text").string_value()});
  }
  return out;
}

std::map<std::string, int> FakeRobot::Accepted() const {
  std::map<std::string, int> out;
  for (const Answer& a : Answers()) {
    const size_t at = a.text.rfind("nt-");
    if (a.errcode == 0 && at != std::string::npos) ++out[a.text.substr(at)];
  }
  return out;
}

int FakeRobot::Count(int errcode) const {
  int n = 0;
  for (const Answer& a : Answers()) n += a.errcode == errcode;
  return n;
}

}  // namespace uplift::testing
