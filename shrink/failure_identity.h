// What makes two failures "the same bug" for the shrinker: the oracle rule
// that broke and the kind of event at which it showed. A candidate that fails
// any other way is a different bug, and the shrinker must not slide onto it.
#ifndef IOVACHECK_SHRINK_FAILURE_IDENTITY_H_
#define IOVACHECK_SHRINK_FAILURE_IDENTITY_H_

#include <string>

#include "model/divergence.h"

namespace iovacheck {

struct FailureIdentity {
  OracleRule rule = OracleRule::kCoverage;
  std::string event_kind;  // EventKind() of the diverging event
  std::string death;       // Divergence::death: the kind of crash, if any

  bool operator==(const FailureIdentity& o) const {
    return rule == o.rule && event_kind == o.event_kind && death == o.death;
  }
  bool operator!=(const FailureIdentity& o) const { return !(*this == o); }
};

// "rule coverage at a region_del"
std::string FailureIdentityToString(const FailureIdentity& identity);

}  // namespace iovacheck

#endif  // IOVACHECK_SHRINK_FAILURE_IDENTITY_H_
