// Draws an address map (address_map.h) as one self-contained SVG: GPA, HVA
// and IOVA side by side, each on its own compressed axis
// (compressed_axis.h), bands in lanes where they overlap (aliases, address
// spaces), links behind them, what is wrong in a warning colour, and each
// band's addresses in a <title> a browser shows on hover. No script, no
// external reference: it opens from a report directory or an e-mail.
#ifndef IOVACHECK_MAPS_SVG_RENDER_H_
#define IOVACHECK_MAPS_SVG_RENDER_H_

#include <string>

#include "maps/address_map.h"

namespace iovacheck {

std::string RenderSvg(const AddressMap& map);

// Text made safe for XML character data and attribute values.
std::string XmlEscape(const std::string& text);

}  // namespace iovacheck

#endif  // IOVACHECK_MAPS_SVG_RENDER_H_
