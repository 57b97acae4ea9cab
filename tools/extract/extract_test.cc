#include "tools/extract/extract.h"

#include <gtest/gtest.h>

namespace iovacheck::extract {
namespace {

std::vector<std::string> Names(const std::string& text) {
  std::vector<Item> items;
  std::string error;
  EXPECT_TRUE(ScanItems(text, &items, &error)) << error;
  std::vector<std::string> names;
  for (const Item& item : items) names.push_back(item.name);
  return names;
}

TEST(ExtractTest, CutsFunctionVerbatimWithLineDirective) {
  const std::string text =
      "#include \"x.h\"\n"
      "/* a comment { */\n"
      "static int helper(int a);\n"
      "\n"
      "static int f(int a)\n"
      "{\n"
      "    return a + 1; /* } */\n"
      "}\n"
      "int g(void) { return 2; }\n";
  std::string out, error;
  ASSERT_TRUE(Extract(text, {"f"}, "src/x.c", &out, &error)) << error;
  EXPECT_NE(out.find("#line 5 \"src/x.c\"\nstatic int f(int a)\n{\n"
                     "    return a + 1; /* } */\n}\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("int g"), std::string::npos);
  EXPECT_EQ(out.find("helper"), std::string::npos);  // prototypes are not definitions
}

TEST(ExtractTest, IgnoresBracesInStringsCharsCommentsAndDirectives) {
  const std::string text =
      "static const char *s(void) { return \"}{\\\"}\"; }\n"
      "static char c(void) { return '}'; } // }\n"
      "static int d(void)\n{\n#define OPEN { \\\n  {\n  return '\\''; }\n"
      "static int e(void) { return 1; }\n";
  EXPECT_EQ(Names(text), (std::vector<std::string>{"s", "c", "d", "e"}));
}

TEST(ExtractTest, NamesVariablesStructsTypedefsAndAttributes) {
  const std::string text =
      "struct S { int a; };\n"
      "typedef struct T { int b; } T_t;\n"
      "typedef int (*fn_t)(int);\n"
      "static const struct S table[2] = { {1}, {2} };\n"
      "static void (*hook)(void) = 0;\n"
      "struct S;\n"
      "extern int x;\n"
      "G_DEFINE_AUTOPTR_CLEANUP_FUNC(A, b);\n"
      "static void __attribute__((unused)) h(int (*cb)(int)) { }\n"
      "int array_fn(int v[static 3]) { return v[0]; }\n";
  EXPECT_EQ(Names(text),
            (std::vector<std::string>{"struct S", "T_t", "struct T", "fn_t",
                                      "table", "hook", "h", "array_fn"}));
}

TEST(ExtractTest, KeepsFileOrderAndReportsEveryMissingName) {
  const std::string text = "int a(void) { return 0; }\nint b(void) { return 1; }\n";
  std::string out, error;
  ASSERT_TRUE(Extract(text, {"b", "a"}, "t.c", &out, &error));
  EXPECT_LT(out.find("int a"), out.find("int b"));

  EXPECT_FALSE(Extract(text, {"a", "nope", "gone"}, "dir/t.c", &out, &error));
  EXPECT_EQ(error, "dir/t.c: not found: nope, gone");
}

TEST(ExtractTest, AmbiguousNameIsAnError) {
  const std::string text =
      "#ifdef X\nint a(void) { return 0; }\n#endif\n"
      "#ifndef X\nint a(void) { return 1; }\n#endif\n";
  std::string out, error;
  EXPECT_FALSE(Extract(text, {"a"}, "t.c", &out, &error));
  EXPECT_EQ(error, "t.c: defined more than once: a (lines 2 5)");
}

TEST(ExtractTest, ScansOnlyTheFirstBranchOfAConditional) {
  // Each branch opens the same block; only the first one counts.
  const std::string text =
      "int a(int x)\n{\n#if defined(X)\n    if (x) {\n#elif defined(Y)\n"
      "    if (!x) {\n#  if Z\n#  endif\n#else\n    {\n#endif\n"
      "        return 1;\n    }\n    return 0;\n}\n"
      "#ifdef W\nint b(void) { return 0; }\n#else\nint b(void) { return 1; }\n#endif\n";
  std::string out, error;
  ASSERT_TRUE(Extract(text, {"a", "b"}, "t.c", &out, &error)) << error;
  EXPECT_NE(out.find("#elif defined(Y)\n    if (!x) {\n"), std::string::npos) << out;
  EXPECT_NE(out.find("int b(void) { return 0; }\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("return 1; }"), std::string::npos) << out;
}

TEST(ExtractTest, MalformedInputIsAnError) {
  std::string out, error;
  EXPECT_FALSE(Extract("int a(void) { \n", {"a"}, "t.c", &out, &error));
  EXPECT_NE(error.find("t.c: line 1: unbalanced braces"), std::string::npos) << error;
  EXPECT_FALSE(Extract("int a(void) { /* x }\n", {"a"}, "t.c", &out, &error));
  EXPECT_NE(error.find("unterminated comment"), std::string::npos) << error;
}

TEST(ExtractTest, KeepsFirstLineIndentation) {
  const std::string text = "  static int f(void) { return 0; }\n";
  std::string out, error;
  ASSERT_TRUE(Extract(text, {"f"}, "t.c", &out, &error));
  EXPECT_NE(out.find("#line 1 \"t.c\"\n  static int f"), std::string::npos);
}

TEST(ExtractTest, CutsFileScopeMacrosByName) {
  const std::string text =
      "#define STRIDE 16\n"
      "#define TWICE(x) \\\n"
      "\t((x) * 2)\n"
      "static int f(void)\n"
      "{\n"
      "#define INNER 1\n"
      "\treturn TWICE(STRIDE) + INNER;\n"
      "}\n";
  EXPECT_EQ(Names(text),
            (std::vector<std::string>{"#define STRIDE", "#define TWICE", "f"}));
  std::string out, error;
  ASSERT_TRUE(Extract(text, {"#define TWICE"}, "k.c", &out, &error)) << error;
  EXPECT_NE(out.find("#line 2 \"k.c\"\n#define TWICE(x) \\\n\t((x) * 2)\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("STRIDE 16"), std::string::npos);
  // A macro defined inside a function body is not a file-scope item.
  EXPECT_FALSE(Extract(text, {"#define INNER"}, "k.c", &out, &error));
}

}  // namespace
}  // namespace iovacheck::extract
