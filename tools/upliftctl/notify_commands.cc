// upliftctl inbox, ack, channel, deliveries, dead-letters, policy: the
// notification service.
#include <iostream>
#include <memory>

#include <fstream>
#include <map>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/time_util.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/notify_labels.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace nv1 = uplift::notify::v1;

std::string UnitOr(const Cli& cli, const std::string& unit) {
  if (!unit.empty()) return unit;
  const std::string own = cli.TokenUnit();
  if (own.empty()) FailCommand("--unit is required (the token acts for no unit)", 2);
  return own;
}

void PrintNotice(std::ostream& out, const nv1::Notice& n, const std::string& tag) {
  out << "[" << FormatLocalTimestamp(n.create_time()) << "] " << KindLabel(n.kind()) << tag << "  "
      << n.notification_id()
      << (n.acknowledged()   ? "  已确认"
          : n.requires_ack() ? "  待确认"
                             : "")
      << "\n  " << n.title() << "\n  " << absl::StrReplaceAll(n.body(), {{"\n", "\n  "}}) << "\n";
  // What to look up next (upliftctl problem show …): the text names, the id is here.
  if (auto p = n.attributes().find("problem_id"); p != n.attributes().end()) {
    out << "  问题编号：" << p->second << "\n";
  }
}

void PrintDeliveries(std::ostream& out, const google::protobuf::RepeatedPtrField<nv1::Delivery>& ds) {
  Table t(
      {"投递编号", "通知", "渠道", "状态", "次数", "HTTP", "下次尝试", "发出/送达时间", "原因"});
  for (const nv1::Delivery& d : ds) {
    t.AddRow({d.delivery_id(), d.notification_id(), d.channel_id(), StateLabel(d.state()),
              absl::StrCat(d.attempts()),
              d.last_http_status() == 0 ? "" : absl::StrCat(d.last_http_status()),
              d.state() == nv1::DELIVERY_STATE_PENDING ? FormatLocalTimestamp(d.next_attempt_time())
                                                       : "",
              FormatLocalTimestamp(d.has_delivered_time() ? d.delivered_time() : d.sent_time()),
              d.last_error()});
  }
  t.Print(out, 48);
}

void AddInbox(CLI::App& app, Cli& cli) {
  struct Args {
    std::string unit;
    bool follow = false, unread = false;
    ListPaging paging;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("inbox", "a unit's notifications (--follow for the live feed)");
  c->add_option("--unit", a->unit, "default: the token's unit");
  c->add_flag("--follow,-f", a->follow, "print what is unacknowledged, then each new one as it comes");
  c->add_flag("--unread", a->unread, "only unacknowledged");
  a->paging.AddOptions(c);
  c->callback([&cli, a] {
    const std::string unit = UnitOr(cli, a->unit);
    if (a->follow) {
      nv1::SubscribeRequest req;
      req.set_unit_id(unit);
      grpc::ClientContext ctx;  // no deadline: it follows until interrupted
      const std::string token = cli.Token();
      if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
      auto reader = cli.Notify().Subscribe(&ctx, req);
      nv1::SubscribeResponse m;
      while (reader->Read(&m)) {
        if (cli.json()) {
          cli.PrintJson(m);
        } else {
          PrintNotice(std::cout, m.notification(), m.resend() ? "（再次提醒）" : m.backlog() ? "（未确认）" : "");
        }
        std::cout.flush();
      }
      cli.Check(reader->Finish());
      return;
    }
    nv1::ListInboxRequest req;
    req.set_unit_id(unit);
    req.set_unread_only(a->unread);
    nv1::ListInboxResponse page = ListAllPages<nv1::ListInboxResponse>(
        a->paging, req,
        [&](const nv1::ListInboxRequest& r, nv1::ListInboxResponse* resp) {
          return cli.Notify().ListInbox(cli.Context().get(), r, resp);
        },
        cli, [](nv1::ListInboxResponse* acc, nv1::ListInboxResponse& more) {
          acc->mutable_notifications()->MergeFrom(more.notifications());
        });
    Show(cli, page, [&] {
      std::cout << unit << ": " << page.unread() << " 条未确认\n\n";
      Table t({"通知编号", "时间", "类别", "标题", "状态"});
      for (const nv1::Notice& n : page.notifications()) {
        t.AddRow({n.notification_id(), FormatLocalTimestamp(n.create_time()), KindLabel(n.kind()),
                  n.title(),
                  n.acknowledged()   ? "已确认"
                  : n.requires_ack() ? "待确认"
                                     : "未读"});
      }
      t.Print(std::cout, 60);
      PrintNextPage(page.next_page_token());
    });
  });
}

void AddAck(CLI::App& app, Cli& cli) {
  auto ids = std::make_shared<std::vector<std::string>>();
  CLI::App* c = app.add_subcommand("ack", "acknowledge notifications (the person has seen them)");
  c->add_option("notification_id", *ids)->required();
  c->callback([&cli, ids] {
    for (const std::string& id : *ids) {
      nv1::AcknowledgeRequest req;
      req.set_notification_id(id);
      nv1::AcknowledgeResponse resp;
      cli.Check(cli.Notify().Acknowledge(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { std::cout << id << " 已确认\n"; });
    }
  });
}

void AddChannels(CLI::App& app, Cli& cli) {
  CLI::App* channel = app.add_subcommand("channel", "where a unit's notifications go");
  channel->require_subcommand(1);
  {
    auto req = std::make_shared<nv1::AddChannelRequest>();
    auto secret_file = std::make_shared<std::string>();
    auto type = std::make_shared<std::string>("webhook");
    CLI::App* c = channel->add_subcommand(
        "add", "add a webhook to a unit's own system, or a 企业微信 or 钉钉 group robot");
    c->add_option("--unit", *req->mutable_channel()->mutable_unit_id(),
                  "the unit whose channel it is");
    c->add_option("--owner", *req->mutable_channel()->mutable_owner_login(),
                  "instead of --unit: a person's own wecom or dingtalk robot (their login)");
    c->add_option("--type", *type,
                  "webhook, wecom (企业微信 robot), dingtalk (钉钉 robot), email or sms")
        ->capture_default_str();
    c->add_option("--url", *req->mutable_channel()->mutable_url(),
                  "http:// or https://; a robot's webhook address with its key; for email the "
                  "mail server as smtps://account%40domain@host:465 or smtp://…:587; none for sms");
    c->add_option("--secret-file", *secret_file,
                  "file holding the shared secret (16..256 characters), the 钉钉 robot's 加签 "
                  "secret or the mail account's password; none for wecom");
    c->add_option("--address", *req->mutable_channel()->mutable_address(),
                  "email: the recipient's e-mail address; sms: the mobile number");
    c->add_option("--description", *req->mutable_channel()->mutable_description());
    c->callback([&cli, req, secret_file, type] {
      const std::optional<nv1::ChannelType> channel_type = ChannelTypeOfWord(*type);
      if (!channel_type.has_value()) {
        FailCommand("--type: \"" + *type + "\" is not webhook, wecom, dingtalk, email or sms", 2);
      }
      req->mutable_channel()->set_type(*channel_type);
      if (req->channel().unit_id().empty() == req->channel().owner_login().empty()) {
        FailCommand("give --unit (a unit's channel) or --owner (a person's robot)", 2);
      }
      if (*type != "wecom" && *type != "sms") {
        if (secret_file->empty()) FailCommand("--secret-file is required for --type " + *type, 2);
        std::ifstream in(*secret_file);
        if (!in) FailCommand("cannot read " + *secret_file, 2);
        std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
          secret.pop_back();
        req->mutable_channel()->set_secret(secret);
      }
      if (req->request_id().empty()) req->set_request_id(NewRequestId());
      nv1::AddChannelResponse resp;
      cli.Check(cli.Notify().AddChannel(cli.Context().get(), *req, &resp));
      Show(cli, resp, [&] {
        std::cout << resp.channel().channel_id() << " → " << resp.channel().url();
        if (!resp.channel().secret_fingerprint().empty()) {
          std::cout << " (secret " << resp.channel().secret_fingerprint() << "…)";
        }
        std::cout << "\n";
      });
    });
  }
  {
    auto unit = std::make_shared<std::string>();
    CLI::App* c = channel->add_subcommand("list", "a unit's channels");
    c->add_option("--unit", *unit, "default: the token's unit");
    c->callback([&cli, unit] {
      nv1::ListChannelsRequest req;
      req.set_unit_id(UnitOr(cli, *unit));
      nv1::ListChannelsResponse resp;
      cli.Check(cli.Notify().ListChannels(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] {
        Table t({"渠道", "类型", "地址", "密钥指纹", "说明"});
        for (const auto& ch : resp.channels()) {
          t.AddRow({ch.channel_id(), ChannelTypeLabel(ch.type()),
                    ch.address().empty() || ch.url().empty() ? ch.address() + ch.url()
                                                             : ch.address() + " via " + ch.url(),
                    ch.secret_fingerprint(), ch.description()});
        }
        t.Print(std::cout, 60);
      });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = channel->add_subcommand("remove", "remove a webhook");
    c->add_option("channel_id", *id)->required();
    c->callback([&cli, id] {
      nv1::RemoveChannelRequest req;
      req.set_channel_id(*id);
      nv1::RemoveChannelResponse resp;
      cli.Check(cli.Notify().RemoveChannel(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { std::cout << *id << " removed\n"; });
    });
  }
}

void AddDeliveryCommands(CLI::App& app, Cli& cli) {
  {
    struct Args {
      std::string notification, unit;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = app.add_subcommand("deliveries", "delivery status per channel");
    c->add_option("notification_id", a->notification, "one notification's (or --unit for a unit's latest)");
    c->add_option("--unit", a->unit);
    c->callback([&cli, a] {
      nv1::ListDeliveriesRequest req;
      req.set_notification_id(a->notification);
      if (a->notification.empty()) req.set_unit_id(UnitOr(cli, a->unit));
      nv1::ListDeliveriesResponse resp;
      cli.Check(cli.Notify().ListDeliveries(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintDeliveries(std::cout, resp.deliveries()); });
    });
  }
  CLI::App* dead = app.add_subcommand("dead-letters", "what could not be delivered or handled (ADMIN)");
  dead->require_subcommand(1);
  {
    CLI::App* c = dead->add_subcommand("list", "webhook deliveries given up and stream entries dead-lettered");
    c->callback([&cli] {
      nv1::ListDeadLettersResponse resp;
      cli.Check(cli.Notify().ListDeadLetters(cli.Context().get(), nv1::ListDeadLettersRequest(), &resp));
      Show(cli, resp, [&] {
        Table t({"编号", "来源", "通知 / 消息类型", "原因"});
        for (const auto& l : resp.dead_letters()) {
          const bool delivery = l.source() == nv1::DeadLetter::SOURCE_DELIVERY;
          t.AddRow({l.dead_letter_id(), delivery ? "webhook" : l.stream(),
                    delivery ? l.delivery().notification_id() : l.event_type(), l.reason()});
        }
        t.Print(std::cout, 60);
      });
    });
  }
  {
    auto id = std::make_shared<std::string>();
    CLI::App* c = dead->add_subcommand("retry", "try a dead letter again");
    c->add_option("dead_letter_id", *id)->required();
    c->callback([&cli, id] {
      nv1::RetryDeadLetterRequest req;
      req.set_dead_letter_id(*id);
      nv1::RetryDeadLetterResponse resp;
      cli.Check(cli.Notify().RetryDeadLetter(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { std::cout << *id << " queued again\n"; });
    });
  }
}

void AddPolicyCommands(CLI::App& app, Cli& cli) {
  CLI::App* policy = app.add_subcommand("policy", "escalation policies (acknowledge within, resends, supervisor)");
  policy->require_subcommand(1);
  {
    struct Args {
      std::string type = "uplift.tasks.v1.ProblemEscalated", within;
      int resends = 1;
      bool no_supervisor = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = policy->add_subcommand("set", "a new version of a message type's policy");
    c->add_option("--type", a->type)->capture_default_str();
    c->add_option("--ack-within", a->within, "e.g. 2h, 30m")->required();
    c->add_option("--resends", a->resends)->capture_default_str();
    c->add_flag("--no-supervisor", a->no_supervisor, "do not tell the unit's supervisor");
    c->callback([&cli, a] {
      absl::Duration within;
      if (!absl::ParseDuration(a->within, &within)) FailCommand("--ack-within: not a duration such as 2h", 2);
      nv1::SetPolicyRequest req;
      req.mutable_policy()->set_message_type(a->type);
      req.mutable_policy()->mutable_ack_within()->set_seconds(absl::ToInt64Seconds(within));
      req.mutable_policy()->set_resends(a->resends);
      req.mutable_policy()->set_notify_supervisor(!a->no_supervisor);
      nv1::SetPolicyResponse resp;
      cli.Check(cli.Notify().SetPolicy(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { std::cout << a->type << " policy version " << resp.policy().version() << "\n"; });
    });
  }
  {
    CLI::App* c = policy->add_subcommand("list", "current policies");
    c->callback([&cli] {
      nv1::ListPoliciesResponse resp;
      cli.Check(cli.Notify().ListPolicies(cli.Context().get(), nv1::ListPoliciesRequest(), &resp));
      Show(cli, resp, [&] {
        Table t({"消息类型", "版本", "确认时限", "再次提醒", "告知上级"});
        for (const auto& p : resp.policies()) {
          t.AddRow({p.message_type(), absl::StrCat(p.version()),
                    absl::FormatDuration(absl::Seconds(p.ack_within().seconds())), absl::StrCat(p.resends()),
                    p.notify_supervisor() ? "是" : "否"});
        }
        t.Print(std::cout);
      });
    });
  }
}

}  // namespace

void AddNotifyCommands(CLI::App& app, Cli& cli) {
  AddInbox(app, cli);
  AddAck(app, cli);
  AddChannels(app, cli);
  AddDeliveryCommands(app, cli);
  AddPolicyCommands(app, cli);
  AddPreferenceCommands(app, cli);
}

}  // namespace uplift::cli
