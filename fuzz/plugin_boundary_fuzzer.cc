// The C plug-in boundary (translator/plugin/iovacheck_plugin.h) against a
// plug-in that does anything the ABI lets it do: a function table whose every
// answer is read from the input -- return codes outside errno's range, device
// writes of any length and content (well-formed UPDATEs near the call's own
// addresses, BATCH markers, garbage), log lines of any bytes, IOVAs from
// nowhere, allocation lists that are absurdly long or change between the two
// calls that read them. The harness drives it, through CTableTranslator (the
// code that runs inside a plug-in's child process), with a short script that
// reaches every entry point, in a plain and a vIOMMU configuration. Whatever
// the plug-in does must end as a verdict: a crash, a sanitizer report or an
// exception here is a finding in iovacheck.
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_target.h"
#include "model/device_config.h"
#include "model/iotlb_msg.h"
#include "model/test_fixtures.h"
#include "sim/event.h"
#include "sim/harness.h"
#include "translator/plugin/c_table_translator.h"
#include "translator/plugin/iovacheck_plugin.h"
#include "translator/plugin/uapi_message.h"

namespace iovacheck {
namespace {

// The input, read front to back; zeros once it runs out.
class Tape {
 public:
  Tape(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | Byte();
    return v;
  }
  // Mostly small: how far an address strays from the one it is near.
  uint64_t Delta() {
    switch (Byte() % 4) {
      case 0: return 0;
      case 1: return Byte();
      case 2: return uint64_t{Byte()} << 12;
      default: return U64();
    }
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// One fuzzed plug-in instance: the tape, and what the host lent it.
struct Instance {
  Tape* tape;
  iovacheck_host host;
  std::vector<iovacheck_allocation> mapped;  // what its UPDATEs said, for plausible answers
};

Tape* g_tape = nullptr;  // the current input's, for create()

int Rc(Instance* in) {
  const uint8_t b = in->tape->Byte();
  if (b < 160) return 0;
  static const int kRcs[] = {ENOMEM, EINVAL, EFAULT, EIO, EEXIST, ENOSPC, -1, -EINVAL,
                             INT_MAX, INT_MIN, 4096, 255};
  return kRcs[b % (sizeof(kRcs) / sizeof(kRcs[0]))];
}

void MaybeLog(Instance* in) {
  const uint8_t b = in->tape->Byte();
  if (b < 224) return;
  std::string line(in->tape->Byte() % 5 == 0 ? 5000 : in->tape->Byte(), 'x');
  for (char& c : line) c = static_cast<char>(in->tape->Byte() | 1);  // no NUL: a C string
  in->host.log(in->host.ctx, line.c_str());
}

// Zero to three writes near (addr, size): UPDATEs and INVALIDATEs a
// translator would send, batch markers, and bytes of any length.
void Writes(Instance* in, uint64_t addr, uint64_t size, uint64_t hva) {
  Tape& t = *in->tape;
  const int n = t.Byte() % 4;
  for (int i = 0; i < n; ++i) {
    IotlbMsg msg;
    const uint8_t kind = t.Byte();
    msg.version = kind & 1 ? kMsgV2 : kMsgV1;
    msg.asid = kind & 2 ? t.Byte() % 3 : 0;
    static const uint8_t kTypes[] = {kIotlbUpdate, kIotlbUpdate, kIotlbInvalidate,
                                     kIotlbBatchBegin, kIotlbBatchEnd, kIotlbMiss, 0, 77};
    msg.type = kTypes[(kind >> 2) % 8];
    msg.iova = addr + t.Delta();
    msg.size = size + t.Delta() - t.Delta();
    msg.uaddr = hva + t.Delta();
    msg.perm = t.Byte() % 5;
    std::string bytes = EncodeUapiMessage(msg);
    if (kind >= 0xf0) {  // a malformed write: cut, padded, or scribbled over
      bytes.resize(t.Byte() % (bytes.size() + 8));
      for (char& c : bytes) c ^= static_cast<char>(t.Byte());
    }
    const long r = in->host.device_write(in->host.ctx, bytes.data(), bytes.size());
    if (r > 0 && msg.type == kIotlbUpdate) in->mapped.push_back({msg.iova, msg.size});
  }
  MaybeLog(in);
}

Instance* Self(void* instance) { return static_cast<Instance*>(instance); }

void* Create(const iovacheck_device_config*, const iovacheck_host* host) {
  return new Instance{g_tape, *host, {}};
}
void Destroy(void* instance) { delete Self(instance); }
void Begin(void* instance) { Writes(Self(instance), 0, 0, 0); }
void Commit(void* instance) { Writes(Self(instance), 0, 0, 0); }
int RegionAdd(void* instance, const iovacheck_section* s) {
  Writes(Self(instance), s->gpa, s->size, s->hva);
  return Rc(Self(instance));
}
int RegionDel(void* instance, const iovacheck_section* s) {
  Writes(Self(instance), s->gpa, s->size, s->hva);
  return Rc(Self(instance));
}
int MapHost(void* instance, uint64_t hva, uint64_t size, uint8_t, uint32_t) {
  Writes(Self(instance), hva, size, hva);
  return Rc(Self(instance));
}
int UnmapHost(void* instance, uint64_t hva, uint64_t size, uint32_t) {
  Writes(Self(instance), hva, size, hva);
  return Rc(Self(instance));
}
int Translate(void* instance, const iovacheck_iovec* iovecs, size_t count, uint64_t* iovas) {
  Instance* in = Self(instance);
  for (size_t i = 0; i < count; ++i) {
    iovas[i] = (iovecs[i].has_gpa ? iovecs[i].gpa : iovecs[i].hva) + in->tape->Delta();
  }
  return Rc(in);
}
// Mostly the UPDATEs it sent; sometimes a count no list could hold, or one
// that differs between the call that sizes the buffer and the one that fills it.
size_t Allocations(void* instance, iovacheck_allocation* out, size_t capacity) {
  Instance* in = Self(instance);
  const uint8_t b = in->tape->Byte();
  size_t n = in->mapped.size();
  // Beyond any bound (a count that fits but takes 256 MiB to read only slows
  // the fuzzer down).
  if (b >= 250) n = static_cast<size_t>(in->tape->U64() | uint64_t{1} << 40);
  else if (b >= 240) n += in->tape->Byte() % 4;
  for (size_t i = 0; i < n && i < capacity; ++i) {
    out[i] = i < in->mapped.size() ? in->mapped[i]
                                   : iovacheck_allocation{in->tape->U64(), in->tape->U64()};
  }
  return n;
}
void Shadow(void* instance, int) { Writes(Self(instance), 0, 0, 0); }
int Reset(void* instance) {
  Self(instance)->mapped.clear();
  Writes(Self(instance), 0, 0x1000, 0);
  return Rc(Self(instance));
}
int IommuMap(void* instance, uint64_t giova, uint64_t size, uint64_t hva, uint8_t) {
  Writes(Self(instance), giova, size, hva);
  return Rc(Self(instance));
}
int IommuUnmap(void* instance, uint64_t giova, uint64_t last) {
  Writes(Self(instance), giova, last - giova + 1, 0);
  return Rc(Self(instance));
}

const iovacheck_plugin kPlugin = {
    IOVACHECK_PLUGIN_ABI_VERSION, sizeof(iovacheck_plugin), "fuzzed", Create, Destroy,
    Begin, Commit, RegionAdd, RegionDel, MapHost, UnmapHost, Translate, Allocations, Shadow,
    Reset, IommuMap, IommuUnmap,
    (1ull << IOVACHECK_F_IOTLB_MSG_V2) | (1ull << IOVACHECK_F_IOTLB_BATCH) |
        (1ull << IOVACHECK_F_IOTLB_ASID),
    0};

// Every entry point, in an order the model accepts; an alias (two GPAs, one
// HVA) among them.
std::vector<Event> Script(bool viommu) {
  const Section low = S(0, 0xa0000, 0x7f0000000000, "ram-below-vga");
  const Section high = S(0x100000, 0x7ff00000, 0x7f0000100000, "ram");
  const Section alias = S(0x100000000, 0x10000, 0x7f0000100000, "alias");
  std::vector<Event> e;
  e.push_back(ListenerBeginEvent{});
  e.push_back(RegionAddEvent{low});
  e.push_back(RegionAddEvent{high});
  e.push_back(RegionAddEvent{alias});
  e.push_back(ListenerCommitEvent{});
  e.push_back(HostMapEvent{HostBuffer{0x7e0000000000, 0x2000, kPermRW, 0}});
  if (viommu) {
    e.push_back(IommuMapEvent{0x1000, 0x100000, 0x4000, kPermRW});
    e.push_back(DeviceDmaEvent{0, 0x1000, 0x800, true});
    e.push_back(IommuUnmapEvent{0x1000, 0x4fff});
  } else {
    e.push_back(TranslateEvent{{Iovec{0x100000, 0, 0x1800, true, false},
                                Iovec{0, 0x7e0000000000, 0x100, false, true}}});
    e.push_back(DeviceDmaEvent{0, 0x1000, 0x800, true});
  }
  e.push_back(ShadowDataEvent{false});
  e.push_back(ShadowDataEvent{true});
  e.push_back(DeviceResetEvent{});
  e.push_back(ListenerBeginEvent{});
  e.push_back(RegionDelEvent{alias});
  e.push_back(ListenerCommitEvent{});
  e.push_back(HostUnmapEvent{0x7e0000000000, 0x2000, 0});
  return e;
}

}  // namespace
}  // namespace iovacheck

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace iovacheck;  // NOLINT: a fuzz entry point
  Tape tape(data, size);
  g_tape = &tape;
  DeviceConfig config;
  config.viommu = tape.Byte() & 1;
  size_t log_lines = 0;
  TranslatorFactory factory = [&log_lines](const DeviceConfig& c, IotlbChannel* channel) {
    std::unique_ptr<Translator> t = CTableTranslator::Create(
        &kPlugin, c, channel, [&log_lines](const std::string&) { ++log_lines; });
    return t;
  };
  HarnessOptions options;
  options.keep_log = false;
  Harness harness(config, factory, options);
  for (const Event& e : Script(config.viommu)) {
    (void)harness.Step(e);  // a refused event or a verdict: both fine
  }
  g_tape = nullptr;
  return 0;
}
