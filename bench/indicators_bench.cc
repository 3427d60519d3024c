// Benchmark, not a test: the indicator service on a generated county (by
// default 100,000 enterprises with 24 months of reports each) against real
// processes (redis-server, registry, tasks, indicators). Prints:
//   - how long the registry import and the indicator service's catch-up on
//     the registry's events take;
//   - the time to ingest every report through the ImportReports stream, and
//     reports per second;
//   - how long a restart takes to reload the working set;
//   - the time of the full aggregation (cluster x township for every month,
//     with year to date and comparable year-on-year growth) through
//     GetAggregates, and in the same run, on the same rows, the equivalent
//     GROUP BY queries in SQLite, with the ratio, after checking that both
//     give the same sums.
// In one run on SQLite, on PostgreSQL, and on PostgreSQL with two replicas
// of uplift-indicators (the streams and the aggregation's months taking
// turns over them), with ratios to SQLite and a check that every set-up's
// aggregation answers the same. Asserts nothing about speed.
#include <cstdio>
#include <map>
#include <thread>
#include <tuple>

#include <CLI/CLI.hpp>
#include <SQLiteCpp/SQLiteCpp.h>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/build_info.h"
#include "bench/engine_setups.h"
#include "common/text_proto.h"
#include "tests/support/indicators_fixture.h"
#include "tools/county/county_model.h"

namespace {

using uplift::bench::Setup;

namespace iv1 = uplift::indicators::v1;
namespace rv1 = uplift::registry::v1;

struct Options {
  int enterprises = 100000;
  int batch = 2000;
  int repeat = 3;
  int streams = 1;
};

uplift::tasks::v1::Plan LoadPlan() {
  std::ifstream in(std::string(UPLIFT_SOURCE_DIR) + "/plans/xinle-2023.textproto");
  std::stringstream text;
  text << in.rdbuf();
  uplift::tasks::v1::Plan plan;
  if (!uplift::ParseTextProto(text.str(), "plan", &plan).ok()) std::exit(1);
  return plan;
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// The shortest of `repeat` runs of `run`.
template <typename Run>
absl::Duration Best(int repeat, const Run& run) {
  absl::Duration best = absl::InfiniteDuration();
  for (int r = 0; r < std::max(1, repeat); ++r) {
    const absl::Time start = absl::Now();
    run();
    best = std::min(best, absl::Now() - start);
  }
  return best;
}

void Check(const grpc::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s failed: %s\n", what, s.error_message().c_str());
  std::exit(1);
}

void ImportEnterprises(uplift::testing::IndicatorsFixture& f, const uplift::county::CountyModel& county) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + f.admin_token);
  rv1::ImportEnterprisesResponse result;
  auto writer = f.stub().ImportEnterprises(&ctx, &result);
  for (const auto& ce : county.enterprises()) {
    rv1::ImportEnterprisesRequest row;
    *row.mutable_enterprise() = ce.enterprise;
    writer->Write(row);
  }
  writer->WritesDone();
  Check(writer->Finish(), "ImportEnterprises");
}

// Every report of the county as ImportReports messages of `batch` rows.
std::vector<iv1::ImportReportsRequest> Batches(const uplift::county::CountyModel& county, int batch,
                                               int64_t* rows) {
  std::vector<iv1::ImportReportsRequest> out(1);
  *rows = 0;
  for (int e = 0; e < static_cast<int>(county.enterprises().size()); ++e) {
    for (int year = county.year() - 1; year <= county.year(); ++year) {
      for (int m = 1; m <= 12; ++m) {
        auto f = county.Month(e, year, m);
        if (!f) continue;
        if (out.back().rows_size() >= batch) out.emplace_back();
        iv1::ReportRow* row = out.back().add_rows();
        row->mutable_report()->set_credit_code(county.enterprises()[e].enterprise.credit_code());
        row->mutable_report()->set_period(absl::StrFormat("%04d-%02d", year, m));
        *row->mutable_report()->mutable_figures() = uplift::indicators::ToProto(*f);
        ++*rows;
      }
    }
  }
  return out;
}

// Streams `batches[i]` for i = first, first + step, ... on one call; when
// the service answers ABORTED (its write lost a conflict ten times), sends
// the same rows again, as a client must (rows already stored come back
// unchanged), counting the times in `aborted`.
iv1::ImportReportsResponse Stream(iv1::IndicatorAggregation::Stub& stub, const std::string& token,
                                  const std::vector<iv1::ImportReportsRequest>& batches,
                                  size_t first, size_t step, int* aborted) {
  for (;;) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    iv1::ImportReportsResponse result;
    auto writer = stub.ImportReports(&ctx, &result);
    for (size_t i = first; i < batches.size(); i += step) {
      if (!writer->Write(batches[i])) break;
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    if (status.error_code() == grpc::StatusCode::ABORTED && ++*aborted <= 20) continue;
    Check(status, "ImportReports");
    return result;
  }
}

struct Sums {
  int64_t month_revenue = 0, ytd_revenue = 0, ytd_tax = 0, cur = 0, prev = 0;
  int64_t reporting = 0;
  bool operator==(const Sums& o) const {
    return std::tie(month_revenue, ytd_revenue, ytd_tax, cur, prev, reporting) ==
           std::tie(o.month_revenue, o.ytd_revenue, o.ytd_tax, o.cur, o.prev, o.reporting);
  }
};
using Grouped = std::map<std::pair<std::string, std::string>, Sums>;

// One month through the service: cluster x township rows.
Grouped ServiceMonth(iv1::IndicatorAggregation::Stub& stub, const std::string& token, int year,
                     int month) {
  iv1::GetAggregatesRequest req;
  req.set_period(absl::StrFormat("%04d-%02d", year, month));
  req.set_group_by(iv1::GROUP_BY_CLUSTER_TOWNSHIP);
  iv1::GetAggregatesResponse resp;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  Check(stub.GetAggregates(&ctx, req, &resp), "GetAggregates");
  Grouped out;
  for (const auto& r : resp.rows()) {
    Sums& s = out[{r.cluster_id(), r.township_id()}];
    s.month_revenue = r.month().revenue_fen();
    s.ytd_revenue = r.year_to_date().revenue_fen();
    s.ytd_tax = r.year_to_date().tax_fen();
    s.cur = r.ytd_growth().current_fen();
    s.prev = r.ytd_growth().previous_fen();
    s.reporting = r.reporting();
  }
  return out;
}

// The same month with GROUP BY in SQLite: month sums, year-to-date sums,
// and the comparable basis (same enterprise, same month a year before).
Grouped SqliteMonth(SQLite::Database& db, int year, int month) {
  Grouped out;
  const int period = year * 100 + month, first = year * 100 + 1;
  SQLite::Statement m(db,
                      "SELECT e.cluster_id, e.township_id, SUM(r.revenue_fen), COUNT(*) FROM reports r "
                      "JOIN enterprises e ON e.credit_code = r.credit_code WHERE r.period = ? GROUP BY 1, 2");
  m.bind(1, period);
  while (m.executeStep()) {
    Sums& s = out[{m.getColumn(0).getString(), m.getColumn(1).getString()}];
    s.month_revenue = m.getColumn(2).getInt64();
    s.reporting = m.getColumn(3).getInt64();
  }
  SQLite::Statement y(db,
                      "SELECT e.cluster_id, e.township_id, SUM(r.revenue_fen), SUM(r.tax_fen) FROM reports r "
                      "JOIN enterprises e ON e.credit_code = r.credit_code "
                      "WHERE r.period BETWEEN ? AND ? GROUP BY 1, 2");
  y.bind(1, first);
  y.bind(2, period);
  while (y.executeStep()) {
    Sums& s = out[{y.getColumn(0).getString(), y.getColumn(1).getString()}];
    s.ytd_revenue = y.getColumn(2).getInt64();
    s.ytd_tax = y.getColumn(3).getInt64();
  }
  SQLite::Statement g(db,
                      "SELECT e.cluster_id, e.township_id, SUM(c.revenue_fen), SUM(p.revenue_fen) "
                      "FROM reports c JOIN reports p ON p.credit_code = c.credit_code AND p.period = c.period - 100 "
                      "JOIN enterprises e ON e.credit_code = c.credit_code "
                      "WHERE c.period BETWEEN ? AND ? GROUP BY 1, 2");
  g.bind(1, first);
  g.bind(2, period);
  while (g.executeStep()) {
    Sums& s = out[{g.getColumn(0).getString(), g.getColumn(1).getString()}];
    s.cur = g.getColumn(2).getInt64();
    s.prev = g.getColumn(3).getInt64();
  }
  return out;
}

using Months = std::map<std::pair<int, int>, Grouped>;

// Every month of 2022 and 2023.
std::vector<std::pair<int, int>> AllMonths() {
  std::vector<std::pair<int, int>> months;
  for (int year = 2022; year <= 2023; ++year) {
    for (int m = 1; m <= 12; ++m) months.emplace_back(year, m);
  }
  return months;
}

struct Outcome {
  absl::Duration registry_import, catch_up, ingest, first_query, restart, aggregation;
  int64_t rows = 0;
  int streams = 0;
  int aborted = 0;  // ImportReports calls answered ABORTED and sent again
  Months months;  // the full aggregation's answers
  bool ok = false;
  // On SQLite: the GROUP BY baseline on an indexed copy of the service's rows.
  bool has_baseline = false, baseline_agrees = false;
  absl::Duration baseline_build, baseline;
};

// The GROUP BY queries on an indexed copy of the rows in the service's
// SQLite file (period, and the primary key for the year-before join),
// compared with what the service answered.
void SqliteBaseline(uplift::testing::IndicatorsFixture& f, const Options& o, Outcome& out) {
  const std::string baseline_path = f.dir().File("baseline.db");
  absl::Time t0 = absl::Now();
  {
    SQLite::Database db(baseline_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("ATTACH DATABASE '" + f.dir().File("indicators-data/indicators.db") + "' AS svc");
    db.exec(
        "CREATE TABLE reports (credit_code TEXT NOT NULL, period INTEGER NOT NULL, revenue_fen "
        "INTEGER,"
        " output_value_fen INTEGER, tax_fen INTEGER, rnd_fen INTEGER, employees INTEGER,"
        " land_centi_mu INTEGER, PRIMARY KEY (credit_code, period)) WITHOUT ROWID");
    db.exec(
        "INSERT INTO reports SELECT credit_code, period, revenue_fen, output_value_fen, tax_fen, "
        "rnd_fen,"
        " employees, land_centi_mu FROM svc.reports");
    db.exec("CREATE INDEX reports_by_period ON reports(period, credit_code, revenue_fen, tax_fen)");
    db.exec(
        "CREATE TABLE enterprises AS SELECT credit_code, cluster_id, township_id FROM "
        "svc.enterprises");
    db.exec(
        "CREATE UNIQUE INDEX enterprises_by_code ON enterprises(credit_code, cluster_id, "
        "township_id)");
    db.exec("ANALYZE");
    db.exec("DETACH DATABASE svc");
  }
  out.baseline_build = absl::Now() - t0;
  SQLite::Database baseline(baseline_path, SQLite::OPEN_READONLY);
  Months from_sqlite;
  out.baseline = Best(std::min(o.repeat, 2), [&] {
    for (auto [y, m] : AllMonths()) from_sqlite[{y, m}] = SqliteMonth(baseline, y, m);
  });
  out.has_baseline = true;
  out.baseline_agrees = true;
  for (auto [y, m] : AllMonths()) {
    const Grouped& a = out.months[{y, m}];
    for (const auto& [key, sums] : from_sqlite[{y, m}]) {
      auto it = a.find(key);
      if (it == a.end() || !(it->second == sums)) {
        out.baseline_agrees = false;
        std::fprintf(stderr, "differs in %04d-%02d for %s/%s\n", y, m, key.first.c_str(),
                     key.second.c_str());
        break;
      }
    }
  }
}

// One set-up on a fresh suite: import, catch-up, ingest (the streams
// spread over the replicas), the full aggregation (its months taking turns
// over the replicas, so each answers with what the others stored), and a
// restart of the first replica after kill -9.
Outcome Measure(const Setup& setup, const Options& o) {
  setenv("UPLIFT_TEST_ENGINE", setup.engine, 1);
  Outcome out;
  // The services' clock in March 2024: every month of 2022 and 2023 is past.
  uplift::testing::IndicatorsFixture f(absl::CivilSecond(2024, 3, 1, 10, 0, 0));
  f.StartIndicators();
  std::vector<std::unique_ptr<iv1::IndicatorAggregation::Stub>> replicas;
  for (int r = 1; r < setup.replicas; ++r) {
    replicas.push_back(iv1::IndicatorAggregation::NewStub(
        grpc::CreateChannel(f.StartIndicatorsReplica(r), grpc::InsecureChannelCredentials())));
  }
  const auto replica = [&](size_t i) -> iv1::IndicatorAggregation::Stub& {
    i %= replicas.size() + 1;
    return i == 0 ? f.indicators() : *replicas[i - 1];
  };
  int code = 0;
  const std::string applied = f.ApplyXinlePlan(&code);
  if (code != 0) {
    std::fprintf(stderr, "plan apply failed: %s\n", applied.c_str());
    return out;
  }
  const uplift::county::CountyModel county(LoadPlan(), {o.enterprises, 2023, 2023});
  const std::string token = f.owner_token;

  absl::Time t0 = absl::Now();
  ImportEnterprises(f, county);
  out.registry_import = absl::Now() - t0;
  // The indicator service learns of the enterprises from the registry's events.
  t0 = absl::Now();
  for (;;) {
    iv1::GetAggregatesRequest req;
    req.set_period("2023-01");
    iv1::GetAggregatesResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    if (f.indicators().GetAggregates(&ctx, req, &resp).ok() && resp.total().enterprises() == o.enterprises) break;
    if (absl::Now() - t0 > absl::Minutes(30)) {
      std::fprintf(stderr, "the indicator service never caught up with the registry\n");
      return out;
    }
    absl::SleepFor(absl::Milliseconds(200));
  }
  out.catch_up = absl::Now() - t0;

  const std::vector<iv1::ImportReportsRequest> batches = Batches(county, o.batch, &out.rows);
  out.streams = std::max(o.streams, setup.replicas);
  t0 = absl::Now();
  std::vector<iv1::ImportReportsResponse> results(out.streams);
  std::vector<int> aborted(out.streams);
  std::vector<std::thread> streams;
  for (int s = 0; s < out.streams; ++s) {
    streams.emplace_back(
        [&, s] { results[s] = Stream(replica(s), token, batches, s, out.streams, &aborted[s]); });
  }
  for (auto& t : streams) t.join();
  out.ingest = absl::Now() - t0;
  int64_t stored = 0, errors = 0;
  for (int s = 0; s < out.streams; ++s) {
    // A stream sent again finds its earlier messages' rows stored.
    stored += results[s].stored() + results[s].unchanged();
    errors += results[s].error_count();
    out.aborted += aborted[s];
  }
  if (stored != out.rows || errors != 0) {
    std::fprintf(stderr, "ingest stored %lld of %lld rows, %lld errors\n",
                 static_cast<long long>(stored), static_cast<long long>(out.rows),
                 static_cast<long long>(errors));
    return out;
  }

  // The first query loads what was written into memory.
  t0 = absl::Now();
  ServiceMonth(f.indicators(), token, 2023, 1);
  out.first_query = absl::Now() - t0;
  size_t turn = 0;
  out.aggregation = Best(o.repeat, [&] {
    for (auto [y, m] : AllMonths()) out.months[{y, m}] = ServiceMonth(replica(turn++), token, y, m);
  });

  // kill -9 and start again: the working set is reloaded from the database
  // before the service listens.
  f.KillIndicators();
  t0 = absl::Now();
  f.StartIndicators();
  ServiceMonth(f.indicators(), token, 2023, 12);
  out.restart = absl::Now() - t0;
  if (std::string(setup.engine) == "sqlite") SqliteBaseline(f, o, out);
  out.ok = true;
  return out;
}

// Whether two set-ups' services gave the same aggregation.
bool SameAnswers(const Months& a, const Months& b) {
  if (a.size() != b.size()) return false;
  for (const auto& [month, grouped] : a) {
    auto it = b.find(month);
    if (it == b.end() || it->second.size() != grouped.size()) return false;
    for (const auto& [key, sums] : grouped) {
      auto other = it->second.find(key);
      if (other == it->second.end() || !(other->second == sums)) return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "indicators_bench: ingest and aggregation of a generated county, against SQLite GROUP BY"};
  Options o;
  std::string only;
  app.add_option("--enterprises", o.enterprises, "enterprises in the county")
      ->capture_default_str();
  app.add_option("--batch", o.batch, "rows per ImportReports message")->capture_default_str();
  app.add_option("--streams", o.streams, "concurrent ImportReports calls")->capture_default_str();
  app.add_option("--repeat", o.repeat, "full aggregations timed (the best is reported)")
      ->capture_default_str();
  uplift::bench::AddOnlyOption(app, &only);
  CLI11_PARSE(app, argc, argv);
  uplift::bench::PrintBuild();

  const auto results =
      uplift::bench::MeasureSetups(only, [&](const Setup& setup) { return Measure(setup, o); });
  if (results.empty()) return 1;
  const int64_t rows = results.front().second.rows;
  std::printf(
      "indicators_bench: %d enterprises, %lld reports (%s .. %s), %d rows a message; "
      "SQLite (WAL, synchronous=FULL) or PostgreSQL 15 (SERIALIZABLE, fsync on), "
      "one replica or two\n\n",
      o.enterprises, static_cast<long long>(rows), "2022-01", "2023-12", o.batch);
  bool ok = true;
  for (const auto& [setup, r] : results) {
    const Outcome& base = results.front().second;
    ok = ok && r.ok;
    std::printf("%s (%d replica%s, %d stream%s):\n", setup.name, setup.replicas,
                setup.replicas > 1 ? "s" : "", r.streams, r.streams > 1 ? "s" : "");
    if (!r.ok) {
      std::printf("  FAILED (see above)\n");
      continue;
    }
    const auto ratio = [&](absl::Duration mine, absl::Duration theirs) {
      return absl::StrFormat("x%.2f", Seconds(mine) / Seconds(theirs));
    };
    std::printf("  registry import of the enterprises      %8.2f s  %s\n",
                Seconds(r.registry_import), ratio(r.registry_import, base.registry_import).c_str());
    std::printf("  indicators caught up on registry events %8.2f s  %s\n", Seconds(r.catch_up),
                ratio(r.catch_up, base.catch_up).c_str());
    std::printf("  ingest through ImportReports            %8.2f s  %s  = %.0f reports/s\n",
                Seconds(r.ingest), ratio(r.ingest, base.ingest).c_str(),
                r.rows / Seconds(r.ingest));
    if (r.aborted > 0) std::printf("    (calls answered ABORTED and sent again: %d)\n", r.aborted);
    std::printf("  first query after ingest                %8.3f s\n", Seconds(r.first_query));
    std::printf("  restart after kill -9 to first answer   %8.2f s  %s\n", Seconds(r.restart),
                ratio(r.restart, base.restart).c_str());
    std::printf(
        "  full aggregation, service (24 months x cluster x township, month+YTD+YoY, via "
        "gRPC) %8.4f s  %s\n",
        Seconds(r.aggregation), ratio(r.aggregation, base.aggregation).c_str());
    if (r.has_baseline) {
      std::printf(
          "  same GROUP BY queries in SQLite (indexed copy built in %.2f s)            %8.4f s\n",
          Seconds(r.baseline_build), Seconds(r.baseline));
      std::printf("  ratio SQLite / service                 %8.1fx   results agree: %s\n",
                  Seconds(r.baseline) / Seconds(r.aggregation), r.baseline_agrees ? "yes" : "NO");
      ok = ok && r.baseline_agrees;
    }
    if (&r != &base && base.ok) {
      const bool same = SameAnswers(r.months, base.months);
      std::printf("  the same answers as %s: %s\n", results.front().first.name,
                  same ? "yes" : "NO");
      ok = ok && same;
    }
  }
  std::printf(
      "\n(times: lower is better; x: against the first set-up; a failed step or different "
      "answers make the exit code 1)\n");
  return ok ? 0 : 1;
}
