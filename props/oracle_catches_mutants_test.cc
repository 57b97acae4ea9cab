// A property is only worth something if a plausible bug breaks it. Each test
// wraps the production translator with one such bug and demands that the
// properties fail, under the oracle rule that names it.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "props/failure_trace.h"
#include "props/property_runner.h"
#include "props/test_seed.h"
#include "translator/forwarding_translator.h"
#include "translator/registry.h"

namespace iovacheck {
namespace {

using Tamper = std::function<std::optional<IotlbMsg>(const IotlbMsg&)>;

// Alters or drops messages between a translator and the device.
class TamperingChannel : public IotlbChannel {
 public:
  TamperingChannel(IotlbChannel* inner, Tamper tamper)
      : inner_(inner), tamper_(std::move(tamper)) {}
  WriteResult Write(const IotlbMsg& msg) override {
    std::optional<IotlbMsg> sent = tamper_(msg);
    return sent ? inner_->Write(*sent) : WriteResult{};
  }

 private:
  IotlbChannel* inner_;
  Tamper tamper_;
};

// The production translator, behind a tampering channel; the hooks below
// add one bug each.
class Mutant : public ForwardingTranslator {
 public:
  Mutant(const DeviceConfig& config, IotlbChannel* channel, Tamper tamper)
      : Mutant(config, std::make_unique<TamperingChannel>(channel, std::move(tamper))) {}
  int TranslateBuffer(const std::vector<Iovec>& in, std::vector<uint64_t>* out) override {
    int rc = inner().TranslateBuffer(in, out);
    if (rc == 0 && shift_translations) {
      for (uint64_t& iova : *out) iova += page_;
    }
    return rc;
  }
  std::vector<IovaAllocation> Allocations() const override {
    std::vector<IovaAllocation> now = inner().Allocations();
    if (!never_free) return now;
    for (const IovaAllocation& a : now) ever_.insert({a.iova, a.len});
    std::vector<IovaAllocation> all;
    for (const auto& [iova, len] : ever_) all.push_back({iova, len});
    return all;
  }

  bool shift_translations = false;
  bool never_free = false;

 private:
  Mutant(const DeviceConfig& config, std::unique_ptr<TamperingChannel> channel)
      : ForwardingTranslator((*FindTranslator("decoupled"))(config, channel.get())),
        channel_(std::move(channel)),
        page_(config.page_size) {}

  std::unique_ptr<TamperingChannel> channel_;
  uint64_t page_;
  mutable std::set<std::pair<uint64_t, uint64_t>> ever_;
};

std::optional<IotlbMsg> Untouched(const IotlbMsg& m) { return m; }

PropertySpec Spec(const std::string& name) { return FindProperty(name).value(); }

void ExpectCaught(const std::string& property, const TranslatorFactory& mutant,
                  OracleRule rule) {
  RunOptions options;
  options.full_oracle = true;  // and the incremental oracle checked against it
  options.caller.cases = 1000;
  options.seed = TestSeed();
  options.device = TestDevice();
  PropertyOutcome outcome = RunProperty(Spec(property), mutant, options);
  std::cout << FormatOutcome(outcome);
  if (!outcome.passed && !TestOutputsDir().empty()) {
    absl::StatusOr<std::string> path =
        WriteFailureTrace(outcome, std::string("mutant-") + OracleRuleName(rule), TestOutputsDir());
    std::cout << (path.ok() ? "failure trace: " + *path : path.status().ToString()) << "\n";
  }
  ASSERT_FALSE(outcome.passed) << "the mutant passed " << property;
  ASSERT_TRUE(outcome.failure.has_value()) << outcome.message;
  EXPECT_EQ(OracleRuleName(outcome.failure->divergence.rule), std::string(OracleRuleName(rule)));
}

TEST(OracleCatches, ForgottenBatchEndOnSetMapDevice) {
  ExpectCaught("set_map_agreement",
               [](const DeviceConfig& c, IotlbChannel* ch) {
                 return std::make_unique<Mutant>(c, ch, [](const IotlbMsg& m) {
                   return m.type == kIotlbBatchEnd ? std::nullopt
                                                   : std::optional<IotlbMsg>(m);
                 });
               },
               OracleRule::kDeviceView);
}

TEST(OracleCatches, ReadOnlyMemoryMappedWritable) {
  ExpectCaught("dma_map_agreement",
               [](const DeviceConfig& c, IotlbChannel* ch) {
                 return std::make_unique<Mutant>(c, ch, [](const IotlbMsg& m) {
                   IotlbMsg w = m;
                   if (w.type == kIotlbUpdate && w.perm == kPermRO) w.perm = kPermRW;
                   return std::optional<IotlbMsg>(w);
                 });
               },
               OracleRule::kCoverage);
}

TEST(OracleCatches, ForgottenInvalidate) {
  ExpectCaught("dma_map_agreement",
               [](const DeviceConfig& c, IotlbChannel* ch) {
                 return std::make_unique<Mutant>(c, ch, [](const IotlbMsg& m) {
                   return m.type == kIotlbInvalidate ? std::nullopt
                                                     : std::optional<IotlbMsg>(m);
                 });
               },
               OracleRule::kStale);
}

TEST(OracleCatches, TranslationOnePageOff) {
  ExpectCaught("dma_map_agreement",
               [](const DeviceConfig& c, IotlbChannel* ch) {
                 auto m = std::make_unique<Mutant>(c, ch, Untouched);
                 m->shift_translations = true;
                 return m;
               },
               OracleRule::kDatapath);
}

TEST(OracleCatches, IovaNeverFreed) {
  ExpectCaught("dma_map_agreement",
               [](const DeviceConfig& c, IotlbChannel* ch) {
                 auto m = std::make_unique<Mutant>(c, ch, Untouched);
                 m->never_free = true;
                 return m;
               },
               OracleRule::kLeak);
}

}  // namespace
}  // namespace iovacheck
