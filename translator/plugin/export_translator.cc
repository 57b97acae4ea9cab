#include "translator/plugin/export_translator.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "translator/plugin/plugin_config.h"
#include "translator/plugin/uapi_message.h"

namespace iovacheck {
namespace {

// The vhost-vdpa fd of an exported translator: our IotlbMsg as the uAPI
// bytes the host's device_write takes.
class HostChannel : public IotlbChannel {
 public:
  explicit HostChannel(const iovacheck_host& host) : host_(host) {}
  WriteResult Write(const IotlbMsg& msg) override {
    std::string bytes = EncodeUapiMessage(msg);
    long r = host_.device_write(host_.ctx, bytes.data(), bytes.size());
    if (r == static_cast<long>(bytes.size())) return WriteResult{};
    int err = r < 0 ? static_cast<int>(-r) : EIO;  // a short write: not the kernel's way
    return WriteResult{err, err};
  }

 private:
  iovacheck_host host_;
};

struct Instance {
  explicit Instance(const iovacheck_host& host) : channel(host) {}
  HostChannel channel;
  std::unique_ptr<Translator> translator;
};

Translator& T(void* instance) { return *static_cast<Instance*>(instance)->translator; }

GuestSection FromPluginSection(const iovacheck_section& s) {
  return GuestSection{s.gpa, s.size, s.hva, s.readonly != 0, s.ram != 0};
}

// One factory per process is enough: a shared object exports one translator.
TranslatorFactory& Factory() {
  static auto* factory = new TranslatorFactory;
  return *factory;
}

void* Create(const iovacheck_device_config* config, const iovacheck_host* host) {
  auto* instance = new Instance(*host);
  instance->translator = Factory()(FromPluginConfig(*config), &instance->channel);
  if (instance->translator == nullptr) {
    delete instance;
    return nullptr;
  }
  return instance;
}

void Destroy(void* instance) { delete static_cast<Instance*>(instance); }
void ListenerBegin(void* i) { T(i).ListenerBegin(); }
void ListenerCommit(void* i) { T(i).ListenerCommit(); }

int RegionAdd(void* i, const iovacheck_section* s) {
  return T(i).RegionAdd(FromPluginSection(*s));
}

int RegionDel(void* i, const iovacheck_section* s) {
  return T(i).RegionDel(FromPluginSection(*s));
}

int MapHostBuffer(void* i, uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) {
  return T(i).MapHostBuffer(hva, size, perm, asid);
}

int UnmapHostBuffer(void* i, uint64_t hva, uint64_t size, uint32_t asid) {
  return T(i).UnmapHostBuffer(hva, size, asid);
}

int TranslateBuffer(void* i, const iovacheck_iovec* iovecs, size_t count, uint64_t* iovas) {
  std::vector<Iovec> in(count);
  for (size_t k = 0; k < count; ++k) {
    in[k] = Iovec{iovecs[k].gpa, iovecs[k].hva, iovecs[k].len, iovecs[k].has_gpa != 0,
                  iovecs[k].device_writes != 0};
  }
  std::vector<uint64_t> out;
  int rc = T(i).TranslateBuffer(in, &out);
  std::copy_n(out.begin(), std::min(out.size(), count), iovas);
  return rc;
}

size_t Allocations(void* i, iovacheck_allocation* out, size_t capacity) {
  std::vector<IovaAllocation> all = T(i).Allocations();
  for (size_t k = 0; k < all.size() && k < capacity; ++k) out[k] = {all[k].iova, all[k].len};
  return all.size();
}

void SetShadowData(void* i, int enabled) { T(i).SetShadowData(enabled != 0); }
int DeviceReset(void* i) { return T(i).DeviceReset(); }

int IommuMap(void* i, uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) {
  return T(i).IommuMap(giova, size, hva, perm);
}

int IommuUnmap(void* i, uint64_t giova, uint64_t last) { return T(i).IommuUnmap(giova, last); }

}  // namespace

const iovacheck_plugin* ExportedTranslatorTable(const char* name, TranslatorFactory factory) {
  Factory() = std::move(factory);
  static iovacheck_plugin table = {
      IOVACHECK_PLUGIN_ABI_VERSION,
      sizeof(iovacheck_plugin),
      nullptr,
      &Create,
      &Destroy,
      &ListenerBegin,
      &ListenerCommit,
      &RegionAdd,
      &RegionDel,
      &MapHostBuffer,
      &UnmapHostBuffer,
      &TranslateBuffer,
      &Allocations,
      &SetShadowData,
      &DeviceReset,
      &IommuMap,
      &IommuUnmap,
      ~uint64_t{0},  // our translators handle every backend feature
      IOVACHECK_PLUGIN_F_RETRIES_EINTR,
  };
  table.name = name;
  return &table;
}

}  // namespace iovacheck
