// Tests of the access table: its decisions, that it fails closed, and that
// it names every RPC of every service of the suite (and nothing else).
#include "common/auth/access_table.h"

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "tests/support/test_env.h"
#include "uplift/accounts/v1/accounts.grpc.pb.h"
#include "uplift/auth/v1/revocation.grpc.pb.h"
#include "uplift/indicators/v1/indicators.grpc.pb.h"
#include "uplift/notify/v1/notify.grpc.pb.h"
#include "uplift/registry/v1/registry.grpc.pb.h"
#include "uplift/tasks/v1/projects.grpc.pb.h"
#include "uplift/tasks/v1/tasks.grpc.pb.h"

namespace uplift {
namespace {

using namespace uplift::auth::v1;
using testing::TestPrincipal;

const AccessTable& Table() { return AccessTable::Builtin(); }

TEST(AccessTable, DecidesByRoleAndOwnUnit) {
  const std::string rpc = "uplift.registry.v1.EnterpriseRegistry/CreateEnterprise";
  EXPECT_TRUE(Table().Check(TestPrincipal(ROLE_ADMIN, "", "a"), rpc, false).ok());
  EXPECT_TRUE(Table().Check(TestPrincipal(ROLE_TOWNSHIP, "town-a", "t"), rpc, true).ok());
  EXPECT_EQ(Table().Check(TestPrincipal(ROLE_TOWNSHIP, "town-a", "t"), rpc, false).code(),
            absl::StatusCode::kPermissionDenied);
  absl::Status viewer = Table().Gate(TestPrincipal(ROLE_VIEWER, "", "v"), rpc);
  EXPECT_EQ(viewer.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(viewer.message().find("allowed: ADMIN, PLAN_OWNER; TOWNSHIP for their own unit"),
            std::string::npos)
      << viewer.message();
}

TEST(AccessTable, ServiceTokensMayCallOnlyWhatTheirServiceNeeds) {
  Principal tasks = TestPrincipal(ROLE_SERVICE, "", "uplift-tasks");
  EXPECT_TRUE(Table().Gate(tasks, "uplift.registry.v1.EnterpriseRegistry/GetEnterprise").ok());
  EXPECT_EQ(Table().Gate(tasks, "uplift.registry.v1.EnterpriseRegistry/CreateUnit").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Table().Gate(tasks, "uplift.indicators.v1.IndicatorAggregation/ClosePeriod").code(),
            absl::StatusCode::kPermissionDenied);
  Principal stranger = TestPrincipal(ROLE_SERVICE, "", "some-script");
  EXPECT_FALSE(Table().Gate(stranger, "uplift.registry.v1.EnterpriseRegistry/GetEnterprise").ok());
}

TEST(AccessTable, FailsClosedForAnRpcItDoesNotName) {
  EXPECT_EQ(Table().Gate(TestPrincipal(ROLE_ADMIN, "", "a"), "uplift.x.v1.X/Y").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessTable, ListsRestrictScopedRolesToTheirOwnRows) {
  const std::string rpc = "uplift.tasks.v1.TaskAssignment/ListProblems";
  EXPECT_TRUE(Table().Restricted(TestPrincipal(ROLE_TOWNSHIP, "town-a", "t"), rpc));
  EXPECT_TRUE(Table().Restricted(TestPrincipal(ROLE_LEADER, "l", "l"), rpc));
  EXPECT_FALSE(Table().Restricted(TestPrincipal(ROLE_VIEWER, "", "v"), rpc));
  EXPECT_FALSE(Table().Restricted(TestPrincipal(ROLE_ADMIN, "", "a"), rpc));
}

TEST(AccessTable, NamesEveryRpcOfTheSuiteAndNothingElse) {
  std::set<std::string> rpcs;
  // Through a message of each file, so that its descriptors are linked in.
  for (const google::protobuf::FileDescriptor* file :
       {uplift::registry::v1::GetUnitRequest::descriptor()->file(),
        uplift::auth::v1::RevokeTokenRequest::descriptor()->file(),
        uplift::tasks::v1::GetPlanRequest::descriptor()->file(),
        uplift::tasks::v1::GetProjectRequest::descriptor()->file(),
        uplift::indicators::v1::GetReportRequest::descriptor()->file(),
        uplift::notify::v1::ListInboxRequest::descriptor()->file(),
        uplift::accounts::v1::SignInRequest::descriptor()->file()}) {
    ASSERT_EQ(file->service_count(), 1) << file->name();
    const google::protobuf::ServiceDescriptor* d = file->service(0);
    for (int i = 0; i < d->method_count(); ++i) {
      rpcs.insert(absl::StrCat(d->full_name(), "/", d->method(i)->name()));
    }
  }
  std::set<std::string> listed;
  for (const access::v1::Rule& r : Table().table().rules()) listed.insert(r.rpc());
  EXPECT_EQ(listed, rpcs);
}

TEST(AccessTable, RefusesARuleListedTwice) {
  const std::string text =
      "rules { rpc: \"a.B/C\" any: [ROLE_ADMIN] }\nrules { rpc: \"a.B/C\" any: [ROLE_VIEWER] }\n";
  EXPECT_EQ(AccessTable::Parse(text, "t").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace uplift
