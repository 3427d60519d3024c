// upliftctl as an operator uses it, against a real registry: key and token
// set-up, CSV import with bad rows, aligned Chinese tables, JSON output,
// health checks and error exits.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_split.h"
#include "tests/support/registry_fixture.h"
#include "common/display_width.h"

namespace uplift::testing {
namespace {

class UpliftctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.SeedBasics();
    std::ofstream(f_.dir().File("admin.token")) << f_.admin_token << "\n";
  }

  // Runs upliftctl against the fixture's registry with the admin token.
  int Ctl(std::vector<std::string> args, std::string* out) {
    std::vector<std::string> full = {"--registry-addr", f_.address(), "--token-file",
                                     f_.dir().File("admin.token")};
    full.insert(full.end(), args.begin(), args.end());
    return RunCommand(UPLIFT_CTL_BIN, full, out);
  }

  void WriteFile(const std::string& name, const std::string& content) {
    std::ofstream(f_.dir().File(name), std::ios::binary) << content;
  }

  RegistryFixture f_;
};

int Mode(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

TEST(UpliftctlAuth, InitWritesOwnerOnlySecretsOnce) {
  TempDir dir;
  std::string out;
  const std::vector<std::string> args = {"auth", "init", "--dir", dir.File("auth"),
                                         "--admin-token", dir.File("admin.token")};
  ASSERT_EQ(RunCommand(UPLIFT_CTL_BIN, args, &out), 0) << out;
  EXPECT_EQ(Mode(dir.File("auth")), 0700);
  EXPECT_EQ(Mode(dir.File("auth/private")), 0700);
  EXPECT_EQ(Mode(dir.File("auth/private/tokens.key")), 0600);
  EXPECT_EQ(Mode(dir.File("admin.token")), 0600);
  for (const char* service : {"uplift-registry", "uplift-tasks", "uplift-indicators", "uplift-notify"}) {
    const std::string d = dir.File(std::string("auth/") + service);
    EXPECT_EQ(Mode(d), 0700) << service;
    for (const char* file : {"events.key", "page-token.key", "redis.password"}) {
      EXPECT_EQ(Mode(d + "/" + file), 0600) << service << "/" << file;
    }
  }
  EXPECT_EQ(Mode(dir.File("auth/uplift-registry/service.token")), -1) << "it calls no one";
  EXPECT_EQ(Mode(dir.File("auth/uplift-tasks/service.token")), 0600);
  // The Redis ACL: hashes only, the default user off.
  std::ifstream acl(dir.File("auth/redis/users.acl"));
  std::stringstream acl_text;
  acl_text << acl.rdbuf();
  EXPECT_NE(acl_text.str().find("user default off"), std::string::npos);
  EXPECT_EQ(acl_text.str().find(">"), std::string::npos) << "no password in clear";
  std::ifstream token_file(dir.File("admin.token"));
  std::string token;
  token_file >> token;
  EXPECT_EQ(token.rfind("v1.", 0), 0u);
  // Again: nothing is replaced.
  ASSERT_EQ(RunCommand(UPLIFT_CTL_BIN, args, &out), 0) << out;
  std::ifstream again(dir.File("admin.token"));
  std::string token2;
  again >> token2;
  EXPECT_EQ(token, token2);
  EXPECT_EQ(out.find("created"), std::string::npos) << out;
}

TEST_F(UpliftctlTest, MintedTownshipTokenWorksForItsOwnTownshipOnly) {
  std::string out;
  EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN,
                       {"auth", "mint", "--key", f_.keys().private_key_file(), "--role",
                        "TOWNSHIP", "--subject", "承安镇专班"},
                       &out),
            2);
  EXPECT_NE(out.find("--unit is required"), std::string::npos) << out;
  const std::string token_file = f_.dir().File("town.token");
  ASSERT_EQ(RunCommand(UPLIFT_CTL_BIN,
                       {"auth", "mint", "--key", f_.keys().private_key_file(), "--role",
                        "township", "--unit", "town-a", "--subject", "承安镇专班", "--out",
                        token_file},
                       &out),
            0)
      << out;
  EXPECT_EQ(Mode(token_file), 0600);
  auto create = [&](int n, const std::string& township) {
    return std::vector<std::string>{"--registry-addr", f_.address(), "--token-file", token_file,
                                    "enterprise", "create", "--code", TestCreditCode(n),
                                    "--name", "企业" + std::to_string(n), "--cluster",
                                    "equipment", "--township", township};
  };
  const std::vector<std::string> own = create(5, "town-a"), other = create(6, "town-b");
  EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN, own, &out), 0) << out;
  EXPECT_EQ(RunCommand(UPLIFT_CTL_BIN, other, &out), 1) << out;
  EXPECT_NE(out.find("PERMISSION_DENIED"), std::string::npos) << out;
}

TEST_F(UpliftctlTest, CsvImportKeepsGoodRowsAndListsBadOnes) {
  WriteFile("enterprises.csv",
            "\xEF\xBB\xBF统一社会信用代码,企业名称,集群,乡镇,园区,骨干企业,规上企业,规上日期\r\n" +
                TestCreditCode(1) + ",新乐市华信机械制造有限公司,equipment,town-a,新乐经济开发区,是,是,2021-03-01\r\n" +
                "91130184MA0000002X,校验位错误的企业,equipment,town-a,,否,否,\r\n" +
                TestCreditCode(3) + ",\"河北\"\"恒通\"\"装备, 有限公司\",equipment,town-b,,否,否,\r\n" +
                TestCreditCode(4) + ",不存在乡镇的企业,equipment,town-x,,否,否,\r\n" +
                TestCreditCode(5) + ",布尔值错误的企业,equipment,town-a,,也许,否,\r\n");
  std::string out;
  EXPECT_EQ(Ctl({"enterprise", "import", f_.dir().File("enterprises.csv")}, &out), 1) << out;
  EXPECT_NE(out.find("新增"), std::string::npos) << out;
  for (const std::string& expected :
       {std::string("3 "), std::string("enterprise.credit_code"), std::string("5 "),
        std::string("enterprise.township_id"), std::string("6 "), std::string("key_enterprise")}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  }
  rv1::GetEnterpriseRequest req;
  rv1::GetEnterpriseResponse resp;
  req.set_credit_code(TestCreditCode(3));
  ASSERT_TRUE(f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
  EXPECT_EQ(resp.enterprise().name(), "河北\"恒通\"装备, 有限公司");
  req.set_credit_code(TestCreditCode(1));
  ASSERT_TRUE(f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
  EXPECT_TRUE(resp.enterprise().key_enterprise());
  EXPECT_EQ(resp.enterprise().above_size_since(), "2021-03-01");

  // --progress draws the bar even without a terminal.
  EXPECT_EQ(Ctl({"enterprise", "import", "--progress", f_.dir().File("enterprises.csv")}, &out), 1);
  EXPECT_NE(out.find("导入 [##############################] 4/4 (100%)"), std::string::npos) << out;

  // --json gives the tally as data.
  EXPECT_EQ(Ctl({"--json", "enterprise", "import", f_.dir().File("enterprises.csv")}, &out), 1);
  rv1::ImportEnterprisesResponse result;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &result).ok()) << out;
  EXPECT_EQ(result.unchanged(), 2);
  EXPECT_EQ(result.errors_size(), 3);
}

TEST_F(UpliftctlTest, ImportsGb18030FilesFromExcel) {
  // "credit_code,name,cluster_id,township_id\n<code>,承安镇\n" with the name in GB18030.
  WriteFile("gbk.csv", "credit_code,name,cluster_id,township_id\n" + TestCreditCode(9) +
                           ",\xB3\xD0\xB0\xB2\xD5\xF2,equipment,town-a\n");
  std::string out;
  ASSERT_EQ(Ctl({"enterprise", "import", f_.dir().File("gbk.csv")}, &out), 0) << out;
  rv1::GetEnterpriseRequest req;
  req.set_credit_code(TestCreditCode(9));
  rv1::GetEnterpriseResponse resp;
  ASSERT_TRUE(f_.stub().GetEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
  EXPECT_EQ(resp.enterprise().name(), "承安镇");
}

TEST_F(UpliftctlTest, TablesAlignChineseColumns) {
  f_.CreateEnterprise(1);
  rv1::CreateEnterpriseRequest req;
  req.mutable_enterprise()->set_credit_code(TestCreditCode(2));
  req.mutable_enterprise()->set_name("华");
  req.mutable_enterprise()->set_cluster_id("equipment");
  req.mutable_enterprise()->set_township_id("town-b");
  rv1::CreateEnterpriseResponse resp;
  ASSERT_TRUE(f_.stub().CreateEnterprise(f_.Ctx(f_.admin_token).get(), req, &resp).ok());
  std::string out;
  ASSERT_EQ(Ctl({"enterprise", "list"}, &out), 0) << out;
  std::vector<std::string> lines = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << out;
  auto column_of = [](const std::string& line, const std::string& cell) {
    const size_t at = line.find(cell);
    return at == std::string::npos ? -1 : uplift::DisplayWidth(line.substr(0, at));
  };
  const int cluster_column = column_of(lines[0], "集群");
  EXPECT_GT(cluster_column, 0);
  EXPECT_EQ(column_of(lines[2], "equipment"), cluster_column) << out;
  EXPECT_EQ(column_of(lines[3], "equipment"), cluster_column) << out;
}

TEST_F(UpliftctlTest, JsonOutputIsTheProtoAsJson) {
  f_.CreateEnterprise(1);
  std::string out;
  ASSERT_EQ(Ctl({"enterprise", "get", TestCreditCode(1), "--json"}, &out), 0) << out;
  rv1::GetEnterpriseResponse resp;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &resp).ok()) << out;
  EXPECT_EQ(resp.enterprise().credit_code(), TestCreditCode(1));
  EXPECT_EQ(resp.enterprise().township_id(), "town-a");
}

TEST_F(UpliftctlTest, TiersAndPoolsFromTheCommandLine) {
  f_.CreateEnterprise(1);
  std::string out;
  ASSERT_EQ(Ctl({"tier", "award", TestCreditCode(1), "--tier", "专精特新中小企业", "--level",
                 "省级", "--date", "2023-06-30", "--evidence", "冀工信企业〔2023〕123号"},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("专精特新中小企业"), std::string::npos) << out;
  ASSERT_EQ(Ctl({"listing", "enter", TestCreditCode(1), "--date", "2023-07-01"}, &out), 0) << out;
  ASSERT_EQ(Ctl({"listing", "advance", TestCreditCode(1), "--stage", "辅导", "--date", "2023-08-01"}, &out), 0)
      << out;
  EXPECT_EQ(Ctl({"listing", "advance", TestCreditCode(1), "--stage", "股改", "--date", "2023-09-01"}, &out), 1);
  EXPECT_NE(out.find("only move forward"), std::string::npos) << out;
  ASSERT_EQ(Ctl({"pools", TestCreditCode(1)}, &out), 0) << out;
  EXPECT_NE(out.find("阶段推进"), std::string::npos) << out;
  ASSERT_EQ(Ctl({"audit", "list", "--target", "enterprise/" + TestCreditCode(1)}, &out), 0) << out;
  EXPECT_NE(out.find("AdvanceListingStage"), std::string::npos) << out;
}

TEST_F(UpliftctlTest, ErrorsExitNonZeroNamingTheField) {
  std::string out;
  EXPECT_EQ(Ctl({"enterprise", "get", "91130184MA0000001X"}, &out), 1);
  EXPECT_NE(out.find("INVALID_ARGUMENT: credit_code:"), std::string::npos) << out;
  EXPECT_EQ(Ctl({"enterprise", "get", TestCreditCode(77)}, &out), 1);
  EXPECT_NE(out.find("NOT_FOUND"), std::string::npos) << out;
}

TEST_F(UpliftctlTest, HealthReportsEachService) {
  std::string out;
  EXPECT_EQ(Ctl({"health"}, &out), 0) << out;
  EXPECT_NE(out.find("SERVING"), std::string::npos);
  EXPECT_EQ(Ctl({"--timeout", "1s", "health", "--addr", "127.0.0.1:" + std::to_string(FreePort())},
                &out),
            1)
      << out;
  EXPECT_NE(out.find("UNREACHABLE"), std::string::npos) << out;
}

}  // namespace
}  // namespace uplift::testing
