#include "maps/svg_render.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "maps/compressed_axis.h"

namespace iovacheck {
namespace {

constexpr double kWidth = 1000;
constexpr double kColumnWidth = 250;
constexpr double kColumnX[] = {30, 375, 720};  // GPA, HVA, IOVA
constexpr const char* kColumnName[] = {"GPA (guest physical)", "HVA (QEMU's virtual)",
                                       "IOVA (what the device sends)"};
constexpr double kCharWidth = 6.2;   // 11 px sans-serif, roughly
constexpr size_t kNoteChars = 150;   // a note line across the picture
constexpr size_t kTitleChars = 100;  // the same at the title's size

struct Style {
  const char* fill;
  const char* stroke;
};

Style StyleOf(const Band& b) {
  if (b.warn) return {"#f6b2aa", "#c0392b"};
  switch (b.kind) {
    case BandKind::kSection:
      return {"#a9c8ea", "#3a6ea5"};
    case BandKind::kNonRam:
      return {"#dddddd", "#888888"};
    case BandKind::kHostMemory:
      return {"#c9e4b4", "#4d8a2a"};
    case BandKind::kHostBuffer:
      return {"#f3dc9b", "#a67c00"};
    case BandKind::kUnbacked:
      return {"#f6b2aa", "#c0392b"};
    case BandKind::kEntry:
      return {"#f7c89b", "#b5651d"};
    case BandKind::kMissing:
      return {"#ffffff", "#c0392b"};
  }
  return {"#ffffff", "#000000"};
}

int ColumnOf(Space s) { return static_cast<int>(s); }

// Where each band sits: its lane within its column, and the column's lanes.
struct Placement {
  double x = 0;
  double width = 0;
  double top = 0;
  double bottom = 0;
};

// Lanes: address spaces side by side in the IOVA column, and within one
// column (or address space) a band overlapping one already placed moves to
// the next free lane.
std::vector<std::pair<int, int>> AssignLanes(const AddressMap& map, int column, int* lanes_used) {
  std::vector<std::pair<int, int>> lane(map.bands.size(), {0, 0});  // (group, lane)
  std::map<uint32_t, int> group_of_asid;
  std::map<int, std::vector<uint64_t>> lane_last;  // group -> last byte of each lane
  std::vector<size_t> order;
  for (size_t i = 0; i < map.bands.size(); ++i) {
    if (ColumnOf(map.bands[i].space) == column) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Band& x = map.bands[a];
    const Band& y = map.bands[b];
    return std::make_tuple(x.asid, x.start, ~x.last) < std::make_tuple(y.asid, y.start, ~y.last);
  });
  for (size_t i : order) {
    const Band& b = map.bands[i];
    const int group = column == ColumnOf(Space::kIova)
                          ? group_of_asid.try_emplace(b.asid, group_of_asid.size()).first->second
                          : 0;
    std::vector<uint64_t>& lasts = lane_last[group];
    size_t l = 0;
    while (l < lasts.size() && lasts[l] >= b.start) ++l;
    if (l == lasts.size()) lasts.push_back(0);
    lasts[l] = b.last;
    lane[i] = {group, static_cast<int>(l)};
  }
  // Lanes of every group as one row of slots.
  std::map<int, int> first_slot;
  int slots = 0;
  for (const auto& [group, lasts] : lane_last) {
    first_slot[group] = slots;
    slots += static_cast<int>(lasts.size());
  }
  for (size_t i : order) lane[i] = {first_slot[lane[i].first] + lane[i].second, 0};
  *lanes_used = std::max(slots, 1);
  return lane;
}

// Lines of at most `width` characters, broken at spaces where there are
// some (a continuation is indented).
std::vector<std::string> Wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (rest.size() > width) {
    size_t cut = rest.rfind(' ', width);
    if (cut == std::string::npos || cut < width / 2) cut = width;
    lines.push_back(rest.substr(0, cut));
    rest = "    " + rest.substr(cut == width ? cut : cut + 1);
  }
  lines.push_back(rest);
  return lines;
}

std::string Fit(const std::string& text, double width) {
  const size_t room = static_cast<size_t>(std::max(0.0, (width - 6) / kCharWidth));
  if (text.size() <= room) return text;
  if (room < 2) return "";
  return text.substr(0, room - 1) + "\u2026";
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 has no place for other control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string RenderSvg(const AddressMap& map) {
  double y = 10;
  std::string head;
  for (const std::string& line : Wrap(map.title, kTitleChars)) {
    y += 18;
    absl::StrAppendFormat(&head, "<text x=\"20\" y=\"%.1f\" class=\"title\">%s</text>\n", y,
                          XmlEscape(line));
  }
  for (const std::string& note : map.notes) {
    for (const std::string& line : Wrap(note, kNoteChars)) {
      y += 16;
      absl::StrAppendFormat(&head, "<text x=\"20\" y=\"%.1f\" class=\"note\">%s</text>\n", y,
                            XmlEscape(line));
    }
  }
  y += 30;
  for (int c = 0; c < 3; ++c) {
    absl::StrAppendFormat(&head, "<text x=\"%.1f\" y=\"%.1f\" class=\"column\">%s</text>\n",
                          kColumnX[c], y, kColumnName[c]);
  }
  const double top = y + 14;

  // Each column on its own axis, its bands in lanes.
  std::vector<Placement> at(map.bands.size());
  std::string gaps;
  double bottom = top;
  for (int c = 0; c < 3; ++c) {
    std::vector<std::pair<uint64_t, uint64_t>> covered;
    for (const Band& b : map.bands) {
      if (ColumnOf(b.space) == c) covered.push_back({b.start, b.last});
    }
    const CompressedAxis axis(covered, top);
    bottom = std::max(bottom, axis.bottom());
    int lanes = 1;
    const std::vector<std::pair<int, int>> lane = AssignLanes(map, c, &lanes);
    const double lane_width = kColumnWidth / lanes;
    std::vector<size_t> here;
    for (size_t i = 0; i < map.bands.size(); ++i) {
      if (ColumnOf(map.bands[i].space) == c) here.push_back(i);
    }
    for (size_t i : here) {
      const Band& b = map.bands[i];
      // A band widens over the lanes to its right that nothing beside it
      // uses. Not in the IOVA column, whose lanes are address spaces, nor
      // past a few thousand bands (the check is quadratic).
      int free_to = c == ColumnOf(Space::kIova) ? lane[i].first + 1 : lanes;
      for (size_t j : here) {
        if (lanes == 1 || c == ColumnOf(Space::kIova) || here.size() > 4000) break;
        const Band& o = map.bands[j];
        if (lane[j].first > lane[i].first && o.start <= b.last && b.start <= o.last) {
          free_to = std::min(free_to, lane[j].first);
        }
      }
      at[i] = {kColumnX[c] + lane[i].first * lane_width, (free_to - lane[i].first) * lane_width - 4,
               axis.Top(b.start), axis.Bottom(b.last)};
    }
    for (const CompressedAxis::Gap& g : axis.gaps()) {
      const double mid = g.y + CompressedAxis::kGapHeight / 2;
      absl::StrAppendFormat(&gaps,
                            "<g class=\"gap\"><title>gap [0x%x, 0x%x] (0x%x bytes)</title>"
                            "<path d=\"M%.1f %.1f l8 -4 l8 8 l8 -8 l8 8 l8 -4\"/></g>\n",
                            g.start, g.last, g.last - g.start + 1, kColumnX[c] - 24, mid);
    }
  }

  std::string links;
  for (const Link& l : map.links) {
    const Placement& a = at[l.from.band];
    const Placement& b = at[l.to.band];
    const Band& fb = map.bands[l.from.band];
    const Band& tb = map.bands[l.to.band];
    // Each end's share of its band, on that band's own scale.
    auto span = [](const Band& band, const Placement& p, uint64_t start, uint64_t last) {
      const long double whole = static_cast<long double>(band.last - band.start) + 1;
      const double t0 = static_cast<double>((start - band.start) / whole);
      const double t1 =
          static_cast<double>((static_cast<long double>(last - band.start) + 1) / whole);
      return std::make_pair(p.top + t0 * (p.bottom - p.top), p.top + t1 * (p.bottom - p.top));
    };
    const auto [a0, a1] = span(fb, a, l.from.start, l.from.last);
    const auto [b0, b1] = span(tb, b, l.to.start, l.to.last);
    const bool rightwards = a.x < b.x;
    const double ax = rightwards ? a.x + a.width : a.x;
    const double bx = rightwards ? b.x : b.x + b.width;
    absl::StrAppendFormat(&links,
                          "<polygon class=\"link%s\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
                          "%.1f,%.1f\"/>\n",
                          l.warn ? " warn" : "", ax, a0, bx, b0, bx, b1, ax, a1);
  }

  std::string bands;
  for (size_t i = 0; i < map.bands.size(); ++i) {
    const Band& b = map.bands[i];
    const Placement& p = at[i];
    const Style style = StyleOf(b);
    const double height = std::max(2.0, p.bottom - p.top - 1);
    absl::StrAppendFormat(
        &bands,
        "<g class=\"band%s%s\"><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
        "height=\"%.1f\" fill=\"%s\" stroke=\"%s\"%s/>",
        b.warn ? " warn" : "", b.alias ? " alias" : "", XmlEscape(b.title), p.x, p.top, p.width,
        height, style.fill, style.stroke,
        b.alias                        ? " stroke-dasharray=\"5 3\" stroke-width=\"2.5\""
        : b.kind == BandKind::kMissing ? " stroke-dasharray=\"4 3\""
        : b.warn                       ? " stroke-width=\"2\""
                                       : "");
    if (height >= 13) {
      const std::string text = Fit(absl::StrFormat("%s 0x%x", b.label, b.start), p.width);
      absl::StrAppendFormat(&bands, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", p.x + 3, p.top + 11,
                            XmlEscape(text));
    }
    bands += "</g>\n";
  }

  // A legend under the columns.
  std::string legend;
  const double ly = bottom + 28;
  const std::pair<const char*, Band> keys[] = {
      {"RAM section", {Space::kGpa, BandKind::kSection}},
      {"not RAM", {Space::kGpa, BandKind::kNonRam}},
      {"host memory", {Space::kHva, BandKind::kHostMemory}},
      {"host-only buffer", {Space::kHva, BandKind::kHostBuffer}},
      {"IOTLB entry", {Space::kIova, BandKind::kEntry}},
  };
  double lx = 20;
  for (const auto& [name, band] : keys) {
    const Style s = StyleOf(band);
    absl::StrAppendFormat(&legend,
                          "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\" "
                          "stroke=\"%s\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                          lx, ly, s.fill, s.stroke, lx + 18, ly + 10, name);
    lx += 30 + kCharWidth * std::string(name).size();
  }
  absl::StrAppendFormat(&legend,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#f6b2aa\" "
                        "stroke=\"#c0392b\" stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">"
                        "wrong (stale, missing, divergent)</text>\n",
                        lx, ly, lx + 18, ly + 10);
  absl::StrAppendFormat(&legend,
                        "<text x=\"20\" y=\"%.1f\" class=\"note\">Dashed purple outline: host "
                        "memory behind two GPA ranges (an alias). Zigzags: gaps left out. "
                        "Hover over a band for its addresses.</text>\n",
                        ly + 30);

  const double height = ly + 48;
  std::string svg = absl::StrFormat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n"
      "<style>\n"
      ".title{font-size:15px;font-weight:bold}\n"
      ".note{fill:#333}\n"
      ".column{font-size:13px;font-weight:bold}\n"
      ".link{fill:#7fa7d6;fill-opacity:0.22;stroke:#7fa7d6;stroke-opacity:0.5}\n"
      ".link.warn{fill:#c0392b;fill-opacity:0.25;stroke:#c0392b}\n"
      ".band.alias rect{stroke:#7b3fa0}\n"
      ".gap path{fill:none;stroke:#999}\n"
      "</style>\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
      kWidth, height, kWidth, height);
  svg += head;
  svg += gaps;
  svg += links;
  svg += bands;
  svg += legend;
  svg += "</svg>\n";
  return svg;
}

}  // namespace iovacheck
