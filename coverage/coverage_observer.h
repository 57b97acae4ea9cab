// Counts what a harness applies into a Coverage (coverage.h): each event's
// kind and the situations it meets, judged against the model as it stood
// before the event; the faults that fired and the refusals that came back;
// and, at the end of the run, the oracle's work. Plugged into a harness
// through HarnessOptions::observer; a run without it pays nothing.
#ifndef IOVACHECK_COVERAGE_COVERAGE_OBSERVER_H_
#define IOVACHECK_COVERAGE_COVERAGE_OBSERVER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "coverage/coverage.h"
#include "sim/harness.h"

namespace iovacheck {

class CoverageObserver : public StepObserver {
 public:
  explicit CoverageObserver(Coverage* coverage) : coverage_(coverage) {}

  void Before(const Harness& harness, const Event& event) override;
  void After(const Harness& harness, const StepRecord& record) override;
  // Adds the run's oracle work and counts the run: once, at its end.
  void Finish(const Harness& harness);

 private:
  void Situation(const std::string& name) { pending_.push_back(name); }
  void Listener(const Harness& harness, const Event& event);

  Coverage* coverage_;                // not owned
  std::vector<std::string> pending_;  // met by the event Before saw
  std::vector<std::string> pending_boundaries_;  // its boundary classes
  // GPA ranges [first, last] deleted in the open transaction.
  std::vector<std::pair<uint64_t, uint64_t>> deleted_;
};

}  // namespace iovacheck

#endif  // IOVACHECK_COVERAGE_COVERAGE_OBSERVER_H_
