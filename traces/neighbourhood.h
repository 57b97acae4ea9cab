// The live mappings around the addresses a divergence involves, in all three
// address spaces, for a replay's failure report. A bare "coverage" verdict
// says that something is missing; what sits next to the address (the RAM
// section an alias lies in, the stale entry left at an IOVA) says why.
#ifndef IOVACHECK_TRACES_NEIGHBOURHOOD_H_
#define IOVACHECK_TRACES_NEIGHBOURHOOD_H_

#include <string>

#include "model/divergence.h"
#include "model/reference_model.h"
#include "model/device.h"

namespace iovacheck {

// One block per distinct address, labelled GPA, HVA or IOVA, each line
// indented by four spaces:
//  - GPA: the live section containing it, or the nearest on each side;
//  - HVA: every live section and host buffer whose HVA range contains it (an
//    alias is noted when several sections share it), or the nearest on each
//    side;
//  - IOVA: per address space, the kernel-table entry containing it or the
//    nearest on each side, each marked live (with the mapping it serves) or
//    stale.
// At most a few addresses per space are shown; the rest are counted.
std::string DescribeNeighbourhood(const ReferenceModel& model, const Device& device,
                                  const Divergence& divergence);

}  // namespace iovacheck

#endif  // IOVACHECK_TRACES_NEIGHBOURHOOD_H_
