// Small helpers the command files share: JSON-or-table output, paging
// options with --all, and update masks built from the options given.
#pragma once

#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <google/protobuf/field_mask.pb.h>

#include "tools/upliftctl/cli.h"

namespace uplift::cli {

// --json prints the response; otherwise `human` prints it for people.
template <typename Response>
void Show(const Cli& cli, const Response& response, const std::function<void()>& human) {
  if (cli.json()) {
    cli.PrintJson(response);
  } else {
    human();
  }
}

struct ListPaging {
  int page_size = 0;
  std::string page_token;
  bool all = false;
  void AddOptions(CLI::App* command) {
    command->add_option("--page-size", page_size, "rows per page (default 50, at most 1000)");
    command->add_option("--page-token", page_token, "continue from a previous page");
    command->add_flag("--all", all, "fetch every page");
  }
};

// Calls `call(request, &response)` for the first page and, with --all, for
// every following page, merging with `merge(&accumulated, next)`.
template <typename Response, typename Request, typename Call, typename Merge>
Response ListAllPages(const ListPaging& paging, Request request, Call call, const Cli& cli,
                      Merge merge) {
  request.set_page_size(paging.page_size);
  request.set_page_token(paging.page_token);
  Response accumulated;
  cli.Check(call(request, &accumulated));
  while (paging.all && !accumulated.next_page_token().empty()) {
    request.set_page_token(accumulated.next_page_token());
    Response next;
    cli.Check(call(request, &next));
    merge(&accumulated, next);
    accumulated.set_next_page_token(next.next_page_token());
  }
  return accumulated;
}

inline void PrintNextPage(const std::string& token) {
  if (!token.empty()) {
    std::cerr << "(more: --page-token " << token << ", or --all)\n";
  }
}

// The mask paths of the options that were given, e.g. {"--name", "name"}.
inline google::protobuf::FieldMask MaskFromOptions(
    CLI::App* command, const std::vector<std::pair<std::string, std::string>>& options) {
  google::protobuf::FieldMask mask;
  for (const auto& [option, path] : options) {
    if (command->count(option) > 0) mask.add_paths(path);
  }
  return mask;
}

}  // namespace uplift::cli
