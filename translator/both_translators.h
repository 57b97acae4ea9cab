// Test support: one fixture run against both production translators, for
// behaviour they must share (everything but the aliasing bug).
#ifndef IOVACHECK_TRANSLATOR_BOTH_TRANSLATORS_H_
#define IOVACHECK_TRANSLATOR_BOTH_TRANSLATORS_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "translator/decoupled_translator.h"
#include "translator/legacy_translator.h"
#include "translator/recording_channel.h"
#include "translator/translator_test_util.h"

namespace iovacheck {

struct NamedFactory {
  const char* name;
  TranslatorFactory factory;
};

inline std::vector<NamedFactory> BothTranslators() {
  return {{"decoupled", &DecoupledTranslator::Create},
          {"legacy", &LegacyTranslator::Create}};
}

inline std::string TranslatorParamName(
    const ::testing::TestParamInfo<NamedFactory>& info) {
  return info.param.name;
}

class BothTranslatorsTest : public ::testing::TestWithParam<NamedFactory> {
 protected:
  void Make(const DeviceConfig& config) {
    t_ = GetParam().factory(config, &ch_);
  }
  // The translator's messages so far, and a clean slate for the next step.
  std::vector<IotlbMsg> TakeMessages() {
    return std::exchange(ch_.messages, {});
  }
  int Translate1(const Iovec& v, uint64_t* iova) {
    std::vector<uint64_t> iovas;
    const int err = t_->TranslateBuffer({v}, &iovas);
    if (err == 0) *iova = iovas.at(0);
    return err;
  }

  RecordingChannel ch_;
  std::unique_ptr<Translator> t_;
};

inline DeviceConfig WithPersist(DeviceConfig config) {
  config.backend_features |= uint64_t{1} << kFeatureIotlbPersist;
  return config;
}

inline DeviceConfig WithViommu(DeviceConfig config) {
  config.viommu = true;
  return config;
}

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_BOTH_TRANSLATORS_H_
