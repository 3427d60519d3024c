// Loading, checking and applying the indicator rules.
#include "services/indicators/indicator_rules.h"

#include "common/embedded_files.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/text_proto.h"
#include "common/validation.h"

namespace uplift {
// Built from deploy/indicator-rules.textproto (cmake/UpliftEmbed.cmake).
std::vector<EmbeddedFile> EmbeddedIndicatorRules();
}  // namespace uplift

namespace uplift::indicators {

v1::IndicatorRules DefaultRules() {
  absl::StatusOr<v1::IndicatorRules> rules =
      ParseRules(EmbeddedIndicatorRules().front().text, "built-in rules");
  if (!rules.ok()) return v1::IndicatorRules();  // CheckRules in tests keeps this unreachable
  return *rules;
}

absl::StatusOr<v1::IndicatorRules> LoadRules(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("--rules-file: cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseRules(text.str(), path);
}

absl::StatusOr<v1::IndicatorRules> ParseRules(const std::string& text, const std::string& origin) {
  v1::IndicatorRules rules;
  if (absl::Status s = ParseTextProto(text, origin, &rules); !s.ok()) return s;
  // A file written before the lights existed takes the built-in ones.
  if (!rules.has_problem_lights())
    *rules.mutable_problem_lights() = DefaultRules().problem_lights();
  if (absl::Status s = CheckRules(rules); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": ", s.message()));
  }
  return rules;
}

absl::Status CheckProblemLights(const v1::ProblemLights& l) {
  if (l.yellow_overdue() < 1)
    return FieldError("problem_lights.yellow_overdue", "must be at least 1");
  if (l.red_overdue() < l.yellow_overdue()) {
    return FieldError("problem_lights.red_overdue", "must not be below yellow_overdue");
  }
  for (const auto& [field, bp] :
       {std::pair{"red_satisfaction_below_bp", l.red_satisfaction_below_bp()},
        {"yellow_satisfaction_below_bp", l.yellow_satisfaction_below_bp()}}) {
    if (bp < 0 || bp > 10000) {
      return FieldError(absl::StrCat("problem_lights.", field), "must be 0..10000 basis points");
    }
  }
  if (l.red_satisfaction_below_bp() > l.yellow_satisfaction_below_bp()) {
    return FieldError("problem_lights.red_satisfaction_below_bp",
                      "must not be above yellow_satisfaction_below_bp");
  }
  if (l.min_rated() < 1) return FieldError("problem_lights.min_rated", "must be at least 1");
  return absl::OkStatus();
}

absl::Status CheckRules(const v1::IndicatorRules& rules) {
  if (rules.grades().empty()) return FieldError("grades", "at least one grade is required");
  for (int i = 0; i < rules.grades_size(); ++i) {
    const v1::GradeRule& g = rules.grades(i);
    const std::string field = absl::StrCat("grades[", i, "]");
    if (g.grade().empty()) return FieldError(field + ".grade", "must not be empty");
    if (g.min_tax_per_mu_fen() < 0 || g.min_revenue_per_mu_fen() < 0) {
      return FieldError(field, "thresholds must not be negative");
    }
    if (i > 0) {
      const v1::GradeRule& above = rules.grades(i - 1);
      if (g.min_tax_per_mu_fen() > above.min_tax_per_mu_fen() ||
          g.min_revenue_per_mu_fen() > above.min_revenue_per_mu_fen()) {
        return FieldError(field, "a lower grade must not ask more than the grade above it");
      }
    }
  }
  const v1::GradeRule& last = rules.grades(rules.grades_size() - 1);
  if (last.min_tax_per_mu_fen() != 0 || last.min_revenue_per_mu_fen() != 0) {
    return FieldError("grades", "the last grade must have zero thresholds so that every enterprise is graded");
  }
  double total = 0;
  for (int i = 0; i < rules.ranking().rules_size(); ++i) {
    const v1::RankingRule& r = rules.ranking().rules(i);
    const std::string field = absl::StrCat("ranking.rules[", i, "]");
    if (r.measure() == v1::RANKING_MEASURE_UNSPECIFIED) return FieldError(field + ".measure", "is required");
    if (r.weight() < 0) return FieldError(field + ".weight", "must not be negative");
    total += r.weight();
  }
  if (total <= 0) return FieldError("ranking.rules", "need at least one rule with a positive weight");
  if (rules.laggard_decline_bp() < 0) return FieldError("laggard_decline_bp", "must not be negative");
  return CheckProblemLights(rules.problem_lights());
}

int64_t PerMuAnnualised(int64_t amount_fen, int months, int64_t land_centi_mu) {
  if (land_centi_mu <= 0 || months <= 0) return 0;
  const __int128 scaled = static_cast<__int128>(amount_fen) * 12 * 100;
  return static_cast<int64_t>(scaled / (static_cast<__int128>(months) * land_centi_mu));
}

const v1::GradeRule* GradeFor(const v1::IndicatorRules& rules, int64_t tax_per_mu_fen,
                              int64_t revenue_per_mu_fen) {
  for (const v1::GradeRule& g : rules.grades()) {
    if (tax_per_mu_fen >= g.min_tax_per_mu_fen() && revenue_per_mu_fen >= g.min_revenue_per_mu_fen()) {
      return &g;
    }
  }
  return nullptr;
}

}  // namespace uplift::indicators
