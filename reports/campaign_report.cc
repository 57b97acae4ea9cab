#include "reports/campaign_report.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "coverage/coverage.h"
#include "maps/svg_render.h"
#include "traces/output_file.h"

namespace iovacheck {
namespace {

namespace fs = std::filesystem;

std::string H(const std::string& text) { return XmlEscape(text); }

// `path` as the page in `dir` reaches it.
std::string Relative(const std::string& path, const std::string& dir) {
  std::error_code ec;
  const fs::path rel = fs::relative(fs::absolute(path, ec), fs::absolute(dir, ec), ec);
  return ec || rel.empty() ? path : rel.generic_string();
}

std::string Link(const std::string& path, const std::string& dir) {
  return absl::StrFormat("<a href=\"%s\">%s</a>", H(Relative(path, dir)), H(path));
}

// A map written beside a minimal trace, inline: the page stands alone.
std::string InlineSvg(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream s;
  s << in.rdbuf();
  std::string svg = s.str();
  if (absl::StartsWith(svg, "<?xml")) svg = svg.substr(svg.find("?>") + 2);
  return std::string(absl::StripLeadingAsciiWhitespace(svg));
}

std::string CountsTable(const char* title, const absl::btree_map<std::string, uint64_t>& counts,
                        const std::vector<std::string>& also_zero) {
  absl::btree_map<std::string, uint64_t> all = counts;
  for (const std::string& name : also_zero) all.try_emplace(name, 0);
  std::string out =
      absl::StrFormat("<table class=\"counts\"><tr><th>%s</th><th>count</th></tr>", H(title));
  for (const auto& [name, n] : all) {
    absl::StrAppendFormat(&out, "<tr%s><td>%s</td><td>%u</td></tr>",
                          n == 0 ? " class=\"never\"" : "", H(name), n);
  }
  return out + "</table>\n";
}

std::string Verdict(const CampaignSummary& s) { return s.failing == 0 ? "PASS" : "FAIL"; }

std::string ScenarioId(const std::string& scenario) { return "scenario-" + scenario; }

std::string ReproduceCommands(const CampaignOptions& o, const FailureArtifacts& a) {
  std::string out =
      absl::StrFormat("iovacheck simulate --scenario=%s --seed=%u --steps=%u --translator=%s%s%s\n",
                      o.scenario, a.seed, o.steps, o.translator, o.faults ? "" : " --faults=false",
                      o.device == "emulated" ? "" : " --device=" + o.device);
  if (!a.minimal_path.empty()) {
    absl::StrAppendFormat(&out, "iovacheck replay %s --translator=%s\n", a.minimal_path,
                          o.translator);
    absl::StrAppendFormat(&out, "iovacheck map %s -o MAP.svg\n", a.minimal_path);
  }
  return out;
}

std::string Failure(const ScenarioRun& run, const FailureArtifacts& a, const std::string& dir) {
  std::string out =
      absl::StrFormat("<div class=\"failure\" id=\"%s-seed%u\"><h3>seed %u</h3>\n<pre>%s</pre>\n",
                      ScenarioId(run.options.scenario), a.seed, a.seed, H(a.report));
  absl::StrAppendFormat(&out, "<p>trace: %s</p>\n", Link(a.trace_path, dir));
  if (a.minimal_path.empty()) {
    absl::StrAppendFormat(&out, "<p>not shrunk: %s</p>\n", H(a.not_shrunk));
  } else {
    absl::StrAppendFormat(
        &out, "<p>minimal trace: %s &#8212; %s at event %u; %u &#8594; %u events%s</p>\n",
        Link(a.minimal_path, dir), H(a.identity), a.failing_index, a.original_events,
        a.minimal_events.size(), a.one_minimal ? ", 1-minimal" : " (shrink budget spent)");
    absl::StrAppendFormat(&out, "<pre class=\"events\">%s</pre>\n",
                          H(absl::StrJoin(a.minimal_events, "\n")));
  }
  absl::StrAppendFormat(&out, "<p>reproduce:</p><pre class=\"cmd\">%s</pre>\n",
                        H(ReproduceCommands(run.options, a)));
  if (!a.map_path.empty()) {
    absl::StrAppendFormat(&out, "<p>map: %s</p>\n<div class=\"map\">%s</div>\n",
                          Link(a.map_path, dir), InlineSvg(a.map_path));
  } else if (!a.minimal_path.empty()) {
    absl::StrAppendFormat(&out, "<p>map: not written: %s</p>\n", H(a.map_error));
  }
  return out + "</div>\n";
}

std::string Scenario(const ScenarioRun& run, const std::string& dir) {
  const CampaignOptions& o = run.options;
  const CampaignSummary& s = run.summary;
  std::string out =
      absl::StrFormat("<h2 id=\"%s\">%s: <span class=\"%s\">%s</span></h2>\n<p>%s</p>\n",
                      ScenarioId(o.scenario), H(o.scenario), Verdict(s) == "PASS" ? "pass" : "fail",
                      Verdict(s), H(FormatCampaignSummary(o, s)));
  if (o.coverage) {
    const Coverage& c = s.coverage;
    std::vector<std::string> never;
    for (const std::string& name : KnownSituations()) {
      auto it = c.situations.find(name);
      if (it == c.situations.end() || it->second == 0) never.push_back(name);
    }
    absl::StrAppendFormat(&out, "<h3>coverage</h3>\n<p>%s</p>\n",
                          never.empty() ? std::string("every known situation was reached")
                                        : H("never reached: " + absl::StrJoin(never, ", ")));
    out += "<div class=\"tables\">";
    out += CountsTable("situation", c.situations, KnownSituations());
    out += CountsTable("event kind", c.event_kinds, {});
    out += CountsTable("oracle rule", c.rules, {});
    out += CountsTable("fault site", c.fault_sites, {});
    out += "</div>\n";
  }
  if (s.failing > 0) {
    absl::StrAppendFormat(&out, "<h3>failures</h3>\n<p>%u failing seed%s; %u shrunk below.</p>\n",
                          s.failing, s.failing == 1 ? "" : "s", run.shrunk.size());
    for (size_t i = 0; i < run.shrunk.size(); ++i) {
      if (run.shrunk[i].ok()) {
        out += Failure(run, *run.shrunk[i], dir);
      } else {
        absl::StrAppendFormat(&out, "<div class=\"failure\"><pre>%s\nno trace: %s</pre></div>\n",
                              H(s.failures[i].result.report),
                              H(std::string(run.shrunk[i].status().message())));
      }
    }
  }
  return out;
}

constexpr char kStyle[] =
    "body{font-family:sans-serif;margin:2em;max-width:1100px}"
    "table{border-collapse:collapse;margin:0.5em 1em 0.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
    ".tables{display:flex;flex-wrap:wrap;align-items:flex-start}"
    ".never td{color:#c0392b}.pass{color:#2e7d32}.fail{color:#c0392b}"
    "pre{background:#f6f6f6;padding:6px;overflow-x:auto}"
    ".failure{border-top:1px solid #ddd;margin-top:1em}.map svg{max-width:100%;height:auto}";

}  // namespace

std::string RenderCampaignReport(const std::vector<ScenarioRun>& runs, const std::string& dir) {
  std::string body;
  bool all_pass = true;
  std::string rows;
  for (const ScenarioRun& run : runs) {
    const CampaignSummary& s = run.summary;
    all_pass = all_pass && s.failing == 0;
    absl::StrAppendFormat(
        &rows,
        "<tr><td><a href=\"#%s\">%s</a></td><td>%u</td><td>%u</td><td>%u</td><td>%u</td>"
        "<td class=\"%s\">%s</td></tr>\n",
        ScenarioId(run.options.scenario), H(run.options.scenario), s.seeds_run,
        s.failing - s.errors(), s.errors(), s.events, s.failing == 0 ? "pass" : "fail", Verdict(s));
    body += Scenario(run, dir);
  }
  const CampaignOptions* first = runs.empty() ? nullptr : &runs.front().options;
  std::string head =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
      "<title>iovacheck campaign report</title><style>" +
      std::string(kStyle) + "</style></head><body>\n";
  absl::StrAppendFormat(&head, "<h1>iovacheck campaign: <span class=\"%s\">%s</span></h1>\n",
                        all_pass ? "pass" : "fail", all_pass ? "PASS" : "FAIL");
  if (first != nullptr) {
    absl::StrAppendFormat(&head,
                          "<p>translator <code>%s</code>, device <code>%s</code>, seeds %u..%u, "
                          "%u steps each, faults %s.</p>\n",
                          H(first->translator), H(first->device), first->seeds.first,
                          first->seeds.last, first->steps, first->faults ? "on" : "off");
  }
  head +=
      "<table><tr><th>scenario</th><th>seeds</th><th>failed</th><th>errors</th>"
      "<th>events</th><th>verdict</th></tr>\n" +
      rows + "</table>\n";
  return head + body + "</body></html>\n";
}

absl::StatusOr<std::string> WriteCampaignReport(const std::vector<ScenarioRun>& runs,
                                                const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrFormat("cannot make directory %s: %s", dir, ec.message()));
  }
  const std::string path = (fs::path(dir) / "index.html").string();
  if (absl::Status s = WriteOutputFile(path, RenderCampaignReport(runs, dir)); !s.ok()) return s;
  return path;
}

}  // namespace iovacheck
