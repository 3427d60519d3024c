// Tests of the suite's topology: every event message is bound to a stream
// the suite lists with the message's service as its publisher, every stream
// has messages, and every name in it is a service of the suite.
#include "common/suite_catalog.h"

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include <map>
#include <set>

#include "uplift/auth/v1/revocation.pb.h"
#include "uplift/indicators/v1/indicator_events.pb.h"
#include "uplift/registry/v1/registry_events.pb.h"
#include "uplift/tasks/v1/tasks_events.pb.h"

namespace uplift {
namespace {

TEST(SuiteCatalog, EveryEventMessageIsBoundToAStreamOfItsService) {
  // Through a message of each file, so that its descriptors are linked in.
  const std::map<const google::protobuf::FileDescriptor*, std::string> publisher_of_file = {
      {uplift::registry::v1::UnitCreated::descriptor()->file(), "uplift-registry"},
      {uplift::auth::v1::TokenRevoked::descriptor()->file(), "uplift-registry"},
      {uplift::tasks::v1::PlanApplied::descriptor()->file(), "uplift-tasks"},
      {uplift::indicators::v1::IndicatorAlert::descriptor()->file(), "uplift-indicators"}};
  std::set<std::string> bound_streams;
  for (const auto& [f, publisher] : publisher_of_file) {
    for (int i = 0; i < f->message_type_count(); ++i) {
      const google::protobuf::Descriptor* m = f->message_type(i);
      const std::string& stream = m->options().GetExtension(suite::v1::stream);
      if (stream.empty()) continue;  // a part of events, not an event
      ASSERT_TRUE(StreamOfMessage(m).ok()) << m->full_name();
      EXPECT_EQ(FindStream(stream)->publisher(), publisher) << m->full_name();
      bound_streams.insert(stream);
    }
  }
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    EXPECT_TRUE(bound_streams.count(s.name())) << s.name() << " has no message";
  }
}

TEST(SuiteCatalog, NamesOnlyServicesOfTheSuite) {
  for (const suite::v1::Stream& s : SuiteTopology().streams()) {
    EXPECT_NE(FindService(s.publisher()), nullptr) << s.name();
    for (const std::string& g : s.consumer_groups()) EXPECT_NE(FindService(g), nullptr) << g;
    EXPECT_GT(StreamRetention(s), absl::ZeroDuration());
  }
  for (const suite::v1::Service& s : SuiteTopology().services()) {
    for (const std::string& c : s.calls()) EXPECT_NE(FindService(c), nullptr) << c;
  }
}

}  // namespace
}  // namespace uplift
