// A translator that hands every call to another one. Deliberately wrong
// variants (mutants that prove a check can fail) derive from it and override
// only the call they break.
#ifndef IOVACHECK_TRANSLATOR_FORWARDING_TRANSLATOR_H_
#define IOVACHECK_TRANSLATOR_FORWARDING_TRANSLATOR_H_

#include <memory>
#include <utility>
#include <vector>

#include "translator/translator.h"

namespace iovacheck {

class ForwardingTranslator : public Translator {
 public:
  explicit ForwardingTranslator(std::unique_ptr<Translator> inner)
      : inner_(std::move(inner)) {}

  void ListenerBegin() override { inner_->ListenerBegin(); }
  void ListenerCommit() override { inner_->ListenerCommit(); }
  int RegionAdd(const GuestSection& s) override { return inner_->RegionAdd(s); }
  int RegionDel(const GuestSection& s) override { return inner_->RegionDel(s); }
  int MapHostBuffer(uint64_t hva, uint64_t size, uint8_t perm, uint32_t asid) override {
    return inner_->MapHostBuffer(hva, size, perm, asid);
  }
  int UnmapHostBuffer(uint64_t hva, uint64_t size, uint32_t asid) override {
    return inner_->UnmapHostBuffer(hva, size, asid);
  }
  int TranslateBuffer(const std::vector<Iovec>& iovecs,
                      std::vector<uint64_t>* iovas) override {
    return inner_->TranslateBuffer(iovecs, iovas);
  }
  // No JournalAllocations: a variant may override Allocations(), which the
  // inner translator's journal would not show; the oracle then compares
  // whole allocation lists.
  std::vector<IovaAllocation> Allocations() const override {
    return inner_->Allocations();
  }
  void SetShadowData(bool enabled) override { inner_->SetShadowData(enabled); }
  int DeviceReset() override { return inner_->DeviceReset(); }
  int IommuMap(uint64_t giova, uint64_t size, uint64_t hva, uint8_t perm) override {
    return inner_->IommuMap(giova, size, hva, perm);
  }
  int IommuUnmap(uint64_t giova, uint64_t last) override {
    return inner_->IommuUnmap(giova, last);
  }

 protected:
  Translator& inner() { return *inner_; }
  const Translator& inner() const { return *inner_; }

 private:
  std::unique_ptr<Translator> inner_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_FORWARDING_TRANSLATOR_H_
