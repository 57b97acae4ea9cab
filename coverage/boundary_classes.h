// The edges an event reaches (issue [11]): the first and last byte of a
// mapping, one byte past it, lengths of one byte and of a page less one, the
// device's first and last IOVA, 2^64, small IOVA ranges, translations with
// shadow data off. Judged against the model as it stands before the event.
// The properties' test asserts that a default run reaches every class, so a
// generator that stops aiming at an edge fails loudly instead of silently
// losing the bugs that live there.
#ifndef IOVACHECK_COVERAGE_BOUNDARY_CLASSES_H_
#define IOVACHECK_COVERAGE_BOUNDARY_CLASSES_H_

#include <string>
#include <vector>

#include "model/reference_model.h"
#include "sim/event.h"

namespace iovacheck {

// The classes `event` reaches, appended to *out (repeats allowed).
void ClassifyBoundaries(const ReferenceModel& model, const Event& event,
                        std::vector<std::string>* out);

// The classes the device itself is in (once per run).
void ClassifyDevice(const DeviceConfig& config, std::vector<std::string>* out);

}  // namespace iovacheck

#endif  // IOVACHECK_COVERAGE_BOUNDARY_CLASSES_H_
