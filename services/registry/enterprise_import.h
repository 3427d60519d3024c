// A bulk import of enterprises: rows arrive one at a time and are written in
// batches, each row inside its own savepoint, so a bad row is reported with
// its line and reason while the good ones are kept.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "common/auth/principal.h"
#include "services/registry/registry_service.h"

namespace uplift::registry {

class EnterpriseImport {
 public:
  EnterpriseImport(RegistryService* service, Principal who, int batch_size = 200);

  void Add(const v1::ImportEnterprisesRequest& row);
  // Writes what is buffered and returns the tally.
  v1::ImportEnterprisesResponse Finish();

 private:
  void Flush();
  void AddError(int line, const std::string& credit_code, const absl::Status& status);

  RegistryService* const service_;
  const Principal who_;
  const int batch_size_;
  bool first_ = true;
  bool update_existing_ = false;
  std::vector<v1::ImportEnterprisesRequest> pending_;
  v1::ImportEnterprisesResponse result_;
};

}  // namespace uplift::registry
