#include "traces/qemu_log_import.h"
#include "traces/qemu_log_line.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tools/import_qemu_command.h"
#include "traces/replay.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

// --- Helpers ----------------------------------------------------------------

std::string TmpDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// A fresh directory per test, so "no temporary files left" can be checked.
std::string FreshDir(const std::string& name) {
  const std::string dir = TmpDir() + "/" + name;
  std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return dir;
}

std::string WriteLog(const std::string& name, const std::string& text) {
  const std::string path = TmpDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A log checked into traces/qemu/, from the test's runfiles.
std::string DataLog(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/", workspace ? workspace : "iovacheck",
                      "/traces/qemu/", name);
}

// "begin add(0x0) commit ...": the trace's shape in one string.
std::string Shape(const trace::Trace& t) {
  std::vector<std::string> out;
  for (const trace::Event& e : t.events()) {
    switch (e.kind_case()) {
      case trace::Event::kListenerBegin: out.push_back("begin"); break;
      case trace::Event::kListenerCommit: out.push_back("commit"); break;
      case trace::Event::kRegionAdd:
        out.push_back(absl::StrFormat("add(0x%x)", e.region_add().section().gpa()));
        break;
      case trace::Event::kRegionDel:
        out.push_back(absl::StrFormat("del(0x%x)", e.region_del().section().gpa()));
        break;
      case trace::Event::kHostMap:
        out.push_back(absl::StrFormat("map(0x%x)", e.host_map().buffer().hva()));
        break;
      case trace::Event::kHostUnmap:
        out.push_back(absl::StrFormat("unmap(0x%x)", e.host_unmap().hva()));
        break;
      default: out.push_back("?"); break;
    }
    if (e.sent_size() > 0) {
      std::vector<std::string> types;
      for (const trace::IotlbMessage& m : e.sent()) types.push_back(absl::StrCat(m.type()));
      out.back() += "[" + absl::StrJoin(types, ",") + "]";
    }
  }
  return absl::StrJoin(out, " ");
}

absl::StatusOr<trace::Trace> Import(const std::string& path, ImportStats* stats,
                                    bool strict = false) {
  ImportOptions options;
  options.strict = strict;
  return ImportQemuLog(path, options, stats);
}

absl::StatusOr<trace::Trace> ImportText(const std::string& name, const std::string& text,
                                        ImportStats* stats, bool strict = false) {
  return Import(WriteLog(name, text), stats, strict);
}

constexpr char kAdd[] =
    "vhost_vdpa_listener_region_add vdpa: 0x55aa00001000 iova 0x0 llend 0x200000 "
    "vaddr: 0x7f0000000000 read-only: 0";
constexpr char kMap[] =
    "vhost_vdpa_dma_map vdpa_shared:0x55aa00001000 fd: 9 msg_type: 2 asid: 0 "
    "iova: 0x1000 size: 0x200000 uaddr: 0x7f0000000000 perm: 0x3 type: 2";

// --- Line forms -------------------------------------------------------------

TEST(QemuLogImportTest, EveryPrefixFormParses) {
  const std::vector<std::string> prefixes = {
      "",
      "12345@1690000000.123456:",
      "2025-07-21T18:43:28.089797Z ",
      "2025-07-21T18:43:28.089797Z (4242) ",
  };
  for (size_t i = 0; i < prefixes.size(); ++i) {
    SCOPED_TRACE(prefixes[i]);
    ImportStats stats;
    auto t = ImportText(absl::StrCat("prefix", i, ".log"),
                        prefixes[i] + kAdd + "\n" + prefixes[i] + kMap + "\n", &stats);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(Shape(*t), "begin add(0x0)[2] commit");
    EXPECT_EQ(stats.ignored, 0u);
    EXPECT_EQ(stats.malformed, 0u);
    EXPECT_TRUE(stats.warnings.empty()) << absl::StrJoin(stats.warnings, "\n");
    const trace::Section& s = t->events(1).region_add().section();
    EXPECT_EQ(s.gpa(), 0u);
    EXPECT_EQ(s.size(), 0x200000u);
    EXPECT_EQ(s.hva(), 0x7f0000000000u);
    EXPECT_FALSE(s.readonly());
    EXPECT_EQ(s.name(), "region@0x0");
  }
}

TEST(QemuLogImportTest, OldAndNewDmaMapForms) {
  struct Case {
    std::string line;
    uint32_t version;
    uint32_t asid;
  };
  const std::vector<Case> cases = {
      {"vhost_vdpa_dma_map vdpa_shared:0x55aa00001000 fd: 9 msg_type: 2 asid: 0 iova: "
       "0x1000 size: 0x200000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
       2, 0},
      // Old QEMU: no asid, `vdpa:%p`, v1 or v2 messages.
      {"vhost_vdpa_dma_map vdpa:0x55aa00001000 fd: 9 msg_type: 1 iova: 0x1000 size: "
       "0x200000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
       1, 0},
      {"vhost_vdpa_dma_map vdpa: 0x55aa00001000 fd: 9 msg_type: 2 iova: 0x1000 size: "
       "0x200000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
       2, 0},
      {"vhost_vdpa_dma_map vdpa_shared:(nil) fd: -1 msg_type: 2 asid: 0 iova: 0x1000 "
       "size: 0x200000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
       2, 0},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].line);
    ImportStats stats;
    auto t = ImportText(absl::StrCat("forms", i, ".log"),
                        std::string(kAdd) + "\n" + cases[i].line + "\n", &stats);
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_EQ(Shape(*t), "begin add(0x0)[2] commit");
    EXPECT_TRUE(stats.warnings.empty()) << absl::StrJoin(stats.warnings, "\n");
    const trace::IotlbMessage& m = t->events(1).sent(0);
    EXPECT_EQ(m.version(), cases[i].version);
    EXPECT_EQ(m.asid(), cases[i].asid);
    EXPECT_EQ(m.iova(), 0x1000u);
    EXPECT_EQ(m.size(), 0x200000u);
    EXPECT_EQ(m.uaddr(), 0x7f0000000000u);
    EXPECT_EQ(m.perm(), 3u);
    EXPECT_EQ(m.type(), 2u);
    EXPECT_FALSE(m.answered());
    EXPECT_TRUE(t->events(1).has_outputs());
    EXPECT_EQ(t->header().device().iotlb_msg_v2(), cases[i].version == 2);
  }
}

TEST(QemuLogImportTest, UnrelatedLinesAreCountedAndIgnored) {
  ImportStats stats;
  auto t = ImportText("unrelated.log",
                      "qemu-system-x86_64: warning: something\n"
                      "\n"
                      "vhost_vdpa_set_vring_ready dev: 0x1 index: 0 r: 0\n"
                      "1@2.3:virtio_notify vdev 0x1 vq 0x2\n"
                      "2025-07-21T18:43:28Z (7) vhost_vdpa_get_features dev: 0x1 features: 0x0\n"
                      "\x01\x02\xff binary noise\n"
                      "vhost_vdpa_listener_region_add_unaligned vdpa_shared: 0x1 region pc.ram "
                      "offset_within_address_space 2048 offset_within_region 0\n",
                      &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(stats.lines, 7u);
  EXPECT_EQ(stats.ignored, 6u);
  EXPECT_EQ(stats.unaligned, 1u);
  EXPECT_EQ(stats.events, 0u);
  EXPECT_EQ(t->events_size(), 0);
  // Nothing imported: the one warning says why that may be.
  ASSERT_EQ(stats.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "-trace 'vhost_vdpa_*'"));
}

// --- Malformed and contradicting lines --------------------------------------

TEST(QemuLogImportTest, MalformedLineIsAWarningByDefault) {
  const std::string log = DataLog("malformed_and_unaligned.log");
  ImportStats stats;
  auto t = Import(log, &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(stats.lines, 9u);
  EXPECT_EQ(stats.malformed, 1u);
  EXPECT_EQ(stats.unaligned, 2u);
  EXPECT_EQ(stats.ignored, 1u);
  ASSERT_EQ(stats.warnings.size(), 1u) << absl::StrJoin(stats.warnings, "\n");
  EXPECT_TRUE(absl::StartsWith(stats.warnings[0], log + ":5: vhost_vdpa_dma_map:"))
      << stats.warnings[0];
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "0x1g000")) << stats.warnings[0];
  EXPECT_EQ(Shape(*t), "begin add(0x100000)[2] commit begin del(0x100000)[3] commit");
  EXPECT_EQ(t->header().device().iova_first(), 0x1000u);
  EXPECT_EQ(t->header().device().iova_last(), 0xffffffffffu);
}

TEST(QemuLogImportTest, MalformedLineIsFatalWhenStrict) {
  const std::string log = DataLog("malformed_and_unaligned.log");
  auto t = Import(log, nullptr, /*strict=*/true);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(t.status().message(), log + ":5: ")) << t.status();
}

TEST(QemuLogImportTest, RegionDelOfAnUnknownRegion) {
  const std::string text =
      std::string(kAdd) + "\n" + kMap + "\n" +
      "vhost_vdpa_listener_region_del vdpa: 0x55aa00001000 iova 0x400000 llend 0x5fffff\n" +
      // The right gpa with the wrong end contradicts the section too.
      "vhost_vdpa_listener_region_del vdpa: 0x55aa00001000 iova 0x0 llend 0xfffff\n";
  ImportStats stats;
  auto t = ImportText("unknown_del.log", text, &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(stats.warnings.size(), 2u) << absl::StrJoin(stats.warnings, "\n");
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "unknown_del.log:3: "));
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "no live section"));
  EXPECT_TRUE(absl::StrContains(stats.warnings[1], "unknown_del.log:4: "));
  EXPECT_EQ(stats.malformed, 2u);
  EXPECT_EQ(Shape(*t), "begin add(0x0)[2] commit begin commit begin commit");

  auto strict = ImportText("unknown_del.log", text, nullptr, /*strict=*/true);
  ASSERT_FALSE(strict.ok());
  EXPECT_TRUE(absl::StrContains(strict.status().message(), "unknown_del.log:3: "))
      << strict.status();
}

TEST(QemuLogImportTest, RegionDelUsesTheStoredSection) {
  auto t = ImportText(
      "del.log",
      "vhost_vdpa_listener_region_add vdpa: 0x1 iova 0x100000 llend 0x300000 vaddr: "
      "0x7f0000100000 read-only: 1\n"
      "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x1000 size: "
      "0x200000 uaddr: 0x7f0000100000 perm: 0x1 type: 2\n"
      "vhost_vdpa_listener_region_del vdpa: 0x1 iova 0x100000 llend 0x2fffff\n"
      "vhost_vdpa_dma_unmap vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x1000 size: "
      "0x200000 type: 3\n",
      nullptr);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(Shape(*t), "begin add(0x100000)[2] commit begin del(0x100000)[3] commit");
  EXPECT_EQ(t->events(4).region_del().section().SerializeAsString(),
            t->events(1).region_add().section().SerializeAsString());
  EXPECT_TRUE(t->events(4).region_del().section().readonly());
}

TEST(QemuLogImportTest, MessagesOfASkippedRegionEventAreSkippedToo) {
  ImportStats stats;
  auto t = ImportText(
      "orphan.log",
      "vhost_vdpa_listener_region_add vdpa: 0x1 iova 0x0 llend 0xzz vaddr: 0x7f0000000000 "
      "read-only: 0\n" +
          std::string(kMap) + "\n",
      &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  // Not mistaken for a host buffer: its region event is gone, so is it.
  EXPECT_EQ(Shape(*t), "begin commit");
  ASSERT_EQ(stats.warnings.size(), 2u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "orphan.log:1: "));
  EXPECT_TRUE(absl::StrContains(stats.warnings[1], "orphan.log:2: "));
  EXPECT_TRUE(absl::StrContains(stats.warnings[1], "skipped at line 1"));
  EXPECT_EQ(stats.malformed, 2u);
}

TEST(QemuLogImportTest, BadFieldsAreMalformed) {
  const std::vector<std::string> lines = {
      // type disagrees with the event
      "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x1000 size: "
      "0x1000 uaddr: 0x7f0000000000 perm: 0x3 type: 3",
      // no such message version
      "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 7 asid: 0 iova: 0x1000 size: "
      "0x1000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
      // a v1 message has no address space id
      "vhost_vdpa_dma_map vdpa:0x1 fd: 9 msg_type: 1 asid: 1 iova: 0x1000 size: 0x1000 "
      "uaddr: 0x7f0000000000 perm: 0x3 type: 2",
      // an address space no device has
      "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 4294967295 iova: 0x1000 "
      "size: 0x1000 uaddr: 0x7f0000000000 perm: 0x3 type: 2",
      // truncated
      "vhost_vdpa_dma_unmap vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova:",
      // missing field
      "vhost_vdpa_dma_unmap vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 type: 3",
      // 65-bit number
      "vhost_vdpa_get_iova_range dev: 0x1 first: 0x0 last: 0x1ffffffffffffffff",
      // no device pointer
      "vhost_vdpa_listener_commit fd: 9 msg_type: 2 type: 6",
      "vhost_vdpa_listener_begin_batch",
      // garbage after a valid line
      "vhost_vdpa_listener_commit vdpa_shared:0x1 fd: 9 msg_type: 2 type: 6" +
          [] {
            std::string extra;
            for (int i = 0; i < 40; ++i) extra += absl::StrCat(" k", i, ": ", i);
            return extra;
          }(),
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    ImportStats stats;
    auto t = ImportText(absl::StrCat("bad", i, ".log"), lines[i] + "\n", &stats);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(stats.malformed, 1u);
    ASSERT_GE(stats.warnings.size(), 1u);
    EXPECT_TRUE(absl::StrContains(stats.warnings[0], absl::StrCat("bad", i, ".log:1: ")))
        << stats.warnings[0];
    auto strict = ImportText(absl::StrCat("bad", i, ".log"), lines[i] + "\n", nullptr, true);
    EXPECT_FALSE(strict.ok());
  }
}

TEST(QemuLogImportTest, ContradictionsAreMalformed) {
  ImportStats stats;
  auto t = ImportText(
      "contradictions.log",
      "vhost_vdpa_listener_commit vdpa_shared:0x1 fd: 9 msg_type: 2 type: 6\n"
      "vhost_vdpa_dma_unmap vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: 0x1000 size: "
      "0x1000 type: 3\n"
      "vhost_vdpa_listener_begin_batch vdpa_shared:0x1 fd: 9 msg_type: 2 type: 5\n",
      &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(stats.malformed, 3u);
  EXPECT_EQ(t->events_size(), 0);
  ASSERT_GE(stats.warnings.size(), 3u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], ":1: vhost_vdpa_listener_commit"));
  EXPECT_TRUE(absl::StrContains(stats.warnings[1], ":2: vhost_vdpa_dma_unmap"));
  EXPECT_TRUE(absl::StrContains(stats.warnings[2], ":3: vhost_vdpa_listener_begin_batch"));
}

TEST(QemuLogImportTest, UnreadableLogIsAnError) {
  auto missing = Import(TmpDir() + "/no_such.log", nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "no_such.log"));
  auto dir = Import(TmpDir(), nullptr);
  ASSERT_FALSE(dir.ok());
  EXPECT_TRUE(absl::StrContains(dir.status().message(), TmpDir()));
}

TEST(QemuLogImportTest, HugeLinesAndNoNewlineDoNotHurt) {
  // A known event on a line far too long, and a final line without newline.
  std::string text = std::string(kAdd) + " " + std::string(1 << 20, 'x') + "\n" +
                     std::string(1 << 20, 'y') + "\n" + kAdd;
  ImportStats stats;
  auto t = ImportText("huge.log", text, &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(stats.lines, 3u);
  EXPECT_EQ(stats.ignored, 1u);
  EXPECT_EQ(stats.malformed, 1u);
  EXPECT_EQ(Shape(*t), "begin commit begin add(0x0) commit");
}

// A byte-order mark before the first line is not part of it; CRLF line
// ends read as LF; a NUL byte damages a known event line (a warning, or
// fatal with --strict) and leaves other lines ignored.
TEST(QemuLogImportTest, ByteOrderMarkCrlfAndNulHaveADefinedMeaning) {
  ImportStats stats;
  auto bom = ImportText("bom.log", std::string("\xEF\xBB\xBF") + kAdd + "\n" + kMap + "\n",
                        &stats, /*strict=*/true);
  ASSERT_TRUE(bom.ok()) << bom.status();
  EXPECT_EQ(Shape(*bom), "begin add(0x0)[2] commit");

  auto crlf = ImportText("crlf.log", std::string(kAdd) + "\r\n" + kMap + "\r\n", &stats,
                         /*strict=*/true);
  ASSERT_TRUE(crlf.ok()) << crlf.status();
  EXPECT_EQ(Shape(*crlf), "begin add(0x0)[2] commit");

  const std::string nul_log = WriteLog("nul.log", std::string(kAdd) + "\n" +
                                                      std::string("junk\0junk\n", 10) +
                                                      std::string(kAdd).replace(60, 1, 1, '\0') +
                                                      "\n");
  auto nul = Import(nul_log, &stats);
  ASSERT_TRUE(nul.ok()) << nul.status();
  EXPECT_EQ(stats.malformed, 1u);
  EXPECT_EQ(stats.ignored, 1u);
  ASSERT_EQ(stats.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], nul_log + ":3: ")) << stats.warnings[0];
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "NUL")) << stats.warnings[0];
  auto strict = Import(nul_log, nullptr, /*strict=*/true);
  ASSERT_FALSE(strict.ok());
  EXPECT_TRUE(absl::StartsWith(strict.status().message(), nul_log + ":3: ")) << strict.status();
}

// Host-only maps the reference model would refuse (a range wrapping 2^64,
// the same HVA mapped twice, an unaligned HVA) are refused by the importer:
// skipped with a warning, or fatal with --strict; the trace replays.
TEST(QemuLogImportTest, HostMapsTheModelWouldRefuseAreRefused) {
  const auto map = [](const char* iova, const char* size, const char* uaddr) {
    return absl::StrCat("vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: ",
                        iova, " size: ", size, " uaddr: ", uaddr, " perm: 0x3 type: 2\n");
  };
  const std::string good = map("0x300000", "0x1000", "0x7f1000000000");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"iova wraps", map("0xfffffffffffff000", "0x2000", "0x7f2000000000")},
      {"hva wraps", map("0x400000", "0x2000", "0xfffffffffffff000")},
      {"same hva", map("0x500000", "0x1000", "0x7f1000000000")},
      {"unaligned", map("0x600000", "0x1000", "0x7f3000000800")},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(bad[i].first);
    const std::string log = WriteLog(absl::StrCat("refused", i, ".log"), good + bad[i].second);
    ImportStats stats;
    auto t = Import(log, &stats);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(stats.malformed, 1u) << absl::StrJoin(stats.warnings, "\n");
    EXPECT_EQ(Shape(*t), "map(0x7f1000000000)[2]");
    const std::string out = TmpDir() + absl::StrCat("/refused", i, ".trace");
    ASSERT_TRUE(WriteWholeTrace(out, *t).ok());
    ReplayOptions options;
    options.recorded = true;
    const ReplayResult r = ReplayTrace(out, options);
    EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
    auto strict = Import(log, nullptr, /*strict=*/true);
    ASSERT_FALSE(strict.ok());
    EXPECT_TRUE(absl::StartsWith(strict.status().message(), log + ":2: ")) << strict.status();
  }
}

// --- Transactions and host memory -------------------------------------------

TEST(QemuLogImportTest, BatchedTransactionEndsAtCommit) {
  ImportStats stats;
  auto t = Import(DataLog("seeds_aliasing_fixed_qemu.log"), &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(stats.warnings.empty()) << absl::StrJoin(stats.warnings, "\n");
  EXPECT_EQ(Shape(*t),
            "begin add(0x0)[5,2] add(0x100000000)[2] add(0xfeda0000)[2] commit[6] "
            "begin del(0xfeda0000)[5,3] commit[6]");
  const trace::DeviceConfig& d = t->header().device();
  EXPECT_TRUE(d.iotlb_msg_v2());
  EXPECT_TRUE(d.iotlb_batch());
  EXPECT_FALSE(d.iotlb_asid());
  EXPECT_EQ(d.num_address_spaces(), 1u);
  EXPECT_EQ(d.iova_first(), 0u);
  EXPECT_EQ(d.iova_last(), ~uint64_t{0});
  EXPECT_EQ(d.page_size(), 4096u);
  EXPECT_EQ(d.kind(), trace::DeviceConfig::DMA_MAP);
  EXPECT_EQ(t->header().format_version(), kTraceFormatVersion);
  EXPECT_EQ(t->header().producer().tool(), "iovacheck import-qemu");
  EXPECT_EQ(t->header().producer().translator(), "qemu");
  EXPECT_EQ(t->header().producer().source(), DataLog("seeds_aliasing_fixed_qemu.log"));
  EXPECT_EQ(stats.messages, 8u);
  EXPECT_EQ(stats.ignored, 5u);
}

TEST(QemuLogImportTest, UnbatchedRegionEventsAreTransactionsOfTheirOwn) {
  ImportStats stats;
  auto t = Import(DataLog("seeds_aliasing_old_qemu.log"), &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(stats.warnings.empty()) << absl::StrJoin(stats.warnings, "\n");
  // The wrong INVALIDATE stays where QEMU sent it: on the region_del.
  EXPECT_EQ(Shape(*t),
            "begin add(0x0)[2] commit begin add(0x100000000)[2] commit "
            "begin add(0xfeda0000)[2] commit begin del(0xfeda0000)[3] commit");
  EXPECT_EQ(t->events(10).sent(0).iova(), 0x1000u);
  EXPECT_EQ(t->events(7).sent(0).iova(), 0x2000001000u);
  const trace::DeviceConfig& d = t->header().device();
  EXPECT_FALSE(d.iotlb_msg_v2());
  EXPECT_FALSE(d.iotlb_batch());
  EXPECT_EQ(stats.ignored, 6u);
}

TEST(QemuLogImportTest, HostOnlyMemoryIsInferred) {
  ImportStats stats;
  auto t = Import(DataLog("svq_and_cvq.log"), &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(stats.warnings.empty()) << absl::StrJoin(stats.warnings, "\n");
  EXPECT_EQ(Shape(*t),
            "map(0x7f30a0000000)[2] map(0x7f30a0002000)[2] map(0x7f30a0010000)[2] "
            "map(0x7f30a0012000)[2] "
            "begin add(0x0)[5,2] add(0xfffc0000)[2] add(0x100000000)[2] commit[6] "
            "map(0x7f30a0100000)[2] map(0x7f30a0101000)[2] map(0x7f30a0200000)[2] "
            "map(0x7f30a0201000)[2] "
            "unmap(0x7f30a0000000)[3] unmap(0x7f30a0002000)[3] unmap(0x7f30a0010000)[3] "
            "unmap(0x7f30a0012000)[3] unmap(0x7f30a0200000)[3] unmap(0x7f30a0201000)[3] "
            "unmap(0x7f30a0100000)[3] unmap(0x7f30a0101000)[3] "
            "begin del(0x0)[5,3] del(0xfffc0000)[3] del(0x100000000)[3] commit[6]");
  const trace::HostBuffer& ring = t->events(0).host_map().buffer();
  EXPECT_EQ(ring.size(), 0x2000u);
  EXPECT_EQ(ring.perm(), 1u);
  EXPECT_EQ(ring.asid(), 0u);
  const trace::HostBuffer& status = t->events(10).host_map().buffer();
  EXPECT_EQ(status.hva(), 0x7f30a0101000u);
  EXPECT_EQ(status.perm(), 3u);
  EXPECT_EQ(status.asid(), 1u);
  const trace::HostUnmap& unmap = t->events(19).host_unmap();
  EXPECT_EQ(unmap.size(), 0x1000u);
  EXPECT_EQ(unmap.asid(), 1u);
  EXPECT_TRUE(t->events(6).region_add().section().readonly());
  const trace::DeviceConfig& d = t->header().device();
  EXPECT_EQ(d.iova_first(), 0u);
  EXPECT_EQ(d.iova_last(), 0xffffffffffffu);
  EXPECT_TRUE(d.iotlb_asid());
  EXPECT_EQ(d.num_address_spaces(), 2u);
}

TEST(QemuLogImportTest, AMapAfterTheRegionsOwnMessageIsHostMemory) {
  // Without batching the transaction is still open after region_add's own
  // UPDATE; a second dma_map is not the region's.
  auto t = ImportText("second_map.log",
                      std::string(kAdd) + "\n" + kMap + "\n" +
                          "vhost_vdpa_dma_map vdpa_shared:0x1 fd: 9 msg_type: 2 asid: 0 iova: "
                          "0x201000 size: 0x1000 uaddr: 0x7f1000000000 perm: 0x1 type: 2\n",
                      nullptr);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Shape(*t), "begin add(0x0)[2] commit map(0x7f1000000000)[2]");
}

TEST(QemuLogImportTest, BatchLeftOpenIsWarned) {
  ImportStats stats;
  auto t = ImportText(
      "open_batch.log",
      std::string(kAdd) + "\n" +
          "vhost_vdpa_listener_begin_batch vdpa_shared:0x1 fd: 9 msg_type: 2 type: 5\n" + kMap +
          "\n",
      &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(Shape(*t), "begin add(0x0)[5,2] commit");
  ASSERT_EQ(stats.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "open_batch.log:3: "));
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "without vhost_vdpa_listener_commit"));
  EXPECT_EQ(stats.malformed, 0u);
}

TEST(QemuLogImportTest, ASecondDeviceIsWarnedOnce) {
  ImportStats stats;
  auto t = ImportText(
      "two_fds.log",
      std::string(kAdd) + "\n" + kMap + "\n" +
          "vhost_vdpa_dma_map vdpa_shared:0x2 fd: 10 msg_type: 2 asid: 0 iova: 0x201000 size: "
          "0x1000 uaddr: 0x7f1000000000 perm: 0x1 type: 2\n"
          "vhost_vdpa_dma_map vdpa_shared:0x2 fd: 10 msg_type: 2 asid: 0 iova: 0x202000 size: "
          "0x1000 uaddr: 0x7f1000001000 perm: 0x1 type: 2\n",
      &stats);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(stats.warnings.size(), 1u);
  EXPECT_TRUE(absl::StrContains(stats.warnings[0], "two_fds.log:3: "));
}

// --- Import, then judge QEMU's recorded messages ----------------------------

ReplayResult ImportAndReplay(const std::string& log_name) {
  const std::string out = TmpDir() + "/" + log_name + ".trace";
  auto t = Import(DataLog(log_name), nullptr);
  EXPECT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(WriteWholeTrace(out, *t).ok());
  ReplayOptions options;
  options.recorded = true;
  return ReplayTrace(out, options);
}

TEST(QemuLogImportTest, FixedQemuLogPasses) {
  ReplayResult r = ImportAndReplay("seeds_aliasing_fixed_qemu.log");
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
  EXPECT_EQ(r.events, 8u);
}

TEST(QemuLogImportTest, OldQemuLogFailsAtTheAliasDeletion) {
  ReplayResult r = ImportAndReplay("seeds_aliasing_old_qemu.log");
  ASSERT_EQ(r.verdict, ReplayVerdict::kFail) << r.report;
  EXPECT_EQ(r.event_index, 10u) << r.report;  // the region_del of the alias
  // The alias stays mapped...
  EXPECT_TRUE(absl::StrContains(r.report, "iova [0x2000001000, 0x2000020fff] -> hva "
                                          "0x7f7903ea0000"))
      << r.report;
  // ...and low RAM, which QEMU invalidated instead, is gone.
  EXPECT_TRUE(absl::StrContains(r.report, "region@0x0: gpa [0x0, 0x7fffffff]")) << r.report;
  EXPECT_TRUE(absl::StrContains(r.report, "iova [0x1000, 0x80000fff]")) << r.report;
  EXPECT_TRUE(absl::StrContains(r.report, "INVALIDATE")) << r.report;
  EXPECT_TRUE(absl::StrContains(r.report, "[0x1000, 0x20fff]")) << r.report;
}

TEST(QemuLogImportTest, SvqAndCvqLogPasses) {
  ReplayResult r = ImportAndReplay("svq_and_cvq.log");
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
  EXPECT_EQ(r.events, 26u);
}

TEST(QemuLogImportTest, MalformedLogStillReplays) {
  ReplayResult r = ImportAndReplay("malformed_and_unaligned.log");
  EXPECT_EQ(r.verdict, ReplayVerdict::kPass) << r.report;
}

// --- The command ------------------------------------------------------------

TEST(ImportQemuCommandTest, WritesBinaryAndTextTraces) {
  const std::string dir = FreshDir("write");
  const std::string log = DataLog("seeds_aliasing_fixed_qemu.log");
  ASSERT_EQ(RunImportQemu(log, dir + "/out.trace", false), 0);
  ASSERT_EQ(RunImportQemu(log, dir + "/out.textproto", false), 0);
  EXPECT_EQ(ListDir(dir), (std::vector<std::string>{"out.textproto", "out.trace"}));
  EXPECT_TRUE(absl::StartsWith(ReadFile(dir + "/out.trace"), "\x89IOVTRC\n"));
  EXPECT_TRUE(absl::StrContains(ReadFile(dir + "/out.textproto"), "region_add"));
  auto binary = ReadWholeTrace(dir + "/out.trace");
  auto text = ReadWholeTrace(dir + "/out.textproto");
  ASSERT_TRUE(binary.ok()) << binary.status();
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(binary->SerializeAsString(), text->SerializeAsString());
}

TEST(ImportQemuCommandTest, FailureLeavesTheOutputAlone) {
  const std::string dir = FreshDir("atomic");
  const std::string out = dir + "/out.trace";
  std::ofstream(out) << "previous contents";
  // Strict import of a log with a malformed line: nothing is written.
  EXPECT_EQ(RunImportQemu(DataLog("malformed_and_unaligned.log"), out, true), 2);
  EXPECT_EQ(ReadFile(out), "previous contents");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"out.trace"});
  // Not strict, the same log imports and replaces it whole.
  EXPECT_EQ(RunImportQemu(DataLog("malformed_and_unaligned.log"), out, false), 0);
  EXPECT_TRUE(ReadWholeTrace(out).ok());
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"out.trace"});
}

TEST(ImportQemuCommandTest, RefusesToOverwriteItsInput) {
  const std::string dir = FreshDir("overwrite");
  const std::string log = dir + "/qemu.log";
  const std::string original = ReadFile(DataLog("svq_and_cvq.log"));
  std::ofstream(log) << original;
  EXPECT_EQ(RunImportQemu(log, log, false), 2);
  EXPECT_EQ(RunImportQemu(log, dir + "/./qemu.log", false), 2);
  ASSERT_EQ(symlink(log.c_str(), (dir + "/link.log").c_str()), 0);
  EXPECT_EQ(RunImportQemu(log, dir + "/link.log", false), 2);
  ASSERT_EQ(link(log.c_str(), (dir + "/hard.log").c_str()), 0);
  EXPECT_EQ(RunImportQemu(log, dir + "/hard.log", false), 2);
  EXPECT_EQ(ReadFile(log), original);
  EXPECT_EQ(RunImportQemu(log, "", false), 2);
  EXPECT_EQ(RunImportQemu(dir + "/missing.log", dir + "/out.trace", false), 2);
  EXPECT_EQ(ListDir(dir), (std::vector<std::string>{"hard.log", "link.log", "qemu.log"}));
}

// Lines are read a block at a time: CRLF and LF ends, a last line without
// one, empty lines, a line across the block boundary, and one past
// kMaxLineBytes (truncated, the rest dropped, the next line intact).
TEST(QemuLogLineReader, SplitsLinesWhateverTheBlocks) {
  // 300 lines of 1,000 bytes: the 256 KiB read blocks end inside one.
  std::string text = "one\r\n\ntwo\n";
  std::vector<std::pair<std::string, bool>> want = {{"one", false}, {"", false}, {"two", false}};
  for (int i = 0; i < 300; ++i) {
    const std::string l(999, static_cast<char>('a' + i % 26));
    text += l + (i % 2 == 0 ? "\n" : "\r\n");
    want.push_back({l, false});
  }
  const std::string huge(qemu_log::kMaxLineBytes + 10, 'b');
  text += huge + "\nthree";
  want.push_back({huge.substr(0, qemu_log::kMaxLineBytes), true});
  want.push_back({"three", false});
  std::istringstream in(text);
  qemu_log::LineReader reader(&in);
  std::string line;
  bool truncated = false;
  for (const auto& [expected, cut] : want) {
    ASSERT_TRUE(reader.Next(&line, &truncated));
    ASSERT_EQ(line, expected);
    EXPECT_EQ(truncated, cut);
  }
  EXPECT_FALSE(reader.Next(&line, &truncated));
}

}  // namespace
}  // namespace iovacheck
