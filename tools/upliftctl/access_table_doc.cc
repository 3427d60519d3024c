// The access table as Markdown, and `upliftctl access-table`.
#include "tools/upliftctl/access_table_doc.h"

#include <iostream>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "tools/upliftctl/cli.h"

namespace uplift::cli {
namespace {

std::string Roles(const google::protobuf::RepeatedField<int>& roles) {
  if (roles.empty()) return "–";
  std::vector<std::string> names;
  for (int r : roles) names.push_back(RoleName(static_cast<Role>(r)));
  return absl::StrJoin(names, ", ");
}

std::string Cell(const std::string& text) {
  return text.empty() ? "–" : absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

}  // namespace

std::string AccessTableMarkdown(const AccessTable& table) {
  std::string out =
      "# Access table\n\n"
      "Generated from `access/access_table.textproto` by `upliftctl access-table`; edit the\n"
      "table, not this file (the test `access_doc` fails when they differ). Every service\n"
      "enforces the table: the gate before each handler refuses a role in none of the\n"
      "columns, and the logic checks the unit where the table says \"own unit only\".\n"
      "`tests/access_wire_test` calls every RPC with a token of every role, for its own\n"
      "unit's resource and another unit's, and with each service's SERVICE token.\n\n"
      "- **any unit**: allowed whatever unit the resource belongs to\n"
      "- **own unit only**: allowed on the caller's own unit's resources, PERMISSION_DENIED\n"
      "  on another's (what \"own\" means is in the last column)\n"
      "- **own unit's rows**: a list that shows the caller only its own unit's rows\n"
      "- **SERVICE tokens of**: services whose SERVICE token may call it\n\n"
      "A role in no column gets PERMISSION_DENIED; an RPC missing from the table is\n"
      "refused to everyone.\n";
  std::map<std::string, std::vector<const access::v1::Rule*>> by_service;
  std::vector<std::string> order;
  for (const access::v1::Rule& rule : table.table().rules()) {
    const std::string service = rule.rpc().substr(0, rule.rpc().find('/'));
    if (by_service.count(service) == 0) order.push_back(service);
    by_service[service].push_back(&rule);
  }
  for (const std::string& service : order) {
    absl::StrAppend(&out, "\n## ", service, "\n\n",
                    "| RPC | any unit | own unit only | own unit's rows | SERVICE tokens of | "
                    "own unit means; note |\n",
                    "|---|---|---|---|---|---|\n");
    for (const access::v1::Rule* rule : by_service[service]) {
      std::vector<std::string> notes;
      if (!rule->own_means().empty()) notes.push_back(rule->own_means());
      if (!rule->note().empty()) notes.push_back(rule->note());
      absl::StrAppend(&out, "| ", rule->rpc().substr(rule->rpc().find('/') + 1), " | ",
                      Roles(rule->any()), " | ", Roles(rule->own()), " | ", Roles(rule->filtered()),
                      " | ", rule->services().empty() ? "–" : absl::StrJoin(rule->services(), ", "),
                      " | ", Cell(absl::StrJoin(notes, "; ")), " |\n");
    }
  }
  return out;
}

void AddAccessTableCommand(CLI::App& app) {
  CLI::App* c = app.add_subcommand("access-table",
                                   "print the suite's access table as Markdown (docs/access.md)");
  c->callback([] { std::cout << AccessTableMarkdown(AccessTable::Builtin()); });
}

}  // namespace uplift::cli
