#include "tools/promote_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <vector>

#include "absl/strings/str_format.h"
#include "mdev/trace_file.h"
#include "absl/strings/str_join.h"
#include "model/errno_text.h"
#include "tools/same_file.h"
#include "traces/replay.h"
#include "traces/temp_files.h"
#include "traces/trace_io.h"

namespace iovacheck {
namespace {

constexpr char kCommand[] = "iovacheck promote";

int Fail(const std::string& message) {
  std::cerr << kCommand << ": " << message << "\n";
  return 2;
}

// The regression test is named after the file: regression_NAME.
bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

const char* KindOf(const trace::Event& e) {
  switch (e.kind_case()) {
    case trace::Event::kListenerBegin: return "listener_begin";
    case trace::Event::kListenerCommit: return "listener_commit";
    case trace::Event::kRegionAdd: return "region_add";
    case trace::Event::kRegionDel: return "region_del";
    case trace::Event::kHostMap: return "host_map";
    case trace::Event::kHostUnmap: return "host_unmap";
    case trace::Event::kTranslate: return "translate";
    case trace::Event::kDeviceReset: return "device_reset";
    case trace::Event::kDeviceDma: return "device_dma";
    case trace::Event::kShadowData: return "shadow_data";
    case trace::Event::kIommuMap: return "iommu_map";
    case trace::Event::kIommuUnmap: return "iommu_unmap";
    case trace::Event::kMdev:
      switch (e.mdev().kind_case()) {
        case trace::MdevEvent::kMapDma: return "map_dma";
        case trace::MdevEvent::kUnmapDma: return "unmap_dma";
        case trace::MdevEvent::kDeviceUse: return "device_use";
        case trace::MdevEvent::kDeviceDone: return "device_done";
        case trace::MdevEvent::KIND_NOT_SET: break;
      }
      break;
    case trace::Event::KIND_NOT_SET: break;
  }
  return "?";
}

std::string VerdictText(const trace::Expectation& e) {
  if (e.verdict() == trace::Expectation::PASS) return e.translator() + " PASS";
  return absl::StrFormat("%s FAIL %s at event %u", e.translator(), e.rule(), e.event_index());
}

// Replays the trace as the regression test will; the expectations that do
// not hold, described.
std::vector<std::string> Mismatches(const std::string& path, const trace::Header& header) {
  std::vector<std::string> out;
  if (header.domain() == kMdevDomain) {  // replayed against trackers
    absl::StatusOr<MdevTrace> t = ReadMdevTrace(path);
    if (!t.ok()) return {std::string(t.status().message())};
    absl::StatusOr<std::vector<std::string>> wrong = CheckMdevExpectations(*t);
    if (!wrong.ok()) return {std::string(wrong.status().message())};
    return *wrong;
  }
  for (const trace::Expectation& want : header.expect()) {
    ReplayOptions options;
    options.recorded = want.translator() == "recorded";
    options.translator = want.translator();
    const ReplayResult got = ReplayTrace(path, options);
    std::string seen;
    if (got.verdict == ReplayVerdict::kBadInput) {
      seen = "bad input: " + got.report;
    } else if (got.verdict == ReplayVerdict::kPass) {
      if (want.verdict() != trace::Expectation::PASS) seen = "it passes";
    } else if (want.verdict() == trace::Expectation::PASS ||
               (!want.rule().empty() && (want.rule() != OracleRuleName(got.divergence->rule) ||
                                         want.event_index() != got.event_index))) {
      seen = absl::StrFormat("it fails under rule %s at event %u",
                             OracleRuleName(got.divergence->rule), got.event_index);
    }
    if (!seen.empty()) out.push_back(absl::StrFormat("want %s, but %s", VerdictText(want), seen));
  }
  return out;
}

std::string Comment(const PromoteCommand& c, const trace::Trace& t) {
  const trace::Producer& p = t.header().producer();
  std::string out = absl::StrFormat("Regression case %s, promoted by %s on %s from %s.\n",
                                    c.name, kCommand,
                                    absl::FormatTime("%Y-%m-%d", c.now, absl::UTCTimeZone()),
                                    c.minimal);
  std::vector<std::string> found, verdicts;
  for (const trace::Expectation& e : t.header().expect()) {
    verdicts.push_back(VerdictText(e));
    if (e.verdict() != trace::Expectation::FAIL) continue;
    const char* kind = e.event_index() < static_cast<uint64_t>(t.events_size())
                           ? KindOf(t.events(static_cast<int>(e.event_index())))
                           : "?";
    found.push_back(absl::StrFormat("%s fails under rule %s at event %u (%s)", e.translator(),
                                    e.rule(), e.event_index(), kind));
  }
  absl::StrAppendFormat(&out, "Found: %s.\n",
                        found.empty() ? "nothing fails (a passing case)"
                                      : absl::StrJoin(found, "; "));
  std::vector<std::string> origin;
  if (!p.tool().empty()) origin.push_back("written by " + p.tool());
  if (p.seed() != 0) origin.push_back(absl::StrFormat("seed %u", p.seed()));
  if (!p.scenario().empty()) origin.push_back("scenario " + p.scenario());
  if (!p.source().empty()) origin.push_back("source: " + p.source());
  absl::StrAppendFormat(&out, "Origin: %s.\n",
                        origin.empty() ? "not recorded" : absl::StrJoin(origin, "; "));
  absl::StrAppendFormat(&out, "Verdicts replayed by //traces:regression_%s: %s.\n", c.name,
                        absl::StrJoin(verdicts, ", "));
  return out;
}

}  // namespace

int RunPromote(const PromoteCommand& c) {
  if (c.minimal.empty()) return Fail("no trace given");
  if (!ValidName(c.name)) {
    return Fail(absl::StrFormat(
        "--name=%s: want letters, digits, '_' or '-' (it names the file and the test)", c.name));
  }
  if (!IsDirectory(c.regressions_dir)) {
    return Fail(absl::StrFormat(
        "%s is not a directory; run from the source tree (or with bazel run)",
        c.regressions_dir));
  }
  const std::string path = absl::StrFormat("%s/%s.textproto", c.regressions_dir, c.name);
  // Either file would give the same test name.
  for (const char* suffix : {".textproto", ".trace"}) {
    const std::string existing = absl::StrFormat("%s/%s%s", c.regressions_dir, c.name, suffix);
    if (FileExists(existing)) {
      return Fail(absl::StrFormat("%s exists; refusing to overwrite a regression case "
                                  "(choose another --name)",
                                  existing));
    }
  }
  absl::StatusOr<trace::Trace> t = ReadWholeTrace(c.minimal);
  if (!t.ok()) return Fail(std::string(t.status().message()));
  if (t->header().expect_size() == 0) {
    return Fail(absl::StrFormat("%s states no expected verdicts (header.expect), which the "
                                "regression test needs; `iovacheck shrink` writes them",
                                c.minimal));
  }
  if (std::vector<std::string> bad = Mismatches(c.minimal, t->header()); !bad.empty()) {
    return Fail(absl::StrFormat("%s: its verdicts do not hold: %s", c.minimal,
                                absl::StrJoin(bad, "; ")));
  }

  // Written beside the case in a directory of its own (the regression glob
  // does not look into it), then linked into place: link() fails rather
  // than replace a case that appeared meanwhile.
  // A stop by SIGINT, SIGTERM or SIGHUP removes both (traces/temp_files.h);
  // held back until the directory is registered.
  std::string scratch = c.regressions_dir + "/.promote-XXXXXX";
  {
    const CleanupSignalsHeld held;
    if (::mkdtemp(scratch.data()) == nullptr) {
      return Fail(absl::StrFormat("cannot create a scratch directory in %s: %s",
                                  c.regressions_dir, ErrnoText(errno)));
    }
    RegisterTempFile(scratch);
  }
  const std::string temp = scratch + "/" + c.name + ".textproto";
  RegisterTempFile(temp);
  absl::Status written = WriteWholeTrace(temp, *t, Comment(c, *t));
  int link_error = 0;
  if (written.ok() && ::link(temp.c_str(), path.c_str()) != 0) link_error = errno;
  ::unlink(temp.c_str());
  ForgetTempFile(temp);
  ::rmdir(scratch.c_str());
  ForgetTempFile(scratch);
  if (!written.ok()) return Fail(std::string(written.message()));
  if (link_error == EEXIST) {
    return Fail(absl::StrFormat("%s exists; refusing to overwrite a regression case", path));
  }
  if (link_error != 0) {
    return Fail(absl::StrFormat("%s: cannot write: %s", path, ErrnoText(link_error)));
  }
  std::cout << absl::StrFormat(
      "promoted %s -> %s\n  `bazel test //traces:regression_%s` replays it (%s)\n", c.minimal,
      path, c.name, absl::StrJoin(t->header().expect(), ", ",
                                  [](std::string* out, const trace::Expectation& e) {
                                    out->append(VerdictText(e));
                                  }));
  return 0;
}

}  // namespace iovacheck
