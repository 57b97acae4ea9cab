#include "traces/output_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace iovacheck {
namespace {

std::string Scratch(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OutputFile, NewFileGetsTheUmasksModeAndReadsBack) {
  const std::string path = Scratch("new.svg");
  const mode_t old = umask(027);
  ASSERT_TRUE(WriteOutputFile(path, "<svg/>\n").ok());
  umask(old);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(Slurp(path), "<svg/>\n");
}

TEST(OutputFile, ReplacedFileKeepsItsModeAndALinkStaysALink) {
  const std::string target = Scratch("target.html");
  const std::string link = Scratch("link.html");
  ASSERT_TRUE(WriteOutputFile(target, "old").ok());
  ASSERT_EQ(chmod(target.c_str(), 0604), 0);
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteOutputFile(link, "new").ok());
  struct stat st;
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0604u);
  EXPECT_EQ(Slurp(target), "new");
}

TEST(OutputFile, DeviceIsWrittenThroughNotReplaced) {
  ASSERT_TRUE(WriteOutputFile("/dev/null", "anything").ok());
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFile, ErrorsNameThePathAndWhatIsWrong) {
  absl::Status dir = WriteOutputFile(Scratch(""), "x");
  EXPECT_FALSE(dir.ok());
  EXPECT_NE(dir.message().find("is a directory"), std::string::npos) << dir;
  const std::string missing = Scratch("no-such-dir/map.svg");
  absl::Status s = WriteOutputFile(missing, "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
  EXPECT_NE(s.message().find(missing), std::string::npos) << s;
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s;
}

}  // namespace
}  // namespace iovacheck
