#include "mutate/operators.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mutate/mutant.h"
#include "mutate/sample.h"
#include "mutate/source_mask.h"

namespace iovacheck {
namespace {

// Every mutated text of `code` made by `op`.
std::set<std::string> Mutated(const std::string& code, const std::string& op) {
  std::set<std::string> out;
  for (const Mutant& m : FindMutants("f.cc", code)) {
    if (m.op == op) out.insert(ApplyMutant(code, m));
  }
  return out;
}

TEST(CodeMask, CommentsLiteralsAndDirectivesAreNotCode) {
  const std::string text =
      "#include <a>\n"
      "x = 1; // y < z\n"
      "s = \"a < b\"; c = '<';\n"
      "/* if (a) */ n = 1'000;\n"
      "r = R\"d(x < y)d\";\n";
  const std::vector<bool> code = CodeMask(text);
  auto is_code = [&](const std::string& needle) {
    const size_t at = text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    return code[at];
  };
  EXPECT_FALSE(is_code("#include"));
  EXPECT_TRUE(is_code("x = 1"));
  EXPECT_FALSE(is_code("y < z"));
  EXPECT_FALSE(is_code("a < b"));
  EXPECT_FALSE(is_code("'<'"));
  EXPECT_FALSE(is_code("if (a)"));
  EXPECT_TRUE(is_code("n = 1'000"));
  EXPECT_TRUE(is_code("000;"));  // a digit separator is not a quote
  EXPECT_FALSE(is_code("x < y"));
  EXPECT_TRUE(is_code("r = "));
}

TEST(Operators, RelationalAndEqualityOnlyBetweenSpaces) {
  const std::string code = "bool f(std::vector<int> v, int a) { return a < 2 && a >= v[0]; }\n";
  EXPECT_EQ(Mutated(code, "relational"),
            (std::set<std::string>{
                "bool f(std::vector<int> v, int a) { return a <= 2 && a >= v[0]; }\n",
                "bool f(std::vector<int> v, int a) { return a < 2 && a > v[0]; }\n"}));
  EXPECT_EQ(Mutated("x = a == b;\ny = a->b << 2;\n", "equality"),
            (std::set<std::string>{"x = a != b;\ny = a->b << 2;\n"}));
  EXPECT_TRUE(Mutated("// a < b\ns = \"a < b\";\n", "relational").empty());
}

TEST(Operators, NegatedConditionSkipsDeclarationsInTheCondition) {
  EXPECT_EQ(Mutated("  if (a && (b || c)) f();\n", "negated_condition"),
            (std::set<std::string>{"  if (!(a && (b || c))) f();\n"}));
  EXPECT_EQ(Mutated("  while (n\n         > 0) --n;\n", "negated_condition"),
            (std::set<std::string>{"  while (!(n\n         > 0)) --n;\n"}));
  EXPECT_TRUE(Mutated("  if (const T* t = Find(x)) f(t);\n", "negated_condition").empty());
  EXPECT_TRUE(Mutated("  if (auto it = m.find(k); it != m.end()) f();\n", "negated_condition")
                  .empty());
}

TEST(Operators, OffByOneOnLiteralsAndOnAddressesInConditionsAndReturns) {
  const std::set<std::string> got =
      Mutated("  const uint64_t last = start + len - 1;\n"
              "  if (e.last >= addr) return hva_first;\n",
              "off_by_one");
  EXPECT_EQ(got, (std::set<std::string>{
                     "  const uint64_t last = start + len;\n"
                     "  if (e.last >= addr) return hva_first;\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if ((e.last + 1) >= addr) return hva_first;\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if ((e.last - 1) >= addr) return hva_first;\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if (e.last >= (addr + 1)) return hva_first;\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if (e.last >= (addr - 1)) return hva_first;\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if (e.last >= addr) return (hva_first + 1);\n",
                     "  const uint64_t last = start + len - 1;\n"
                     "  if (e.last >= addr) return (hva_first - 1);\n",
                 }));
  // Not a 1 of a longer number, not a call, not an assignment.
  EXPECT_TRUE(Mutated("x = y + 16;\nif (size() > n) f();\n", "off_by_one").empty());
}

TEST(Operators, DroppedStatementsAreCallsAndAssignmentsOnTheirOwn) {
  const std::string code =
      "void f() {\n"
      "  uint64_t n = 0;\n"
      "  std::vector<int> v;\n"
      "  fit_.Free(start);\n"
      "  *iova = 7;\n"
      "  n += 2;\n"
      "  g(a,\n"
      "    b);\n"
      "  return;\n"
      "}\n";
  std::set<std::string> lines;
  for (const Mutant& m : FindMutants("f.cc", code)) {
    if (m.op == "dropped_statement") lines.insert(code.substr(m.offset, m.length));
  }
  EXPECT_EQ(lines, (std::set<std::string>{"fit_.Free(start);", "*iova = 7;", "n += 2;"}));
}

TEST(Operators, SwappedArgumentsOfCallsNotOfDeclarations) {
  EXPECT_EQ(Mutated("  x = Map(iova, hva, len);\n", "swapped_arguments"),
            (std::set<std::string>{"  x = Map(hva, iova, len);\n",
                                   "  x = Map(iova, len, hva);\n"}));
  EXPECT_TRUE(Mutated("int Map(uint64_t iova, uint64_t* hva) {\n", "swapped_arguments").empty());
  EXPECT_TRUE(Mutated("  if (a, b) f(x, x);\n", "swapped_arguments").empty());
  EXPECT_TRUE(Mutated("  s = absl::StrFormat(\"%d %d\", a, b);\n", "swapped_arguments").empty());
}

TEST(Operators, PageSizeReadsBecomeFixedSizes) {
  EXPECT_EQ(Mutated("  n = len / config.page_size;\n", "page_size"),
            (std::set<std::string>{"  n = len / uint64_t{0x1000};\n",
                                   "  n = len / uint64_t{0x10000};\n"}));
  // Declarations, initialisers and assignments of it are left alone.
  EXPECT_TRUE(Mutated("Foo::Foo(uint64_t page_size) : page_size_(page_size) {}\n"
                      "  page_ = 4;\n  const uint64_t* page = nullptr;\n",
                      "page_size")
                  .size() == 2);  // only the read in page_size_(page_size)
}

TEST(Operators, EveryOperatorIsNamedAndTheListIsStable) {
  const std::string code =
      "int F(int a, int b) {\n  if (a < b) G(a, b);\n  return a + 1;\n}\n";
  const std::vector<Mutant> first = FindMutants("f.cc", code);
  const std::vector<Mutant> second = FindMutants("f.cc", code);
  ASSERT_EQ(first.size(), second.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].Id(), second[i].Id());
    EXPECT_TRUE(ids.insert(first[i].Id()).second) << "two mutants named " << first[i].Id();
    EXPECT_NE(std::find(OperatorNames().begin(), OperatorNames().end(), first[i].op),
              OperatorNames().end())
        << first[i].op;
    EXPECT_GE(first[i].line, 1);
  }
}

TEST(Sample, SameSeedSameMutantsInFileOrder) {
  std::vector<Mutant> all;
  for (int i = 0; i < 50; ++i) {
    Mutant m;
    m.file = i % 2 ? "b.cc" : "a.cc";
    m.offset = static_cast<size_t>(i);
    m.op = "relational";
    all.push_back(m);
  }
  const std::vector<Mutant> a = SampleMutants(all, 10, 7);
  const std::vector<Mutant> b = SampleMutants(all, 10, 7);
  const std::vector<Mutant> c = SampleMutants(all, 10, 8);
  ASSERT_EQ(a.size(), 10u);
  std::vector<std::string> ida, idb, idc;
  for (const Mutant& m : a) ida.push_back(m.Id());
  for (const Mutant& m : b) idb.push_back(m.Id());
  for (const Mutant& m : c) idc.push_back(m.Id());
  EXPECT_EQ(ida, idb);
  EXPECT_NE(ida, idc);
  EXPECT_TRUE(std::is_sorted(ida.begin(), ida.end()));
  EXPECT_EQ(SampleMutants(all, 100, 7).size(), 50u);
}

TEST(Mutant, DiffShowsTheWholeLinesBeforeAndAfter) {
  const std::string text = "a\n  if (x < y) f();\nb\n";
  Mutant m;
  m.file = "f.cc";
  m.line = 2;
  m.op = "relational";
  m.offset = text.find('<');
  m.length = 1;
  m.replacement = "<=";
  EXPECT_EQ(MutantDiff(text, m), "f.cc:2 relational\n-   if (x < y) f();\n+   if (x <= y) f();\n");
  const std::string id = m.Id();
  EXPECT_EQ(id.substr(0, id.rfind('.')), "f.cc:2:relational@" + std::to_string(text.find('<')));
  m.replacement = "<";
  EXPECT_NE(m.Id(), id);  // another replacement at the same place
}

}  // namespace
}  // namespace iovacheck
