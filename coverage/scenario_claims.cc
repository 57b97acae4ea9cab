#include "coverage/scenario_claims.h"

namespace iovacheck {

const std::map<std::string, std::vector<std::string>>& ScenarioClaims() {
  // What the machine-memory scenarios share: aliases come and go, sections
  // are replaced in one transaction, buffers run across section ends, the
  // device is reset in the middle of things, IOVA space runs out.
  static const std::vector<std::string> kMemoryMap = {
      "alias created",
      "alias deleted while its target lives",
      "section replaced inside one transaction",
      "translate across a section end",
      "reset inside a batch",
      "reset inside a transaction",
      "IOVA space exhausted",
      "host buffer in its own address space",
      "shadow data switched",
      "device DMA refused",
  };
  auto with_edge = [](std::vector<std::string> claims) {
    claims.insert(claims.begin() + 4, "translate ending at a section's last byte");
    return claims;
  };
  static const auto* claims = new std::map<std::string, std::vector<std::string>>{
      {"q35", with_edge(kMemoryMap)},
      {"hotplug", kMemoryMap},
      {"migration", with_edge(kMemoryMap)},
      {"viommu",
       {"alias created", "alias deleted while its target lives",
        "section replaced inside one transaction", "reset inside a transaction",
        "vIOMMU map replayed", "device DMA refused"}},
  };
  return *claims;
}

}  // namespace iovacheck
