// Batching and per-row outcomes of a bulk import.
#include "services/registry/enterprise_import.h"

#include "common/grpc_status.h"
#include "common/sql/transaction.h"
#include "common/validation.h"
#include "services/registry/credit_code.h"

namespace uplift::registry {

EnterpriseImport::EnterpriseImport(RegistryService* service, Principal who, int batch_size)
    : service_(service), who_(std::move(who)), batch_size_(batch_size) {}

void EnterpriseImport::Add(const v1::ImportEnterprisesRequest& row) {
  if (first_) {
    update_existing_ = row.update_existing();
    first_ = false;
  }
  result_.set_received(result_.received() + 1);
  pending_.push_back(row);
  // Rows without a line number are numbered by arrival.
  if (pending_.back().line() == 0) pending_.back().set_line(result_.received());
  if (static_cast<int>(pending_.size()) >= batch_size_) Flush();
}

v1::ImportEnterprisesResponse EnterpriseImport::Finish() {
  Flush();
  return result_;
}

void EnterpriseImport::AddError(int line, const std::string& credit_code,
                                const absl::Status& status) {
  result_.set_error_count(result_.error_count() + 1);
  if (result_.errors_size() >= kMaxListedImportErrors) return;
  v1::ImportRowError* error = result_.add_errors();
  error->set_line(line);
  error->set_credit_code(NormalizeCreditCode(credit_code));
  error->set_code(StatusCodeName(status.code()));
  error->set_message(std::string(status.message()));
}

void EnterpriseImport::Flush() {
  if (pending_.empty()) return;
  struct Outcome {
    absl::Status status;
    RegistryService::ImportOutcome kind;
  };
  std::vector<Outcome> outcomes;
  absl::Status batch = service_->database()->Write([&](sql::Connection& tx) {
    outcomes.clear();
    for (const v1::ImportEnterprisesRequest& row : pending_) {
      Outcome outcome{absl::OkStatus(), RegistryService::ImportOutcome::kUnchanged};
      outcome.status = sql::WithSavepoint(tx, [&]() -> absl::Status {
        absl::StatusOr<RegistryService::ImportOutcome> r =
            service_->ImportRow(tx, who_, row.enterprise(), update_existing_);
        if (!r.ok()) return r.status();
        outcome.kind = *r;
        return absl::OkStatus();
      });
      outcomes.push_back(outcome);
    }
    return absl::OkStatus();
  });
  for (size_t i = 0; i < pending_.size(); ++i) {
    const v1::ImportEnterprisesRequest& row = pending_[i];
    if (!batch.ok()) {
      AddError(row.line(), row.enterprise().credit_code(), batch);
      continue;
    }
    const Outcome& o = outcomes[i];
    if (!o.status.ok()) {
      AddError(row.line(), row.enterprise().credit_code(), o.status);
    } else if (o.kind == RegistryService::ImportOutcome::kCreated) {
      result_.set_created(result_.created() + 1);
    } else if (o.kind == RegistryService::ImportOutcome::kUpdated) {
      result_.set_updated(result_.updated() + 1);
    } else {
      result_.set_unchanged(result_.unchanged() + 1);
    }
  }
  pending_.clear();
}

}  // namespace uplift::registry
