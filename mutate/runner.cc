#include "mutate/runner.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "mutate/mutant.h"
#include "mutate/source_files.h"

namespace iovacheck {
namespace {

namespace fs = std::filesystem;

absl::Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat(path, ": cannot be written"));
  return absl::OkStatus();
}

// The workspace, less Bazel's output links and git's objects.
absl::Status CopyWorkspace(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return absl::InternalError(absl::StrCat(to, ": ", ec.message()));
  for (const fs::directory_entry& e : fs::directory_iterator(from, ec)) {
    const std::string name = e.path().filename().string();
    if (absl::StartsWith(name, "bazel-") || name == ".git") continue;
    fs::copy(e.path(), fs::path(to) / name,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                 fs::copy_options::overwrite_existing,
             ec);
    if (ec) return absl::InternalError(absl::StrCat("copying ", e.path().string(), ": ",
                                                    ec.message()));
  }
  if (ec) return absl::InternalError(absl::StrCat(from, ": ", ec.message()));
  // The copy is ours to write, however the sources were protected.
  for (auto it = fs::recursive_directory_iterator(to, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_symlink()) continue;
    fs::permissions(it->path(), fs::perms::owner_write | fs::perms::owner_read,
                    fs::perm_options::add, ec);
  }
  if (ec) return absl::InternalError(absl::StrCat(to, ": ", ec.message()));
  return absl::OkStatus();
}

// Runs `command` with /bin/sh in `dir`, output to `log`; the exit status,
// or 128 + the signal that ended it.
int RunCommand(const std::string& command, const std::string& dir, const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return 128;
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (chdir(dir.c_str()) != 0) _exit(127);
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

// A test command ended by SIGINT, SIGTERM or SIGHUP was stopped from
// outside (a user, a scheduler's time limit), not by the mutant.
bool Interrupted(int exit_status) {
  return exit_status == 128 + SIGINT || exit_status == 128 + SIGTERM ||
         exit_status == 128 + SIGHUP;
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The string value of "key" in one of our results lines.
bool Field(const std::string& line, const std::string& key, std::string* value) {
  const std::string open = absl::StrCat("\"", key, "\":");
  size_t at = line.find(open);
  if (at == std::string::npos) return false;
  at += open.size();
  value->clear();
  if (at < line.size() && line[at] == '"') {
    for (++at; at < line.size() && line[at] != '"'; ++at) {
      if (line[at] == '\\' && at + 1 < line.size()) ++at;
      *value += line[at];
    }
    return at < line.size();
  }
  while (at < line.size() && (std::isdigit(static_cast<unsigned char>(line[at])) ||
                              line[at] == '-')) {
    *value += line[at++];
  }
  return !value->empty();
}

std::string LogName(const std::string& id) {
  std::string name;
  for (char c : id) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name + ".log";
}

}  // namespace

const char* MutantVerdictName(MutantVerdict v) {
  switch (v) {
    case MutantVerdict::kKilled: return "killed";
    case MutantVerdict::kSurvived: return "survived";
    case MutantVerdict::kStillborn: return "stillborn";
  }
  return "?";
}

absl::StatusOr<std::vector<MutantResult>> ReadMutantResults(const std::string& path) {
  std::vector<MutantResult> out;
  std::ifstream in(path);
  if (!in) {
    if (!fs::exists(path)) return out;
    return absl::PermissionDeniedError(absl::StrCat(path, ": cannot be read"));
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    MutantResult r;
    std::string verdict, status;
    if (!Field(line, "id", &r.id) || !Field(line, "verdict", &verdict) ||
        !Field(line, "exit", &status) || !absl::SimpleAtoi(status, &r.exit_status)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: not a mutant result line", path, number));
    }
    if (verdict == "killed") {
      r.verdict = MutantVerdict::kKilled;
    } else if (verdict == "survived") {
      r.verdict = MutantVerdict::kSurvived;
    } else if (verdict == "stillborn") {
      r.verdict = MutantVerdict::kStillborn;
    } else {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: unknown verdict \"%s\"", path, number, verdict));
    }
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<std::vector<MutantResult>> RunMutants(
    const MutationRunOptions& options, const std::vector<Mutant>& mutants,
    const std::function<void(const std::string&)>& progress) {
  absl::StatusOr<std::vector<MutantResult>> earlier = ReadMutantResults(options.results);
  if (!earlier.ok()) return earlier.status();
  absl::flat_hash_map<std::string, MutantResult> done;
  for (MutantResult& r : *earlier) done[r.id] = std::move(r);

  // The original text of every file a mutant edits, read once.
  std::map<std::string, std::string> originals;
  for (const Mutant& m : mutants) {
    if (originals.count(m.file)) continue;
    absl::StatusOr<std::string> text = ReadSourceFile(fs::path(options.workspace) / m.file);
    if (!text.ok()) return text.status();
    originals[m.file] = std::move(*text);
  }

  std::vector<size_t> todo;
  for (size_t i = 0; i < mutants.size(); ++i) {
    if (!done.count(mutants[i].Id())) todo.push_back(i);
  }
  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(todo.size())));
  std::vector<std::string> copies;
  std::error_code ec;
  // The command runs in a copy: the logs' paths must not depend on the
  // directory it runs in.
  const fs::path scratch = fs::absolute(options.scratch, ec);
  if (ec) return absl::InternalError(absl::StrCat(options.scratch, ": ", ec.message()));
  fs::create_directories(scratch / "logs", ec);
  if (ec) return absl::InternalError(absl::StrCat(options.scratch, ": ", ec.message()));
  for (int j = 0; j < jobs && !todo.empty(); ++j) {
    const std::string copy = (scratch / absl::StrCat("copy-", j)).string();
    if (!fs::exists(copy)) {
      if (absl::Status s = CopyWorkspace(options.workspace, copy); !s.ok()) return s;
    }
    // A run stopped in the middle of a mutant left it in its copy.
    for (const auto& [file, text] : originals) {
      if (absl::Status s = WriteText(fs::path(copy) / file, text); !s.ok()) return s;
    }
    copies.push_back(copy);
  }

  std::ofstream results(options.results, std::ios::app);
  if (!results) return absl::PermissionDeniedError(absl::StrCat(options.results, ": cannot be written"));
  std::mutex mu;  // guards results, done, progress, first_error
  absl::Status first_error;
  std::atomic<size_t> next{0};
  size_t finished = 0;
  auto work = [&](const std::string& copy) {
    for (size_t k; (k = next++) < todo.size();) {
      const Mutant& m = mutants[todo[k]];
      const std::string& original = originals.at(m.file);
      const std::string path = (fs::path(copy) / m.file).string();
      absl::Status written = WriteText(path, ApplyMutant(original, m));
      MutantResult r;
      r.id = m.Id();
      if (written.ok()) {
        r.exit_status = RunCommand(options.test_command, copy,
                                   (scratch / "logs" / LogName(r.id)).string());
        written = WriteText(path, original);
      }
      r.verdict = r.exit_status == 0                         ? MutantVerdict::kSurvived
                  : r.exit_status == options.stillborn_exit ? MutantVerdict::kStillborn
                                                            : MutantVerdict::kKilled;
      std::lock_guard<std::mutex> lock(mu);
      if (!written.ok()) {
        if (first_error.ok()) first_error = written;
        next = todo.size();  // stop: the copy can no longer be trusted
        return;
      }
      if (Interrupted(r.exit_status)) {
        if (first_error.ok()) {
          first_error = absl::CancelledError(absl::StrFormat(
              "%s: the test command was stopped by a signal (exit %d): no verdict; run "
              "again to resume",
              r.id, r.exit_status));
        }
        next = todo.size();
        return;
      }
      results << absl::StrFormat("{\"id\":\"%s\",\"verdict\":\"%s\",\"exit\":%d}\n",
                                 JsonEscape(r.id), MutantVerdictName(r.verdict), r.exit_status)
              << std::flush;
      ++finished;
      progress(absl::StrFormat("[%d/%d] %s %s", finished, todo.size(), r.id,
                               MutantVerdictName(r.verdict)));
      done[r.id] = std::move(r);
    }
  };
  std::vector<std::thread> threads;
  for (const std::string& copy : copies) threads.emplace_back(work, copy);
  for (std::thread& t : threads) t.join();
  if (!first_error.ok()) return first_error;
  if (!results) return absl::InternalError(absl::StrCat(options.results, ": write failed"));

  std::vector<MutantResult> out;
  for (const Mutant& m : mutants) out.push_back(done.at(m.Id()));
  return out;
}

}  // namespace iovacheck
