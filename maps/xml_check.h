// Whether a text is well-formed XML 1.0 as far as what we write goes
// (declaration, elements, attributes, character data and references,
// comments): for tests of the SVG maps and HTML reports, with no parser to
// install. The error names the byte offset.
#ifndef IOVACHECK_MAPS_XML_CHECK_H_
#define IOVACHECK_MAPS_XML_CHECK_H_

#include <string>

#include "absl/status/status.h"

namespace iovacheck {

absl::Status CheckWellFormedXml(const std::string& text);

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_XML_CHECK_H_
