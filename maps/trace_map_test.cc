// The map of every trace kept in the tree, drawn where its replay stops:
// well-formed XML, and every live section, host buffer and IOTLB entry of
// that moment present with its addresses.
#include "maps/trace_map.h"

#include <dirent.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "maps/xml_check.h"
#include "sim/harness.h"
#include "traces/trace_io.h"
#include "translator/registry.h"
#include "translator/runfiles.h"

namespace iovacheck {
namespace {

std::vector<std::string> TreeTraces() {
  std::vector<std::string> paths;
  absl::StatusOr<std::string> dir = FindRunfile("traces/regressions");
  EXPECT_TRUE(dir.ok()) << dir.status();
  if (!dir.ok()) return paths;
  if (DIR* d = opendir(dir->c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (absl::EndsWith(name, ".textproto")) paths.push_back(*dir + "/" + name);
    }
    closedir(d);
  }
  absl::StatusOr<std::string> viommu = FindRunfile("traces/testdata/viommu-seed7-steps200.trace");
  EXPECT_TRUE(viommu.ok()) << viommu.status();
  if (viommu.ok()) paths.push_back(*viommu);
  return paths;
}

// The translator the trace says fails it, where it is one of ours (QEMU's
// plug-ins are not built for this test); else decoupled.
std::string TranslatorFor(const trace::Header& header) {
  for (const trace::Expectation& e : header.expect()) {
    if (e.verdict() == trace::Expectation::FAIL && FindTranslator(e.translator()).ok() &&
        !absl::StartsWith(e.translator(), "qemu-")) {
      return e.translator();
    }
  }
  return "decoupled";
}

TEST(TraceMap, EveryTreeTraceMapsEveryLiveMappingAsWellFormedSvg) {
  const std::vector<std::string> paths = TreeTraces();
  ASSERT_GT(paths.size(), 10u);
  int drawn = 0, diverged = 0;
  for (const std::string& path : paths) {
    SCOPED_TRACE(path);
    absl::StatusOr<trace::Trace> t = ReadWholeTrace(path);
    ASSERT_TRUE(t.ok()) << t.status();
    if (t->header().domain() == kMdevDomain) continue;
    ReplayOptions replay;
    replay.translator = TranslatorFor(t->header());
    const MappedReplay mapped = ReplayAndMap(path, replay);
    ASSERT_NE(mapped.result.verdict, ReplayVerdict::kBadInput) << mapped.result.report;
    ASSERT_TRUE(mapped.svg.has_value());
    const std::string& svg = *mapped.svg;
    absl::Status xml = CheckWellFormedXml(svg);
    ASSERT_TRUE(xml.ok()) << xml;
    ++drawn;
    diverged += mapped.result.verdict == ReplayVerdict::kFail;

    // The same moment again, to list what lives in it.
    std::vector<std::string> wanted;
    ReplayOptions again = replay;
    if (mapped.result.events > 0) again.stop_after = mapped.result.events - 1;
    again.at_stop = [&](const Harness& h, const std::optional<Divergence>&, uint64_t) {
      for (const Section& s : h.model().guest().Sections()) {
        wanted.push_back(absl::StrFormat("gpa [0x%x, 0x%x]", s.gpa, s.gpa + (s.size - 1)));
      }
      for (const HostBuffer& b : h.model().host().Buffers()) {
        wanted.push_back(absl::StrFormat("hva [0x%x, ", b.hva));
      }
      for (uint32_t asid : h.device().asids()) {
        for (const IotlbEntry& e : h.device().vhost_table(asid)->Entries()) {
          wanted.push_back(absl::StrFormat("asid %u iova [0x%x, 0x%x]", asid, e.start, e.last));
        }
      }
    };
    ReplayTrace(path, again);
    for (const std::string& w : wanted) {
      EXPECT_NE(svg.find(w), std::string::npos) << "not in the map: " << w;
    }
  }
  EXPECT_GT(drawn, 10);
  EXPECT_GT(diverged, 5);  // most regression cases are failures: their moment is drawn
}

TEST(TraceMap, AtPastTheEndIsAnErrorNamingTheTrace) {
  absl::StatusOr<std::string> path = FindRunfile("traces/testdata/viommu-seed7-steps200.trace");
  ASSERT_TRUE(path.ok()) << path.status();
  TraceMapOptions options;
  options.at = 1000000;
  absl::StatusOr<TraceMap> map = MapTrace(*path, options);
  ASSERT_FALSE(map.ok());
  EXPECT_NE(map.status().message().find("--at=1000000"), std::string::npos) << map.status();
  EXPECT_NE(map.status().message().find(*path), std::string::npos) << map.status();
  options.at = 3;
  map = MapTrace(*path, options);
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->events, 4u);
  EXPECT_FALSE(map->diverged);
  EXPECT_NE(map->caption.find("after event 3"), std::string::npos) << map->caption;
}

TEST(TraceMap, OnlyDivergenceDrawsNothingForAPassingReplay) {
  absl::StatusOr<std::string> path = FindRunfile("traces/testdata/viommu-seed7-steps200.trace");
  ASSERT_TRUE(path.ok()) << path.status();
  const MappedReplay mapped = ReplayAndMap(*path, ReplayOptions{}, /*only_divergence=*/true);
  EXPECT_EQ(mapped.result.verdict, ReplayVerdict::kPass) << mapped.result.report;
  EXPECT_FALSE(mapped.svg.has_value());
}

TEST(TraceMap, MapPathBesideReplacesTheTraceSuffix) {
  EXPECT_EQ(MapPathBeside("d/x.min.textproto"), "d/x.min.map.svg");
  EXPECT_EQ(MapPathBeside("x.trace"), "x.map.svg");
  EXPECT_EQ(MapPathBeside("x.log"), "x.log.map.svg");
}

}  // namespace
}  // namespace iovacheck
