#include "maps/xml_check.h"

#include <cctype>
#include <set>
#include <vector>

#include "absl/strings/str_format.h"

namespace iovacheck {
namespace {

class Checker {
 public:
  explicit Checker(const std::string& text) : s_(text) {}

  absl::Status Run() {
    if (s_.compare(0, 5, "<?xml") == 0) {
      const size_t end = s_.find("?>");
      if (end == std::string::npos) return Error("unterminated XML declaration");
      at_ = end + 2;
    }
    int roots = 0;
    while (at_ < s_.size()) {
      if (s_[at_] != '<') {
        if (absl::Status st = Text(); !st.ok()) return st;
        continue;
      }
      if (s_.compare(at_, 9, "<!DOCTYPE") == 0 && roots == 0) {
        // HTML's <!DOCTYPE html>; no internal subset is written.
        const size_t end = s_.find('>', at_);
        if (end == std::string::npos) return Error("unterminated DOCTYPE");
        at_ = end + 1;
      } else if (s_.compare(at_, 4, "<!--") == 0) {
        const size_t end = s_.find("-->", at_ + 4);
        if (end == std::string::npos) return Error("unterminated comment");
        at_ = end + 3;
      } else if (s_.compare(at_, 2, "</") == 0) {
        if (absl::Status st = EndTag(); !st.ok()) return st;
      } else {
        if (open_.empty()) ++roots;
        if (roots > 1) return Error("a second root element");
        if (absl::Status st = StartTag(); !st.ok()) return st;
      }
    }
    if (!open_.empty()) return Error("element <" + open_.back() + "> is never closed");
    if (roots == 0) return Error("no root element");
    return absl::OkStatus();
  }

 private:
  absl::Status Error(const std::string& what) const {
    return absl::InvalidArgumentError(absl::StrFormat("byte %u: %s", at_, what));
  }

  static bool NameStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  }
  static bool NameChar(char c) {
    return NameStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  }
  void Space() {
    while (at_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[at_]))) ++at_;
  }
  bool Name(std::string* name) {
    if (at_ >= s_.size() || !NameStart(s_[at_])) return false;
    const size_t from = at_;
    while (at_ < s_.size() && NameChar(s_[at_])) ++at_;
    *name = s_.substr(from, at_ - from);
    return true;
  }

  // "&amp;", "&#60;", "&#x3c;" and the other three named ones.
  absl::Status Reference() {
    const size_t end = s_.find(';', at_);
    if (end == std::string::npos || end - at_ > 10) return Error("'&' starts no reference");
    const std::string ref = s_.substr(at_ + 1, end - at_ - 1);
    static const std::set<std::string> kNamed = {"amp", "lt", "gt", "quot", "apos"};
    bool ok = kNamed.count(ref) != 0;
    if (!ok && ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      ok = ref.size() > (hex ? 2u : 1u);
      for (size_t i = hex ? 2 : 1; i < ref.size(); ++i) {
        ok &= hex ? std::isxdigit(static_cast<unsigned char>(ref[i])) != 0
                  : std::isdigit(static_cast<unsigned char>(ref[i])) != 0;
      }
    }
    if (!ok) return Error("unknown reference &" + ref + ";");
    at_ = end + 1;
    return absl::OkStatus();
  }

  absl::Status Char(char c) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      return Error(absl::StrFormat("control character 0x%02x", u));
    }
    return absl::OkStatus();
  }

  absl::Status Text() {
    while (at_ < s_.size() && s_[at_] != '<') {
      if (open_.empty() && !std::isspace(static_cast<unsigned char>(s_[at_]))) {
        return Error("text outside the root element");
      }
      if (s_[at_] == '&') {
        if (absl::Status st = Reference(); !st.ok()) return st;
        continue;
      }
      if (absl::Status st = Char(s_[at_]); !st.ok()) return st;
      ++at_;
    }
    return absl::OkStatus();
  }

  absl::Status StartTag() {
    ++at_;  // '<'
    std::string name;
    if (!Name(&name)) return Error("'<' starts no element name");
    std::set<std::string> attributes;
    for (;;) {
      const size_t before = at_;
      Space();
      if (at_ >= s_.size()) return Error("unterminated start tag <" + name + ">");
      if (s_.compare(at_, 2, "/>") == 0) {
        at_ += 2;
        return absl::OkStatus();
      }
      if (s_[at_] == '>') {
        ++at_;
        open_.push_back(name);
        return absl::OkStatus();
      }
      if (at_ == before) return Error("attributes of <" + name + "> need a space between");
      std::string attribute;
      if (!Name(&attribute)) return Error("a bad attribute name in <" + name + ">");
      if (!attributes.insert(attribute).second) {
        return Error("attribute " + attribute + " repeated in <" + name + ">");
      }
      Space();
      if (at_ >= s_.size() || s_[at_] != '=')
        return Error("attribute " + attribute + " has no '='");
      ++at_;
      Space();
      if (at_ >= s_.size() || (s_[at_] != '"' && s_[at_] != '\'')) {
        return Error("attribute " + attribute + " has no quoted value");
      }
      const char quote = s_[at_++];
      while (at_ < s_.size() && s_[at_] != quote) {
        if (s_[at_] == '<') return Error("'<' in the value of attribute " + attribute);
        if (s_[at_] == '&') {
          if (absl::Status st = Reference(); !st.ok()) return st;
          continue;
        }
        if (absl::Status st = Char(s_[at_]); !st.ok()) return st;
        ++at_;
      }
      if (at_ >= s_.size()) return Error("unterminated value of attribute " + attribute);
      ++at_;
    }
  }

  absl::Status EndTag() {
    at_ += 2;
    std::string name;
    if (!Name(&name)) return Error("'</' starts no element name");
    Space();
    if (at_ >= s_.size() || s_[at_] != '>') return Error("unterminated end tag </" + name + ">");
    if (open_.empty() || open_.back() != name) {
      return Error("</" + name + "> closes " +
                   (open_.empty() ? std::string("nothing") : "<" + open_.back() + ">"));
    }
    open_.pop_back();
    ++at_;
    return absl::OkStatus();
  }

  const std::string& s_;
  size_t at_ = 0;
  std::vector<std::string> open_;
};

}  // namespace

absl::Status CheckWellFormedXml(const std::string& text) { return Checker(text).Run(); }

}  // namespace iovacheck
