// Writes the device fuzzer's seed: a batch that maps two pages in ASID 0 and
// one in ASID 1, then unmaps one, as length-prefixed vhost_msg_v2 writes
// (device_message_fuzzer.cc's input format). Random bytes alone almost
// never make a message the device accepts.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "model/iotlb_msg.h"
#include "translator/plugin/uapi_message.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: device_seed_maker OUT\n");
    return 2;
  }
  using iovacheck::IotlbMsg;
  auto msg = [](uint8_t type, uint32_t asid, uint64_t iova, uint64_t size, uint64_t uaddr) {
    IotlbMsg m;
    m.type = type;
    m.asid = asid;
    m.iova = iova;
    m.size = size;
    m.uaddr = uaddr;
    m.perm = iovacheck::kPermRW;
    return m;
  };
  const std::vector<IotlbMsg> msgs = {
      msg(iovacheck::kIotlbBatchBegin, 0, 0, 0, 0),
      msg(iovacheck::kIotlbUpdate, 0, 0x1000, 0x2000, 0x7f0000000000),
      msg(iovacheck::kIotlbUpdate, 1, 0x1000, 0x1000, 0x7f0000100000),
      msg(iovacheck::kIotlbBatchEnd, 0, 0, 0, 0),
      msg(iovacheck::kIotlbInvalidate, 0, 0x1000, 0x1000, 0),
  };
  std::string out;
  for (const IotlbMsg& m : msgs) {
    const std::string bytes = iovacheck::EncodeUapiMessage(m);
    out.push_back(static_cast<char>(bytes.size()));
    out += bytes;
  }
  std::ofstream f(argv[1], std::ios::binary);
  f << out;
  return f ? 0 : 1;
}
