// How registry resources look in the terminal: one record per resource for
// `get`, a table for `list`, Chinese labels for enums.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <ostream>

#include "uplift/registry/v1/registry.pb.h"

namespace uplift::cli {

namespace rv1 = uplift::registry::v1;

void PrintUnit(std::ostream& out, const rv1::Unit& unit);
void PrintUnits(std::ostream& out, const google::protobuf::RepeatedPtrField<rv1::Unit>& units);
void PrintCluster(std::ostream& out, const rv1::Cluster& cluster);
void PrintClusters(std::ostream& out,
                   const google::protobuf::RepeatedPtrField<rv1::Cluster>& clusters);
void PrintEnterprise(std::ostream& out, const rv1::Enterprise& enterprise);
void PrintEnterprises(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<rv1::Enterprise>& enterprises);
void PrintAwards(std::ostream& out,
                 const google::protobuf::RepeatedPtrField<rv1::TierAward>& awards);
void PrintPoolHistory(std::ostream& out,
                      const google::protobuf::RepeatedPtrField<rv1::PoolHistoryEntry>& entries);

}  // namespace uplift::cli
