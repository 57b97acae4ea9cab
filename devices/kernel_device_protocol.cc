#include "devices/kernel_device_protocol.h"

namespace iovacheck {
namespace kernel_protocol {
namespace {

void PutTable(const IntervalTable& t, WireWriter& w) {
  w.U32(static_cast<uint32_t>(t.size()));
  for (const IotlbEntry& e : t.Entries()) w.U64(e.start).U64(e.last).U64(e.addr).U8(e.perm);
}

bool GetTable(WireReader& r, IntervalTable* t) {
  uint32_t n = 0;
  if (!r.U32(&n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    IotlbEntry e;
    if (!r.U64(&e.start) || !r.U64(&e.last) || !r.U64(&e.addr) || !r.U8(&e.perm)) return false;
    t->Add(e);
  }
  return true;
}

}  // namespace

void PutState(const Device& device, WireWriter& w) {
  w.U8(device.in_batch() ? 1 : 0).U32(device.batch_asid());
  const uint32_t num_as = device.config().num_as;
  w.U32(num_as);
  for (uint32_t asid = 0; asid < num_as; ++asid) w.U8(device.parent_default(asid) ? 1 : 0);
  const std::vector<uint32_t> created = device.asids();
  w.U32(static_cast<uint32_t>(created.size()));
  for (uint32_t asid : created) {
    w.U32(asid);
    PutTable(*device.vhost_table(asid), w);
    PutTable(*device.device_table(asid), w);
  }
}

bool GetState(WireReader& r, State* state) {
  *state = State{};
  uint8_t in_batch = 0;
  uint32_t num_as = 0, created = 0;
  if (!r.U8(&in_batch) || !r.U32(&state->batch_asid) || !r.U32(&num_as)) return false;
  state->in_batch = in_batch != 0;
  for (uint32_t asid = 0; asid < num_as; ++asid) {
    uint8_t pt = 0;
    if (!r.U8(&pt)) return false;
    state->parent_default.push_back(pt != 0);
  }
  if (!r.U32(&created)) return false;
  for (uint32_t i = 0; i < created; ++i) {
    uint32_t asid = 0;
    if (!r.U32(&asid)) return false;
    if (!GetTable(r, &state->vhost[asid]) || !GetTable(r, &state->parent[asid])) return false;
  }
  return r.ok();
}

void PutMsg(const IotlbMsg& msg, WireWriter& w) {
  w.U32(msg.version).U32(msg.asid).U64(msg.iova).U64(msg.size).U64(msg.uaddr);
  w.U8(msg.perm).U8(msg.type);
}

bool GetMsg(WireReader& r, IotlbMsg* msg) {
  return r.U32(&msg->version) && r.U32(&msg->asid) && r.U64(&msg->iova) &&
         r.U64(&msg->size) && r.U64(&msg->uaddr) && r.U8(&msg->perm) && r.U8(&msg->type);
}

}  // namespace kernel_protocol
}  // namespace iovacheck
