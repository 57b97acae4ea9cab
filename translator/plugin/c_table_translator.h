// A plug-in's function table driven in this process: the Translator
// interface over an iovacheck_plugin (translator/plugin/iovacheck_plugin.h).
// Device writes come back through the host callbacks as uAPI bytes, are
// decoded and sent to the IotlbChannel. iovacheck runs this inside the
// plug-in's child process (isolated_translator.h); tests may run it directly.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_C_TABLE_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_C_TABLE_TRANSLATOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "translator/plugin/iovacheck_plugin.h"
#include "translator/translator.h"

namespace iovacheck {

// The most allocations iovacheck reads from a plug-in's allocations() (16 Mi:
// 256 MiB of them); a plug-in claiming more is reported, not believed.
inline constexpr size_t kMaxPluginAllocations = size_t{1} << 24;

class CTableTranslator : public Translator {
 public:
  using LogSink = std::function<void(const std::string& line)>;

  // Null when the plug-in's create() returned NULL.
  static std::unique_ptr<CTableTranslator> Create(const iovacheck_plugin* plugin,
                                                  const DeviceConfig& config,
                                                  IotlbChannel* channel, LogSink log);
  ~CTableTranslator() override;

  void ListenerBegin() override;
  void ListenerCommit() override;
  int RegionAdd(const GuestSection& section) override;
  int RegionDel(const GuestSection& section) override;
  int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override;
  int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) override;
  int TranslateBuffer(const std::vector<Iovec>& iovecs, std::vector<uint64_t>* iovas) override;
  std::vector<IovaAllocation> Allocations() const override;
  void SetShadowData(bool enabled) override;
  int DeviceReset() override;
  int IommuMap(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) override;
  int IommuUnmap(uint64_t giova, uint64_t last) override;

 private:
  CTableTranslator(const iovacheck_plugin* plugin, IotlbChannel* channel, LogSink log);
  static long DeviceWrite(void* ctx, const void* buf, size_t len);
  static void Log(void* ctx, const char* line);

  const iovacheck_plugin* plugin_;
  IotlbChannel* channel_;
  LogSink log_;
  iovacheck_host host_;
  void* instance_ = nullptr;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_C_TABLE_TRANSLATOR_H_
