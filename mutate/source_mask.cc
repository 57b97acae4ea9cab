#include "mutate/source_mask.h"

#include <cctype>
#include <string>

namespace iovacheck {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether the line holding `i` has only blanks before it.
bool FirstOnLine(absl::string_view text, size_t i) {
  for (size_t j = i; j > 0; --j) {
    const char c = text[j - 1];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

std::vector<bool> CodeMask(absl::string_view text) {
  std::vector<bool> code(text.size(), true);
  size_t i = 0;
  auto mark_until = [&](size_t end) {  // [i, end) is not code
    for (size_t j = i; j < end && j < text.size(); ++j) code[j] = false;
    i = end;
  };
  while (i < text.size()) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == '#' && FirstOnLine(text, i)) {
      // A directive runs to an end of line not escaped by a backslash.
      size_t end = i;
      while (end < text.size() && !(text[end] == '\n' && text[end - 1] != '\\')) ++end;
      mark_until(end);
    } else if (c == '/' && next == '/') {
      const size_t end = text.find('\n', i);
      mark_until(end == absl::string_view::npos ? text.size() : end);
    } else if (c == '/' && next == '*') {
      const size_t end = text.find("*/", i + 2);
      mark_until(end == absl::string_view::npos ? text.size() : end + 2);
    } else if (c == 'R' && next == '"' && (i == 0 || !IsWordChar(text[i - 1]))) {
      // R"delim( ... )delim"
      const size_t open = text.find('(', i + 2);
      if (open == absl::string_view::npos) {
        mark_until(text.size());
        continue;
      }
      const std::string close =
          ")" + std::string(text.substr(i + 2, open - (i + 2))) + "\"";
      const size_t end = text.find(close, open + 1);
      mark_until(end == absl::string_view::npos ? text.size() : end + close.size());
    } else if (c == '"' || (c == '\'' && (i == 0 || !IsWordChar(text[i - 1])))) {
      // A quote after a word character is a digit separator (0x1'000).
      size_t end = i + 1;
      while (end < text.size() && text[end] != c && text[end] != '\n') {
        end += text[end] == '\\' ? 2 : 1;
      }
      mark_until(end < text.size() ? end + 1 : text.size());
    } else {
      ++i;
    }
  }
  return code;
}

}  // namespace iovacheck
