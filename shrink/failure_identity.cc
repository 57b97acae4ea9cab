#include "shrink/failure_identity.h"

#include "absl/strings/str_format.h"

namespace iovacheck {

std::string FailureIdentityToString(const FailureIdentity& identity) {
  if (!identity.death.empty()) {
    return absl::StrFormat("rule %s (%s) at a %s", OracleRuleName(identity.rule),
                           identity.death, identity.event_kind);
  }
  return absl::StrFormat("rule %s at a %s", OracleRuleName(identity.rule),
                         identity.event_kind);
}

}  // namespace iovacheck
