#include "tools/extract/extract.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <set>

namespace iovacheck::extract {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Identifiers that take a parenthesised argument but never name a function.
bool IsAttributeWord(const std::string& s) {
  static const std::set<std::string> kWords = {
      "__attribute__", "__attribute", "__declspec", "_Alignas",
      "alignas",       "__typeof__",  "__typeof",   "typeof"};
  return kWords.count(s) > 0;
}

class Scanner {
 public:
  explicit Scanner(const std::string& text) : text_(text) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  int LineOf(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<int>(it - line_starts_.begin());
  }

  bool Run(std::vector<Item>* items, std::string* error) {
    const std::string& t = text_;
    const size_t n = t.size();
    size_t i = 0;
    bool at_line_start = true;
    while (i < n) {
      const char c = t[i];
      const char next = i + 1 < n ? t[i + 1] : '\0';
      if (c == '\n') {
        at_line_start = true;
        ++i;
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (c == '/' && next == '*') {
        size_t end = t.find("*/", i + 2);
        if (end == std::string::npos) {
          return Fail(error, i, "unterminated comment");
        }
        i = end + 2;
        continue;
      }
      if (c == '/' && next == '/') {
        while (i < n && t[i] != '\n') ++i;
        continue;
      }
      if (c == '#' && at_line_start) {
        const size_t directive = i;
        if (!SkipDirective(&i, error)) return false;
        // `#define NAME ...` is nameable as "#define NAME" (a constant or a
        // helper macro a cut function uses), continuation lines included.
        if (brace_ == 0 && !in_item_ && IsDirective(directive, "define")) {
          EmitMacro(items, directive, i);
        }
        // Only the first branch of a conditional is scanned: #else and #elif
        // branches often repeat an opening brace or a definition.
        if (IsDirective(directive, "else") || IsDirective(directive, "elif")) {
          SkipToEndif(&i);
        }
        continue;
      }
      at_line_start = false;

      if (!in_item_) StartItem(i);

      if (c == '"' || c == '\'') {
        if (!SkipLiteral(&i, error)) return false;
        last_sig_ = c;
        prev_was_ident_ = false;
        continue;
      }
      if (IsIdentStart(c)) {
        size_t b = i;
        while (i < n && IsIdentChar(t[i])) ++i;
        // A literal prefix (L"", u8'') belongs to the literal that follows.
        if (i < n && (t[i] == '"' || t[i] == '\'')) continue;
        OnIdent(t.substr(b, i - b));
        last_sig_ = 'a';
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c))) {
        while (i < n && (IsIdentChar(t[i]) || t[i] == '.' ||
                         ((t[i] == '+' || t[i] == '-') &&
                          std::strchr("eEpP", t[i - 1]) != nullptr))) {
          ++i;
        }
        last_sig_ = '0';
        prev_was_ident_ = false;
        continue;
      }
      if (!OnPunct(c, i, items, error)) return false;
      last_sig_ = c;
      ++i;
    }
    if (brace_ != 0 || in_item_) {
      if (brace_ != 0) {
        return Fail(error, item_begin_, "unbalanced braces: the item starting here never ends");
      }
      // Trailing tokens without a terminating ';' (a macro call at the end of
      // the file): nothing nameable, ignore.
    }
    return true;
  }

 private:
  bool Fail(std::string* error, size_t at, const std::string& what) {
    *error = "line " + std::to_string(LineOf(at)) + ": " + what;
    return false;
  }

  bool SkipDirective(size_t* pi, std::string* error) {
    const std::string& t = text_;
    size_t i = *pi;
    while (i < t.size()) {
      if (t[i] == '\\' && i + 1 < t.size() && t[i + 1] == '\n') {
        i += 2;
        continue;
      }
      if (t[i] == '/' && i + 1 < t.size() && t[i + 1] == '*') {
        size_t end = t.find("*/", i + 2);
        if (end == std::string::npos) {
          return Fail(error, i, "unterminated comment");
        }
        i = end + 2;
        continue;
      }
      if (t[i] == '\n') break;
      ++i;
    }
    *pi = i;
    return true;
  }

  // Whether the directive starting at `at` (a '#') is `#word`.
  bool IsDirective(size_t at, const char* word) const {
    const std::string& t = text_;
    size_t i = at + 1;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    const size_t len = std::strlen(word);
    return t.compare(i, len, word) == 0 &&
           (i + len >= t.size() || !IsIdentChar(t[i + len]));
  }

  // From the end of an #else/#elif line to the end of its matching #endif
  // line, line by line, counting nested conditionals.
  void SkipToEndif(size_t* pi) const {
    const std::string& t = text_;
    size_t i = *pi;
    int depth = 0;
    while (i < t.size()) {
      size_t eol = t.find('\n', i);
      if (eol == std::string::npos) eol = t.size();
      size_t k = i;
      while (k < eol && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n')) ++k;
      if (k < eol && t[k] == '#') {
        if (IsDirective(k, "if") || IsDirective(k, "ifdef") ||
            IsDirective(k, "ifndef")) {
          ++depth;
        } else if (IsDirective(k, "endif")) {
          if (depth == 0) {
            *pi = eol;
            return;
          }
          --depth;
        }
      }
      i = eol + 1;
    }
    *pi = t.size();
  }

  bool SkipLiteral(size_t* pi, std::string* error) {
    const std::string& t = text_;
    const char quote = t[*pi];
    size_t i = *pi + 1;
    while (i < t.size()) {
      if (t[i] == '\\') {
        i += 2;
        continue;
      }
      if (t[i] == quote) {
        *pi = i + 1;
        return true;
      }
      if (t[i] == '\n') break;
      ++i;
    }
    return Fail(error, *pi,
                quote == '"' ? "unterminated string literal"
                             : "unterminated character literal");
  }

  void StartItem(size_t i) {
    in_item_ = true;
    item_begin_ = i;
    paren_ = bracket_ = 0;
    is_function_ = false;
    saw_eq_ = false;
    is_typedef_ = false;
    tag_pending_ = false;
    tag_defined_ = false;
    idents_ = 0;
    func_name_.clear();
    eq_name_.clear();
    last_ident_.clear();
    last_ident0_.clear();
    fp_name_.clear();
    tag_name_.clear();
    tag_kw_.clear();
    prev_was_ident_ = false;
    last_sig_ = '\0';
  }

  void OnIdent(const std::string& id) {
    prev_was_ident_ = true;
    last_ident_ = id;
    if (brace_ != 0) return;
    ++idents_;
    if (idents_ == 1 && id == "typedef") is_typedef_ = true;
    if (paren_ == 0 && bracket_ == 0) last_ident0_ = id;
    // The name in `(*name)` of a function pointer declarator.
    if (paren_ == 1 && last_sig_ == '*' && fp_name_.empty() && !saw_eq_) {
      fp_name_ = id;
    }
    if (tag_pending_) {
      tag_pending_ = false;
      tag_name_ = tag_kw_ + " " + id;
    } else if (paren_ == 0 && tag_kw_.empty() &&
               (id == "struct" || id == "union" || id == "enum")) {
      tag_kw_ = id;
      tag_pending_ = true;
    }
  }

  bool OnPunct(char c, size_t i, std::vector<Item>* items, std::string* error) {
    const bool top = brace_ == 0;
    const bool was_ident = prev_was_ident_;
    prev_was_ident_ = false;
    switch (c) {
      case '{':
        if (top && paren_ == 0 && bracket_ == 0) {
          is_function_ = !saw_eq_ && last_sig_ == ')' && !func_name_.empty();
          if (!is_function_ && !saw_eq_ && was_ident && !tag_name_.empty() &&
              last_ident_ == tag_name_.substr(tag_name_.find(' ') + 1)) {
            tag_defined_ = true;
          }
        }
        ++brace_;
        break;
      case '}':
        if (brace_ == 0) return Fail(error, i, "unbalanced '}'");
        --brace_;
        if (brace_ == 0 && is_function_) {
          Emit(items, func_name_, i + 1);
          in_item_ = false;
        }
        break;
      case '(':
        if (top) {
          if (paren_ == 0 && func_name_.empty() && !saw_eq_ && was_ident &&
              !IsAttributeWord(last_ident_)) {
            func_name_ = last_ident_;
          }
          ++paren_;
        }
        break;
      case ')':
        if (top) {
          if (paren_ == 0) return Fail(error, i, "unbalanced ')'");
          --paren_;
        }
        break;
      case '[':
        if (top) ++bracket_;
        break;
      case ']':
        if (top && bracket_ > 0) --bracket_;
        break;
      case '=':
        if (top && paren_ == 0 && bracket_ == 0 && !saw_eq_) {
          saw_eq_ = true;
          eq_name_ = !fp_name_.empty() ? fp_name_ : last_ident0_;
        }
        break;
      case ';':
        if (top && paren_ == 0) {
          if (is_typedef_) {
            Emit(items, !fp_name_.empty() ? fp_name_ : last_ident0_, i + 1);
            if (tag_defined_) Emit(items, tag_name_, i + 1);
          } else if (saw_eq_) {
            Emit(items, eq_name_, i + 1);
          } else if (tag_defined_) {
            Emit(items, tag_name_, i + 1);
          }
          in_item_ = false;
        }
        break;
      default:
        break;
    }
    return true;
  }

  void EmitMacro(std::vector<Item>* items, size_t directive, size_t end) {
    const std::string& t = text_;
    size_t k = t.find("define", directive) + 6;
    while (k < end && (t[k] == ' ' || t[k] == '\t')) ++k;
    const size_t b = k;
    while (k < end && IsIdentChar(t[k])) ++k;
    if (k == b) return;
    Item item;
    item.name = "#define " + t.substr(b, k - b);
    item.begin = directive;
    item.end = end;
    item.line = LineOf(directive);
    items->push_back(item);
  }

  void Emit(std::vector<Item>* items, const std::string& name, size_t end) {
    if (name.empty()) return;
    Item item;
    item.name = name;
    item.begin = item_begin_;
    item.end = end;
    item.line = LineOf(item_begin_);
    items->push_back(item);
  }

  const std::string& text_;
  std::vector<size_t> line_starts_;
  int brace_ = 0;
  bool in_item_ = false;
  size_t item_begin_ = 0;
  int paren_ = 0;
  int bracket_ = 0;
  bool is_function_ = false;
  bool saw_eq_ = false;
  bool is_typedef_ = false;
  bool tag_pending_ = false;
  bool tag_defined_ = false;
  bool prev_was_ident_ = false;
  int idents_ = 0;
  char last_sig_ = '\0';
  std::string func_name_, eq_name_, last_ident_, last_ident0_, fp_name_,
      tag_name_, tag_kw_;
};

std::string QuoteForLine(const std::string& path) {
  std::string out = "\"";
  for (char c : path) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool ScanItems(const std::string& text, std::vector<Item>* items,
               std::string* error) {
  Scanner scanner(text);
  return scanner.Run(items, error);
}

bool Extract(const std::string& text, const std::vector<std::string>& names,
             const std::string& line_path, std::string* out,
             std::string* error) {
  std::vector<Item> items;
  std::string scan_error;
  if (!ScanItems(text, &items, &scan_error)) {
    *error = line_path + ": " + scan_error;
    return false;
  }
  std::map<std::string, std::vector<const Item*>> by_name;
  for (const Item& item : items) by_name[item.name].push_back(&item);

  std::vector<std::string> missing, duplicated;
  std::map<size_t, const Item*> chosen;  // by begin offset: file order, once
  std::set<std::string> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) continue;
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      missing.push_back(name);
    } else if (it->second.size() > 1) {
      duplicated.push_back(name + " (lines");
      for (const Item* item : it->second) {
        duplicated.back() += " " + std::to_string(item->line);
      }
      duplicated.back() += ")";
    } else {
      chosen[it->second[0]->begin] = it->second[0];
    }
  }
  if (!missing.empty() || !duplicated.empty()) {
    std::string msg = line_path + ":";
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (size_t k = 0; k < v.size(); ++k) s += (k ? ", " : " ") + v[k];
      return s;
    };
    if (!missing.empty()) msg += " not found:" + join(missing);
    if (!missing.empty() && !duplicated.empty()) msg += ";";
    if (!duplicated.empty()) msg += " defined more than once:" + join(duplicated);
    *error = msg;
    return false;
  }

  out->clear();
  *out += "/* Cut verbatim from " + line_path + " by extract_functions. */\n";
  for (const auto& [begin, item] : chosen) {
    *out += "#line " + std::to_string(item->line) + " " +
            QuoteForLine(line_path) + "\n";
    // Keep the item's first line's indentation so columns match too.
    size_t line_begin = text.rfind('\n', item->begin);
    line_begin = line_begin == std::string::npos ? 0 : line_begin + 1;
    *out += std::string(item->begin - line_begin, ' ');
    *out += text.substr(item->begin, item->end - item->begin);
    *out += "\n";
  }
  return true;
}

}  // namespace iovacheck::extract
