#include "devices/kernel_device.h"

#include <dlfcn.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "absl/strings/str_format.h"
#include "third_party/linux/kdev.h"
#include "translator/runfiles.h"

namespace iovacheck {

// Each kernel version is its own shared object (third_party/linux:linux-X.so)
// loaded RTLD_LOCAL: both versions define the same kernel symbols, and each
// must call its own.
struct KernelApi {
  decltype(&kdev_open) open;
  decltype(&kdev_close) close;
  decltype(&kdev_acked_features) acked_features;
  decltype(&kdev_write) write;
  decltype(&kdev_set_status) set_status;
  decltype(&kdev_reopen) reopen;
  decltype(&kdev_dma) dma;
  decltype(&kdev_walk) walk;
  decltype(&kdev_in_batch) in_batch;
  decltype(&kdev_batch_asid) batch_asid;
  decltype(&kdev_parent_default) parent_default;
  decltype(&kdev_misbehave_next_allocation) misbehave;
  // The kernel text runs with its locks as no-ops and the shim keeps a few
  // globals (the allocation countdown, the DMA sink): one call at a time per
  // loaded object, whichever thread (campaign workers) makes it.
  std::mutex* call_mu;
};

namespace {

absl::StatusOr<const KernelApi*> LoadApi(const std::string& version) {
  static std::mutex mu;
  static std::map<std::string, KernelApi>* apis = new std::map<std::string, KernelApi>;
  std::lock_guard<std::mutex> lock(mu);
  auto it = apis->find(version);
  if (it != apis->end()) return &it->second;
  bool known = false;
  for (const std::string& v : KernelVersions()) known |= v == version;
  if (!known) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown kernel version %s (built: 6.1, 6.12)", version));
  }
  absl::StatusOr<std::string> path =
      FindRunfile(absl::StrFormat("third_party/linux/linux-%s.so", version));
  if (!path.ok()) return path.status();
  void* handle = dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrFormat("cannot load %s: %s", *path, dlerror()));
  }
  KernelApi api;
  api.call_mu = new std::mutex;  // lives as long as the loaded object
  bool ok = true;
  auto sym = [&](const char* name) {
    void* p = dlsym(handle, name);
    ok &= p != nullptr;
    return p;
  };
  api.open = reinterpret_cast<decltype(api.open)>(sym("kdev_open"));
  api.close = reinterpret_cast<decltype(api.close)>(sym("kdev_close"));
  api.acked_features = reinterpret_cast<decltype(api.acked_features)>(sym("kdev_acked_features"));
  api.write = reinterpret_cast<decltype(api.write)>(sym("kdev_write"));
  api.set_status = reinterpret_cast<decltype(api.set_status)>(sym("kdev_set_status"));
  api.reopen = reinterpret_cast<decltype(api.reopen)>(sym("kdev_reopen"));
  api.dma = reinterpret_cast<decltype(api.dma)>(sym("kdev_dma"));
  api.walk = reinterpret_cast<decltype(api.walk)>(sym("kdev_walk"));
  api.in_batch = reinterpret_cast<decltype(api.in_batch)>(sym("kdev_in_batch"));
  api.batch_asid = reinterpret_cast<decltype(api.batch_asid)>(sym("kdev_batch_asid"));
  api.parent_default = reinterpret_cast<decltype(api.parent_default)>(sym("kdev_parent_default"));
  api.misbehave = reinterpret_cast<decltype(api.misbehave)>(sym("kdev_misbehave_next_allocation"));
  if (!ok) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s lacks a kdev_* entry point", *path));
  }
  return &apis->emplace(version, api).first->second;
}

void AddEntry(void* ctx, uint64_t start, uint64_t last, uint64_t addr, uint32_t perm) {
  static_cast<IntervalTable*>(ctx)->Add(
      IotlbEntry{start, last, addr, static_cast<uint8_t>(perm)});
}

void AddSegment(void* ctx, uint64_t addr, uint64_t len) {
  auto* out = static_cast<std::vector<DmaSegment>*>(ctx);
  out->push_back({addr, len});
}

}  // namespace

std::vector<std::string> KernelVersions() {
  std::vector<std::string> versions;
  for (const std::string& name : DeviceNames()) {
    if (name.rfind("linux-", 0) == 0) versions.push_back(name.substr(6));
  }
  return versions;
}

absl::StatusOr<const KernelApi*> KernelDevice::Load(const std::string& version) {
  return LoadApi(version);
}

absl::StatusOr<std::unique_ptr<KernelDevice>> KernelDevice::Open(
    const std::string& version, const DeviceConfig& config) {
  absl::StatusOr<const KernelApi*> api = LoadApi(version);
  if (!api.ok()) return api.status();
  return OpenLoaded(*api, version, config);
}

absl::StatusOr<std::unique_ptr<KernelDevice>> KernelDevice::OpenLoaded(
    const KernelApi* api, const std::string& version, const DeviceConfig& config) {
  kdev_config kc = {};
  kc.backend_features = config.backend_features;
  kc.batch_mapping = config.kind == DeviceKind::kSetMap ? 1 : 0;
  kc.use_va = 1;
  kc.nas = config.num_as;
  kc.max_iotlb_entries = static_cast<int>(config.max_iotlb_entries);
  kc.memlock_limit = 0;
  std::vector<kdev_vma> areas;
  for (const ProcessArea& a : config.process_map) {
    areas.push_back(kdev_vma{a.start, a.end, a.writable ? 1 : 0, a.shared ? 1 : 0});
  }
  std::unique_lock<std::mutex> lock(*api->call_mu);
  void* d = api->open(&kc, areas.data(), static_cast<int>(areas.size()));
  if (d == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "linux-%s refused the device (vdpasim_create failed) for %s", version,
        DeviceConfigToString(config)));
  }
  std::unique_ptr<KernelDevice> device(new KernelDevice(api, d, config));
  device->Mirror();
  lock.unlock();
  return device;
}

KernelDevice::KernelDevice(const KernelApi* api, void* kdev, const DeviceConfig& config)
    : api_(api), kdev_(kdev), config_(config) {}

KernelDevice::~KernelDevice() {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  api_->close(static_cast<kdev*>(kdev_));
}

void KernelDevice::MisbehaveNextAllocation(int how) {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  api_->misbehave(how);
}

uint64_t KernelDevice::acked_features() const {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  return api_->acked_features(static_cast<kdev*>(kdev_));
}

std::vector<uint8_t> KernelDevice::Encode(const IotlbMsg& msg) {
  // struct vhost_msg { int type; union { struct vhost_iotlb_msg iotlb; u8
  // padding[64]; }; } puts iotlb at offset 8; struct vhost_msg_v2 { u32 type;
  // u32 asid; union { ...; u8 padding[64]; }; } also at 8. Both 72 bytes.
  // vhost_iotlb_msg: iova@0 size@8 uaddr@16 perm@24 type@25.
  std::vector<uint8_t> b(72, 0);
  const uint32_t asid = msg.version == kMsgV2 ? msg.asid : 0;
  std::memcpy(&b[0], &msg.version, 4);
  std::memcpy(&b[4], &asid, 4);
  std::memcpy(&b[8], &msg.iova, 8);
  std::memcpy(&b[16], &msg.size, 8);
  std::memcpy(&b[24], &msg.uaddr, 8);
  b[32] = msg.perm;
  b[33] = msg.type;
  return b;
}

WriteResult KernelDevice::Write(const IotlbMsg& msg) {
  const std::vector<uint8_t> bytes = Encode(msg);
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  const long r = api_->write(static_cast<kdev*>(kdev_), bytes.data(), bytes.size());
  Mirror();
  WriteResult result;
  if (r < 0) {
    result.err = static_cast<int>(-r);
    result.handler_err = result.err;  // the kernel does not say more
  }
  return result;
}

void KernelDevice::Reset() {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  api_->set_status(static_cast<kdev*>(kdev_), 0);
  Mirror();
}

void KernelDevice::Reopen() {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  api_->reopen(static_cast<kdev*>(kdev_));
  Mirror();
}

int KernelDevice::Dma(uint32_t asid, uint64_t iova, uint64_t len, uint8_t need_perm,
                      std::vector<DmaSegment>* out) const {
  if (out != nullptr) out->clear();
  if (len == 0) return 0;
  std::vector<DmaSegment> segments;
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  const long r = api_->dma(static_cast<kdev*>(kdev_), asid, iova, len,
                           need_perm == kPermWO ? 1 : 0, AddSegment, &segments);
  if (r < 0) return static_cast<int>(-r);
  if (static_cast<uint64_t>(r) != len) return EFAULT;  // a short copy
  if (out != nullptr) *out = std::move(segments);
  return 0;
}

void KernelDevice::Mirror() {
  vhost_.clear();
  parent_.clear();
  auto* d = static_cast<kdev*>(kdev_);
  for (uint32_t asid = 0; asid < config_.num_as; ++asid) {
    IntervalTable vhost;
    if (api_->walk(d, 0, asid, AddEntry, &vhost) == 0) vhost_[asid] = std::move(vhost);
    IntervalTable parent;
    if (api_->walk(d, 1, asid, AddEntry, &parent) == 0) parent_[asid] = std::move(parent);
  }
}

const IntervalTable* KernelDevice::vhost_table(uint32_t asid) const {
  auto it = vhost_.find(asid);
  return it == vhost_.end() ? nullptr : &it->second;
}

const IntervalTable* KernelDevice::device_table(uint32_t asid) const {
  if (vhost_.count(asid) == 0) return nullptr;  // as the emulation: created spaces only
  auto it = parent_.find(asid);
  return it == parent_.end() ? nullptr : &it->second;
}

std::vector<uint32_t> KernelDevice::asids() const {
  std::vector<uint32_t> out;
  for (const auto& [asid, t] : vhost_) out.push_back(asid);
  return out;
}

bool KernelDevice::parent_default(uint32_t asid) const {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  return api_->parent_default(static_cast<kdev*>(kdev_), asid) != 0;
}

bool KernelDevice::in_batch() const {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  return api_->in_batch(static_cast<kdev*>(kdev_)) != 0;
}

uint32_t KernelDevice::batch_asid() const {
  std::lock_guard<std::mutex> lock(*api_->call_mu);
  return api_->batch_asid(static_cast<kdev*>(kdev_));
}

}  // namespace iovacheck
