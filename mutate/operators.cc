#include "mutate/operators.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "mutate/source_mask.h"

namespace iovacheck {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Words that start a statement which is not a call or an assignment, or
// that name a type (a declaration).
const absl::flat_hash_set<absl::string_view>& NonStatementWords() {
  static const auto* words = new absl::flat_hash_set<absl::string_view>{
      "return", "break",    "continue", "goto",      "const",         "constexpr", "static",
      "auto",   "using",    "typedef",  "namespace", "class",         "struct",    "enum",
      "union",  "template", "friend",   "virtual",   "explicit",      "inline",    "extern",
      "case",   "default",  "delete",   "new",       "throw",         "else",      "do",
      "for",    "while",    "if",       "switch",    "try",           "catch",     "public",
      "private", "protected", "operator", "unsigned", "signed",       "void",      "bool",
      "char",   "int",      "long",     "short",     "float",         "double",    "static_assert",
  };
  return *words;
}

// The names that precede a '(' which does not start an argument list to
// reorder.
const absl::flat_hash_set<absl::string_view>& NotCalls() {
  static const auto* words = new absl::flat_hash_set<absl::string_view>{
      "if", "while", "for", "switch", "return", "sizeof", "alignof", "decltype",
      "static_cast", "reinterpret_cast", "const_cast", "dynamic_cast", "catch",
      // Messages only: a swap there changes what a failure says, not what
      // the translator does.
      "StrFormat", "StrCat", "StrAppend", "Substitute",
  };
  return *words;
}

// The last word of an address or size expression: `last`, `e.len`,
// `hva_first`, `iova_`.
bool IsAddressWord(absl::string_view word) {
  while (!word.empty() && word.back() == '_') word.remove_suffix(1);
  const size_t underscore = word.rfind('_');
  if (underscore != absl::string_view::npos) word = word.substr(underscore + 1);
  static const auto* words = new absl::flat_hash_set<absl::string_view>{
      "start", "last", "len", "length", "size", "end", "iova", "hva", "gpa", "first",
      "offset", "addr"};
  return words->contains(word);
}

bool IsPageWord(absl::string_view word) {
  return word == "page_size" || word == "page_size_" || word == "page" || word == "page_";
}

class Finder {
 public:
  Finder(const std::string& file, const std::string& text)
      : file_(file), text_(text), code_(CodeMask(text)) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::vector<Mutant> Find() {
    Comparisons();
    LiteralOffByOne();
    Conditions();
    Returns();
    Statements();
    Arguments();
    PageSizes();
    std::sort(out_.begin(), out_.end(), [](const Mutant& a, const Mutant& b) {
      return std::tie(a.offset, a.op, a.length, a.replacement) <
             std::tie(b.offset, b.op, b.length, b.replacement);
    });
    out_.erase(std::unique(out_.begin(), out_.end(),
                           [](const Mutant& a, const Mutant& b) {
                             return a.offset == b.offset && a.length == b.length &&
                                    a.replacement == b.replacement;
                           }),
               out_.end());
    return std::move(out_);
  }

 private:
  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }
  bool Code(size_t i) const { return i < code_.size() && code_[i]; }

  void Add(const char* op, size_t offset, size_t length, std::string replacement) {
    Mutant m;
    m.file = file_;
    m.op = op;
    m.offset = offset;
    m.length = length;
    m.replacement = std::move(replacement);
    m.line = static_cast<int>(
        std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) -
        line_starts_.begin());
    out_.push_back(std::move(m));
  }

  // a < b, a <= b, a > b, a >= b, a == b, a != b: operators written between
  // spaces, which template brackets, shifts and arrows never are.
  void Comparisons() {
    for (size_t i = 1; i + 2 < text_.size(); ++i) {
      if (!Code(i) || At(i - 1) != ' ') continue;
      const char c = At(i);
      if ((c == '<' || c == '>') && At(i + 1) == ' ') {
        Add("relational", i, 1, std::string(1, c) + "=");
      } else if ((c == '<' || c == '>') && At(i + 1) == '=' && At(i + 2) == ' ') {
        Add("relational", i, 2, std::string(1, c));
      } else if ((c == '=' || c == '!') && At(i + 1) == '=' && At(i + 2) == ' ') {
        Add("equality", i, 2, c == '=' ? "!=" : "==");
      }
    }
  }

  // x + 1 and x - 1 lose their 1 (an inclusive last becomes an end, a
  // length loses its rounding).
  void LiteralOffByOne() {
    for (size_t i = 0; i + 4 <= text_.size(); ++i) {
      if (!Code(i) || At(i) != ' ' || (At(i + 1) != '+' && At(i + 1) != '-') ||
          At(i + 2) != ' ' || At(i + 3) != '1') {
        continue;
      }
      const char after = At(i + 4);
      if (IsWordChar(after) || after == '.' || after == '\'') continue;
      Add("off_by_one", i, 4, "");
    }
  }

  // The matching ')' of the '(' at `open`, counting code only; npos if none.
  size_t MatchingParen(size_t open) const {
    int depth = 0;
    for (size_t i = open; i < text_.size(); ++i) {
      if (!Code(i)) continue;
      if (text_[i] == '(') ++depth;
      if (text_[i] == ')' && --depth == 0) return i;
    }
    return absl::string_view::npos;
  }

  // The whole word starting at i, if i starts one.
  absl::string_view WordAt(size_t i) const {
    if (!Code(i) || !IsWordChar(At(i)) || (i > 0 && IsWordChar(At(i - 1)))) return {};
    size_t end = i;
    while (end < text_.size() && IsWordChar(text_[end])) ++end;
    return absl::string_view(text_).substr(i, end - i);
  }

  // if (c) and while (c) become if (!(c)); their conditions' addresses and
  // sizes become one more and one less.
  void Conditions() {
    for (size_t i = 0; i < text_.size(); ++i) {
      const absl::string_view word = WordAt(i);
      if (word != "if" && word != "while") continue;
      size_t open = i + word.size();
      while (IsSpace(At(open))) ++open;
      if (At(open) != '(') continue;
      const size_t close = MatchingParen(open);
      if (close == absl::string_view::npos) continue;
      const absl::string_view cond = absl::string_view(text_).substr(open + 1, close - open - 1);
      // An init-statement or a declaration in the condition cannot be negated.
      if (!HasTopLevelSemicolonOrAssignment(open + 1, close)) {
        Add("negated_condition", open, close - open + 1, absl::StrCat("(!(", cond, "))"));
      }
      AddressesIn(open + 1, close);
    }
  }

  bool HasTopLevelSemicolonOrAssignment(size_t begin, size_t end) const {
    int depth = 0;
    for (size_t i = begin; i < end; ++i) {
      if (!Code(i)) continue;
      const char c = text_[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      if (depth != 0) continue;
      if (c == ';') return true;
      if (c == '=' && At(i + 1) != '=' && At(i - 1) != '=' && At(i - 1) != '!' &&
          At(i - 1) != '<' && At(i - 1) != '>') {
        return true;
      }
    }
    return false;
  }

  void Returns() {
    for (size_t i = 0; i < text_.size(); ++i) {
      if (WordAt(i) != "return") continue;
      size_t end = i;
      while (end < text_.size() && !(Code(end) && text_[end] == ';')) ++end;
      AddressesIn(i + 6, end);
    }
  }

  // Each address or size expression in [begin, end) (a name, or members
  // reached through . and ->, whose last word is an address word) becomes
  // (x + 1) and (x - 1).
  void AddressesIn(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (WordAt(i).empty() || std::isdigit(static_cast<unsigned char>(At(i)))) continue;
      // Only the start of a member chain.
      if (i > 0 && (At(i - 1) == '.' || (At(i - 1) == '>' && At(i - 2) == '-') ||
                    At(i - 1) == ':' || At(i - 1) == '&')) {
        continue;
      }
      size_t last_word = i;
      size_t j = i;
      for (;;) {
        while (j < end && IsWordChar(At(j))) ++j;
        if (At(j) == '.' && IsWordChar(At(j + 1))) {
          last_word = ++j;
        } else if (At(j) == '-' && At(j + 1) == '>' && IsWordChar(At(j + 2))) {
          j += 2;
          last_word = j;
        } else {
          break;
        }
      }
      size_t after = j;
      while (after < end && IsSpace(At(after))) ++after;
      const char next = At(after);
      const bool assigned = next == '=' && At(after + 1) != '=';
      const absl::string_view last =
          absl::string_view(text_).substr(last_word, j - last_word);
      if (j <= end && next != '(' && next != '[' && next != '{' && next != '<' && !assigned &&
          IsAddressWord(last)) {
        const absl::string_view expr = absl::string_view(text_).substr(i, j - i);
        Add("off_by_one", i, j - i, absl::StrCat("(", expr, " + 1)"));
        Add("off_by_one", i, j - i, absl::StrCat("(", expr, " - 1)"));
      }
      i = j;
    }
  }

  // The last code character before i that is not blank, or npos.
  size_t PreviousCode(size_t i) const {
    while (i > 0) {
      --i;
      if (Code(i) && !IsSpace(text_[i])) return i;
    }
    return absl::string_view::npos;
  }

  // A statement on a line of its own that calls or assigns: the bug of a
  // forgotten call, a missing update.
  void Statements() {
    for (size_t l = 0; l < line_starts_.size(); ++l) {
      const size_t line_begin = line_starts_[l];
      const size_t line_end =
          l + 1 < line_starts_.size() ? line_starts_[l + 1] - 1 : text_.size();
      size_t begin = line_begin;
      while (begin < line_end && IsSpace(At(begin))) ++begin;
      if (begin >= line_end || !Code(begin)) continue;
      size_t last = line_end;
      while (last > begin && (!Code(last - 1) || IsSpace(At(last - 1)))) --last;
      if (last == begin || At(last - 1) != ';') continue;
      if (!LooksLikeStatement(begin, last - 1)) continue;
      const size_t before = PreviousCode(begin);
      if (before != absl::string_view::npos && absl::string_view(";{}):").find(At(before)) ==
                                                   absl::string_view::npos) {
        continue;  // the rest of a statement begun above
      }
      Add("dropped_statement", begin, last - begin, "{}");
    }
  }

  // [begin, semicolon]: balanced, and a call, an assignment or an
  // increment rather than a declaration or a jump.
  bool LooksLikeStatement(size_t begin, size_t semicolon) const {
    int depth = 0;
    for (size_t i = begin; i < semicolon; ++i) {
      if (!Code(i)) continue;
      if (text_[i] == '(') ++depth;
      if (text_[i] == ')' && --depth < 0) return false;
    }
    if (depth != 0) return false;
    const char first = At(begin);
    if (first == '*' || ((first == '+' || first == '-') && At(begin + 1) == first)) return true;
    if (!IsWordChar(first) || std::isdigit(static_cast<unsigned char>(first))) return false;
    size_t i = begin;
    while (IsWordChar(At(i)) || (At(i) == ':' && At(i + 1) == ':') ||
           (At(i) == ':' && At(i - 1) == ':')) {
      ++i;
    }
    if (NonStatementWords().contains(absl::string_view(text_).substr(begin, i - begin))) {
      return false;
    }
    // Template arguments of a type: std::vector<T> v;
    if (At(i) == '<') {
      int angle = 0;
      for (; i < semicolon; ++i) {
        if (At(i) == '<') ++angle;
        if (At(i) == '>' && --angle == 0) break;
      }
      ++i;
    }
    while (At(i) == '*' || At(i) == '&') ++i;
    // "Type name": a declaration.
    if (IsSpace(At(i))) {
      size_t j = i;
      while (IsSpace(At(j))) ++j;
      while (At(j) == '*' || At(j) == '&') ++j;
      if (IsWordChar(At(j))) return false;
    }
    return true;
  }

  // f(a, b) -> f(b, a) for each neighbouring pair of arguments, when the
  // call sits on one line.
  void Arguments() {
    for (size_t open = 1; open < text_.size(); ++open) {
      if (!Code(open) || text_[open] != '(' || !IsWordChar(At(open - 1))) continue;
      size_t name = open;
      while (name > 0 && IsWordChar(At(name - 1))) --name;
      if (NotCalls().contains(absl::string_view(text_).substr(name, open - name))) continue;
      const size_t close = MatchingParen(open);
      if (close == absl::string_view::npos ||
          text_.find('\n', open) < close) {
        continue;
      }
      // The arguments, split at the commas of this call.
      std::vector<std::pair<size_t, size_t>> args;  // [begin, end)
      int depth = 0;
      size_t arg_begin = open + 1;
      for (size_t i = open + 1; i <= close; ++i) {
        if (!Code(i)) continue;
        const char c = text_[i];
        if (c == '(' || c == '[' || c == '{') ++depth;
        if (c == ')' || c == ']' || c == '}') --depth;
        if ((c == ',' && depth == 0) || i == close) {
          args.push_back({arg_begin, i});
          arg_begin = i + 1;
        }
      }
      if (args.size() < 2) continue;
      std::vector<absl::string_view> texts;
      bool plain = true;
      for (const auto& [b, e] : args) {
        absl::string_view t = absl::string_view(text_).substr(b, e - b);
        while (!t.empty() && IsSpace(t.front())) t.remove_prefix(1);
        while (!t.empty() && IsSpace(t.back())) t.remove_suffix(1);
        plain = plain && !t.empty() && !IsDeclaration(t) && t.find('<') == t.npos;
        texts.push_back(t);
      }
      if (!plain) continue;
      for (size_t k = 0; k + 1 < texts.size(); ++k) {
        if (texts[k] == texts[k + 1]) continue;
        std::vector<absl::string_view> swapped = texts;
        std::swap(swapped[k], swapped[k + 1]);
        Add("swapped_arguments", open + 1, close - open - 1, absl::StrJoin(swapped, ", "));
      }
    }
  }

  // "uint64_t len", "const Foo& x": a parameter, not an argument.
  static bool IsDeclaration(absl::string_view t) {
    size_t i = 0;
    while (i < t.size() && (IsWordChar(t[i]) || t[i] == ':' || t[i] == '*' || t[i] == '&')) ++i;
    if (i == t.size() || t[i] != ' ') return false;
    while (i < t.size() && t[i] == ' ') ++i;
    while (i < t.size() && (t[i] == '*' || t[i] == '&')) ++i;
    return i < t.size() && IsWordChar(t[i]) && t.find_first_of("+-/%|^!?=()<>", i) == t.npos;
  }

  // A read of the page size becomes a fixed 4 KiB or 64 KiB: the bug of a
  // host page size taken for the guest's, or a hard-coded 4096.
  void PageSizes() {
    for (size_t i = 0; i < text_.size(); ++i) {
      const absl::string_view word = WordAt(i);
      if (!IsPageWord(word)) continue;
      const size_t end = i + word.size();
      size_t begin = i;
      // Through the objects it is a member of: config.page_size, a->page.
      while (begin > 0) {
        if (At(begin - 1) == '.' && begin >= 2 && IsWordChar(At(begin - 2))) {
          begin -= 1;
        } else if (At(begin - 1) == '>' && At(begin - 2) == '-' && begin >= 3 &&
                   IsWordChar(At(begin - 3))) {
          begin -= 2;
        } else {
          break;
        }
        while (begin > 0 && IsWordChar(At(begin - 1))) --begin;
      }
      size_t after = end;
      while (IsSpace(At(after))) ++after;
      const char next = At(after);
      if (next == '(' || next == '[' || next == '{' || (next == '=' && At(after + 1) != '=')) {
        continue;  // a call, an initialiser, an assignment or a declaration
      }
      const size_t prev = PreviousCode(begin);
      if (prev != absl::string_view::npos &&
          (IsWordChar(At(prev)) ||
           ((At(prev) == '*' || At(prev) == '&') && prev > 0 && IsWordChar(At(prev - 1))))) {
        continue;  // "uint64_t page": a declaration
      }
      for (const char* size : {"uint64_t{0x1000}", "uint64_t{0x10000}"}) {
        Add("page_size", begin, end - begin, size);
      }
      i = end;
    }
  }

  const std::string& file_;
  const std::string& text_;
  const std::vector<bool> code_;
  std::vector<size_t> line_starts_;
  std::vector<Mutant> out_;
};

}  // namespace

const std::vector<std::string>& OperatorNames() {
  static const auto* names = new std::vector<std::string>{
      "relational", "equality", "negated_condition", "off_by_one",
      "dropped_statement", "swapped_arguments", "page_size"};
  return *names;
}

std::vector<Mutant> FindMutants(const std::string& file, const std::string& text) {
  return Finder(file, text).Find();
}

}  // namespace iovacheck
