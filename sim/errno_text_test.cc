// Errno texts in the messages people read: two in one line must each say
// their own number, including numbers glibc does not know (a trace may
// carry any, e.g. an injected fault's `error: -1`), for which
// std::strerror() formats into a buffer its next call frees.
#include <gtest/gtest.h>

#include <cerrno>

#include "absl/strings/match.h"
#include "model/errno_text.h"
#include "sim/harness.h"

namespace iovacheck {
namespace {

TEST(ErrnoText, NamesKnownAndUnknownErrors) {
  EXPECT_EQ(ErrnoText(EEXIST), "File exists");
  EXPECT_EQ(ErrnoText(-1), "Unknown error -1");
  EXPECT_EQ(ErrnoText(100000), "Unknown error 100000");
}

TEST(ErrnoText, TwoUnknownErrorsInOneLogLineStayApart) {
  StepRecord r;
  r.event = HostMapEvent{};
  SentMessage m;
  m.result.err = -1;
  m.result.handler_err = -2;
  r.sent.push_back(m);
  const std::string log = FormatLog({r});
  EXPECT_TRUE(absl::StrContains(log, "Unknown error -1 (handler Unknown error -2)")) << log;
}

}  // namespace
}  // namespace iovacheck
