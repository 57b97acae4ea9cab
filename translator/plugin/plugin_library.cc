#include "translator/plugin/plugin_library.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <map>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

absl::Status Refuse(const std::string& path, const std::string& why) {
  return absl::FailedPreconditionError(absl::StrFormat("plug-in %s: %s", path, why));
}

absl::StatusOr<const iovacheck_plugin*> Open(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Refuse(path, "no such file");
  if (!S_ISREG(st.st_mode)) return Refuse(path, "not a regular file");
  // A name without a slash would make dlopen search the library path.
  std::string where = path.find('/') == std::string::npos ? "./" + path : path;
  dlerror();
  void* handle = dlopen(where.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* err = dlerror();
    return Refuse(path, absl::StrFormat("not a loadable shared object (%s)",
                                        err != nullptr ? err : "dlopen failed"));
  }
  // Never dlclosed: forked children and later instances keep using it.
  void* sym = dlsym(handle, IOVACHECK_PLUGIN_ENTRY_SYMBOL);
  if (sym == nullptr) {
    return Refuse(path, absl::StrFormat("does not export %s", IOVACHECK_PLUGIN_ENTRY_SYMBOL));
  }
  auto entry = reinterpret_cast<iovacheck_plugin_entry_fn>(sym);
  const iovacheck_plugin* table = entry();
  if (table == nullptr) {
    return Refuse(path, absl::StrFormat("%s returned no table", IOVACHECK_PLUGIN_ENTRY_SYMBOL));
  }
  if (table->abi_version != IOVACHECK_PLUGIN_ABI_VERSION) {
    return Refuse(path, absl::StrFormat("ABI version %u, but iovacheck speaks version %u",
                                        table->abi_version, IOVACHECK_PLUGIN_ABI_VERSION));
  }
  if (table->struct_size < sizeof(iovacheck_plugin)) {
    return Refuse(path, absl::StrFormat("function table of %u bytes, expected %u",
                                        table->struct_size, sizeof(iovacheck_plugin)));
  }
  const void* const fns[] = {
      reinterpret_cast<const void*>(table->create),
      reinterpret_cast<const void*>(table->destroy),
      reinterpret_cast<const void*>(table->listener_begin),
      reinterpret_cast<const void*>(table->listener_commit),
      reinterpret_cast<const void*>(table->region_add),
      reinterpret_cast<const void*>(table->region_del),
      reinterpret_cast<const void*>(table->map_host_buffer),
      reinterpret_cast<const void*>(table->unmap_host_buffer),
      reinterpret_cast<const void*>(table->translate_buffer),
      reinterpret_cast<const void*>(table->allocations),
      reinterpret_cast<const void*>(table->set_shadow_data),
      reinterpret_cast<const void*>(table->device_reset),
      reinterpret_cast<const void*>(table->iommu_map),
      reinterpret_cast<const void*>(table->iommu_unmap),
  };
  for (const void* fn : fns) {
    if (fn == nullptr) return Refuse(path, "function table has a null entry");
  }
  return table;
}

}  // namespace

absl::StatusOr<const iovacheck_plugin*> LoadPlugin(const std::string& path) {
  static std::mutex* mu = new std::mutex;
  static auto* loaded = new std::map<std::string, absl::StatusOr<const iovacheck_plugin*>>;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = loaded->find(path);
  if (it == loaded->end()) it = loaded->emplace(path, Open(path)).first;
  return it->second;
}

}  // namespace iovacheck
