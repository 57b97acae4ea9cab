#include "translator/plugin/c_table_translator.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace iovacheck {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class NoDevice : public IotlbChannel {
 public:
  WriteResult Write(const IotlbMsg&) override { return WriteResult{}; }
};

// What the fake plug-in's allocations() answers: the count it claims to the
// sizing call (capacity 0), and to the call that fills the buffer.
size_t g_sizing_count = 0;
size_t g_filling_count = 0;
bool g_always_one_more = false;  // the filling call claims one more than fits

void* Create(const iovacheck_device_config*, const iovacheck_host*) {
  static int instance;
  return &instance;
}
void Destroy(void*) {}
size_t Allocations(void*, iovacheck_allocation* out, size_t capacity) {
  if (capacity == 0) return g_sizing_count;
  for (size_t i = 0; i < capacity; ++i) out[i] = {0x1000 * (i + 1), 0x1000};
  return g_always_one_more ? capacity + 1 : g_filling_count;
}

iovacheck_plugin Plugin() {
  iovacheck_plugin p{};
  p.abi_version = IOVACHECK_PLUGIN_ABI_VERSION;
  p.struct_size = sizeof(p);
  p.name = "counts";
  p.create = Create;
  p.destroy = Destroy;
  p.allocations = Allocations;
  return p;
}

TEST(CTableTranslator, AnAllocationCountNoListCouldHoldIsLoggedAndTakenAsNone) {
  const iovacheck_plugin plugin = Plugin();
  NoDevice device;
  std::vector<std::string> log;
  auto t = CTableTranslator::Create(&plugin, DeviceConfig{}, &device,
                                    [&log](const std::string& line) { log.push_back(line); });
  // Before the bound, std::vector::resize threw std::length_error here.
  g_sizing_count = g_filling_count = size_t{1} << 62;
  EXPECT_THAT(t->Allocations(), IsEmpty());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr("allocations() claims 4611686018427387904 allocations"));
}

TEST(CTableTranslator, ACountThatGrewBetweenTheTwoCallsIsAskedAgain) {
  const iovacheck_plugin plugin = Plugin();
  NoDevice device;
  auto t = CTableTranslator::Create(&plugin, DeviceConfig{}, &device, nullptr);
  g_sizing_count = 1;
  g_filling_count = 2;
  std::vector<IovaAllocation> held = t->Allocations();
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[1].iova, 0x2000u);
}

TEST(CTableTranslator, ACountThatNeverFitsEndsWithWhatTheLastBufferHolds) {
  const iovacheck_plugin plugin = Plugin();
  NoDevice device;
  auto t = CTableTranslator::Create(&plugin, DeviceConfig{}, &device, nullptr);
  g_sizing_count = 1;
  g_always_one_more = true;  // before the bound on retries: asked forever
  std::vector<IovaAllocation> held = t->Allocations();
  g_always_one_more = false;
  EXPECT_EQ(held.size(), 4u);  // the sizing answer, then three more tries
}

TEST(CTableTranslator, AnHonestCountIsReadWhole) {
  const iovacheck_plugin plugin = Plugin();
  NoDevice device;
  auto t = CTableTranslator::Create(&plugin, DeviceConfig{}, &device, nullptr);
  g_sizing_count = g_filling_count = 1;
  std::vector<IovaAllocation> held = t->Allocations();
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].iova, 0x1000u);
  EXPECT_EQ(held[0].len, 0x1000u);
}

}  // namespace
}  // namespace iovacheck
