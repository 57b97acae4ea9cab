// Runs a fuzz target without libFuzzer, deterministically: every file of the
// seed corpus (directories are read in name order), then --runs inputs made
// from them by a seeded mutator of our own (bit flips, random bytes, chunks
// inserted, deleted, repeated or spliced from another seed), or by the
// target's own LLVMFuzzerCustomMutator when it has one (which may call
// LLVMFuzzerMutate, given here as the byte mutator). What `bazel
// test` runs; a finding aborts, and the line printed before each input says
// how to make it again (the seed and the input's number).
//
//   fuzz_driver [--runs=N] [--seed=S] CORPUS_FILE_OR_DIR...
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/fuzz_target.h"
#include "sim/prng.h"

// Defined by structure-aware targets only.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) __attribute__((weak));
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace iovacheck {
namespace {

using Bytes = std::string;

// The byte mutator's generator while a custom mutator runs (LLVMFuzzerMutate
// has no argument to carry it).
SplitMix64* g_byte_rng = nullptr;

void Collect(const std::string& path, std::vector<std::string>* files) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "fuzz_driver: %s: no such file or directory\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) {
    files->push_back(path);
    return;
  }
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') names.push_back(e->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) Collect(path + "/" + n, files);
}

Bytes ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes MutateBytes(Bytes b, const std::vector<Bytes>& seeds, SplitMix64& rng) {
  const uint64_t steps = rng.InRange(1, 4);
  for (uint64_t s = 0; s < steps; ++s) {
    switch (rng.Below(6)) {
      case 0:  // flip a bit
        if (!b.empty()) b[rng.Below(b.size())] ^= static_cast<char>(1u << rng.Below(8));
        break;
      case 1:  // an interesting or random byte
        if (!b.empty()) {
          static const char kBytes[] = {0, 1, 0x7f, static_cast<char>(0x80),
                                        static_cast<char>(0xff)};
          b[rng.Below(b.size())] =
              rng.Below(2) ? kBytes[rng.Below(sizeof(kBytes))] : static_cast<char>(rng.Next());
        }
        break;
      case 2: {  // insert random bytes
        Bytes ins(rng.InRange(1, 16), '\0');
        for (char& c : ins) c = static_cast<char>(rng.Next());
        b.insert(rng.Below(b.size() + 1), ins);
        break;
      }
      case 3:  // delete a chunk
        if (!b.empty()) {
          const uint64_t at = rng.Below(b.size());
          b.erase(at, rng.InRange(1, std::min<uint64_t>(64, b.size() - at)));
        }
        break;
      case 4:  // repeat a chunk
        if (!b.empty()) {
          const uint64_t at = rng.Below(b.size());
          const Bytes chunk = b.substr(at, rng.InRange(1, std::min<uint64_t>(64, b.size() - at)));
          b.insert(rng.Below(b.size() + 1), chunk);
        }
        break;
      case 5:  // splice: this seed's head, another's tail
        if (!seeds.empty()) {
          const Bytes& other = seeds[rng.Below(seeds.size())];
          const uint64_t cut = rng.Below(b.size() + 1);
          const uint64_t from = rng.Below(other.size() + 1);
          b = b.substr(0, cut) + other.substr(from);
        }
        break;
    }
  }
  return b;
}

Bytes Mutate(const std::vector<Bytes>& seeds, SplitMix64& rng) {
  Bytes b = seeds.empty() ? Bytes() : seeds[rng.Below(seeds.size())];
  if (LLVMFuzzerCustomMutator == nullptr) return MutateBytes(std::move(b), seeds, rng);
  const size_t max_size = std::max<size_t>(4096, 2 * b.size());
  const size_t size = b.size();
  b.resize(max_size);
  SplitMix64 byte_rng(rng.Next());
  g_byte_rng = &byte_rng;
  const size_t n = LLVMFuzzerCustomMutator(reinterpret_cast<uint8_t*>(b.data()), size, max_size,
                                           static_cast<unsigned int>(rng.Next()));
  g_byte_rng = nullptr;
  b.resize(std::min(n, max_size));
  return b;
}

int Main(int argc, char** argv) {
  uint64_t runs = 2000, seed = 1;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--runs=", 0) == 0) {
      runs = std::strtoull(a.c_str() + 7, nullptr, 10);
    } else if (a.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(a.c_str() + 7, nullptr, 10);
    } else {
      Collect(a, &files);
    }
  }
  std::vector<Bytes> seeds;
  for (const std::string& f : files) seeds.push_back(ReadAll(f));
  auto run = [](const Bytes& b) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(b.data()), b.size());
  };
  for (size_t i = 0; i < seeds.size(); ++i) {
    std::fprintf(stderr, "\rseed %zu/%zu: %s\033[K", i + 1, seeds.size(), files[i].c_str());
    run(seeds[i]);
  }
  SplitMix64 rng(seed);
  for (uint64_t r = 0; r < runs; ++r) {
    // Remade by --seed=S --runs=R+1 (the last input run is number R).
    if (r % 256 == 0)
      std::fprintf(stderr, "\rmutated input %llu (--seed=%llu)\033[K",
                   static_cast<unsigned long long>(r), static_cast<unsigned long long>(seed));
    run(Mutate(seeds, rng));
  }
  std::fprintf(stderr, "\n");
  std::printf("%zu seed inputs and %llu mutated inputs (--seed=%llu): no finding\n", seeds.size(),
              static_cast<unsigned long long>(runs), static_cast<unsigned long long>(seed));
  return 0;
}

}  // namespace
}  // namespace iovacheck

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size) {
  iovacheck::SplitMix64 fallback(size);
  iovacheck::SplitMix64& rng = iovacheck::g_byte_rng ? *iovacheck::g_byte_rng : fallback;
  std::string b = iovacheck::MutateBytes(std::string(reinterpret_cast<char*>(data), size), {}, rng);
  const size_t n = std::min(b.size(), max_size);
  std::memcpy(data, b.data(), n);
  return n;
}

int main(int argc, char** argv) { return iovacheck::Main(argc, argv); }
