// upliftctl preferences show|set: how a person is reached (the person
// themself, or ADMIN with --login): which of their channels each kind of
// notification goes to, and their quiet hours.
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tools/upliftctl/cli.h"
#include "tools/upliftctl/command_util.h"
#include "tools/upliftctl/notify_labels.h"
#include "tools/upliftctl/table.h"

namespace uplift::cli {
namespace {

namespace nv1 = uplift::notify::v1;

// The options of `set`, one per kind a person routes.
struct KindOption {
  const char* flag;
  nv1::Kind kind;
};
constexpr KindOption kKindOptions[] = {
    {"--escalation", nv1::KIND_ESCALATION}, {"--supervisor-notice", nv1::KIND_SUPERVISOR_NOTICE},
    {"--alert", nv1::KIND_ALERT},           {"--digest", nv1::KIND_REMINDER_DIGEST},
    {"--request", nv1::KIND_REQUEST},
};

// "sms,wecom" -> the route of `kind`; "none": the inbox only.
nv1::Route ParseRoute(const std::string& flag, nv1::Kind kind, const std::string& text) {
  nv1::Route route;
  route.set_kind(kind);
  if (text == "none") return route;
  for (absl::string_view word : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    const std::optional<nv1::ChannelType> type = ChannelTypeOfWord(std::string(word));
    if (!type.has_value() || *type == nv1::CHANNEL_TYPE_WEBHOOK) {
      FailCommand(flag + ": \"" + std::string(word) +
                      "\" is not sms, email, wecom or dingtalk (or none, or default)",
                  2);
    }
    route.add_channel_types(*type);
  }
  return route;
}

void PrintPerson(const nv1::Person& p) {
  std::cout << p.display_name() << "（" << p.login() << "）  " << p.unit_id()
            << (p.active() ? "" : "  已停用：不再接收") << "\n";
  Table routes({"通知类型", "发往", "选项"});
  for (const KindOption& k : kKindOptions) {
    const nv1::Route* set = nullptr;
    for (const nv1::Route& r : p.preferences().routes()) {
      if (r.kind() == k.kind) set = &r;
    }
    std::vector<std::string> to;
    if (set != nullptr) {
      for (int t : set->channel_types()) {
        to.push_back(ChannelTypeLabel(static_cast<nv1::ChannelType>(t)));
      }
    }
    routes.AddRow({KindLabel(k.kind),
                   set == nullptr ? "（默认）"
                   : to.empty()   ? "仅站内消息"
                                  : absl::StrJoin(to, "、"),
                   k.flag});
  }
  routes.Print(std::cout);
  std::cout << "免打扰："
            << (p.preferences().quiet_start().empty()
                    ? "无"
                    : p.preferences().quiet_start() + "-" + p.preferences().quiet_end() +
                          "（预警与汇总顺延，问题上报照常即时送达）")
            << "\n";
  Table channels({"渠道", "类型", "地址", "说明"});
  for (const nv1::Channel& c : p.channels()) {
    channels.AddRow({c.channel_id(), ChannelTypeLabel(c.type()),
                     c.address().empty() ? c.url() : c.address(), c.description()});
  }
  channels.Print(std::cout, 60);
}

}  // namespace

void AddPreferenceCommands(CLI::App& app, Cli& cli) {
  CLI::App* prefs =
      app.add_subcommand("preferences", "how a person is reached, per kind of notification");
  prefs->require_subcommand(1);
  {
    auto login = std::make_shared<std::string>();
    CLI::App* c = prefs->add_subcommand("show", "a person's channels, routes and quiet hours");
    c->add_option("--login", *login, "whose (ADMIN); default: the token's person");
    c->callback([&cli, login] {
      nv1::GetPreferencesRequest req;
      req.set_login(*login);
      nv1::GetPreferencesResponse resp;
      cli.Check(cli.Notify().GetPreferences(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintPerson(resp.person()); });
    });
  }
  {
    struct Args {
      std::string login, quiet;
      std::map<nv1::Kind, std::string> routes;
    };
    auto a = std::make_shared<Args>();
    CLI::App* c = prefs->add_subcommand(
        "set",
        "change the routes named (sms,email,wecom,dingtalk; none: the inbox only; "
        "default: as the service decides) and the quiet hours; the rest stay");
    c->add_option("--login", a->login, "whose (ADMIN); default: the token's person");
    for (const KindOption& k : kKindOptions) {
      c->add_option(k.flag, a->routes[k.kind], KindLabel(k.kind));
    }
    c->add_option("--quiet", a->quiet,
                  "HH:MM-HH:MM (Asia/Shanghai): alerts and digests wait; off: none");
    c->callback([&cli, a] {
      nv1::GetPreferencesRequest get;
      get.set_login(a->login);
      nv1::GetPreferencesResponse current;
      cli.Check(cli.Notify().GetPreferences(cli.Context().get(), get, &current));
      nv1::SetPreferencesRequest req;
      req.set_login(a->login);
      nv1::Preferences* p = req.mutable_preferences();
      *p = current.person().preferences();
      for (const KindOption& k : kKindOptions) {
        const std::string& text = a->routes[k.kind];
        if (text.empty()) continue;
        auto* routes = p->mutable_routes();
        for (int i = routes->size() - 1; i >= 0; --i) {
          if (routes->Get(i).kind() == k.kind) routes->DeleteSubrange(i, 1);
        }
        if (text != "default") *routes->Add() = ParseRoute(k.flag, k.kind, text);
      }
      if (a->quiet == "off") {
        p->clear_quiet_start();
        p->clear_quiet_end();
      } else if (!a->quiet.empty()) {
        const std::vector<std::string> parts = absl::StrSplit(a->quiet, '-');
        if (parts.size() != 2) FailCommand("--quiet: give HH:MM-HH:MM, or off", 2);
        p->set_quiet_start(parts[0]);
        p->set_quiet_end(parts[1]);
      }
      nv1::SetPreferencesResponse resp;
      cli.Check(cli.Notify().SetPreferences(cli.Context().get(), req, &resp));
      Show(cli, resp, [&] { PrintPerson(resp.person()); });
    });
  }
}

}  // namespace uplift::cli
