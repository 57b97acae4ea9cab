#include "fuzz/event_mutator.h"

#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "sim/prng.h"

namespace iovacheck {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// One numeric field of one message (an element, for a repeated field).
struct Slot {
  Message* message;
  const FieldDescriptor* field;
  int index;  // -1: not repeated
};

bool Numeric(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_BOOL:
      return true;
    default:
      return false;
  }
}

// Every numeric field set in `m` and the messages under it.
void CollectSlots(Message* m, std::vector<Slot>* out) {
  const Reflection* r = m->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*m, &fields);
  // Unset fields of a present message count too: an address of 0 is not
  // written, and setting it is the change wanted.
  const google::protobuf::Descriptor* d = m->GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!f->is_repeated() && Numeric(f) && f->containing_oneof() == nullptr &&
        !r->HasField(*m, f)) {
      fields.push_back(f);
    }
  }
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) {
          CollectSlots(r->MutableRepeatedMessage(m, f, i), out);
        }
      } else {
        CollectSlots(r->MutableMessage(m, f), out);
      }
    } else if (Numeric(f)) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(*m, f); ++i) out->push_back({m, f, i});
      } else {
        out->push_back({m, f, -1});
      }
    }
  }
}

uint64_t Get(const Slot& s) {
  const Reflection* r = s.message->GetReflection();
  const bool rep = s.index >= 0;
  switch (s.field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT64:
      return rep ? r->GetRepeatedUInt64(*s.message, s.field, s.index)
                 : r->GetUInt64(*s.message, s.field);
    case FieldDescriptor::CPPTYPE_UINT32:
      return rep ? r->GetRepeatedUInt32(*s.message, s.field, s.index)
                 : r->GetUInt32(*s.message, s.field);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<uint64_t>(rep ? r->GetRepeatedInt64(*s.message, s.field, s.index)
                                       : r->GetInt64(*s.message, s.field));
    case FieldDescriptor::CPPTYPE_INT32:
      return static_cast<uint64_t>(rep ? r->GetRepeatedInt32(*s.message, s.field, s.index)
                                       : r->GetInt32(*s.message, s.field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return rep ? r->GetRepeatedBool(*s.message, s.field, s.index)
                 : r->GetBool(*s.message, s.field);
    default:
      return 0;
  }
}

void Set(const Slot& s, uint64_t v) {
  const Reflection* r = s.message->GetReflection();
  const bool rep = s.index >= 0;
  switch (s.field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT64:
      rep ? r->SetRepeatedUInt64(s.message, s.field, s.index, v)
          : r->SetUInt64(s.message, s.field, v);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      rep ? r->SetRepeatedUInt32(s.message, s.field, s.index, static_cast<uint32_t>(v))
          : r->SetUInt32(s.message, s.field, static_cast<uint32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      rep ? r->SetRepeatedInt64(s.message, s.field, s.index, static_cast<int64_t>(v))
          : r->SetInt64(s.message, s.field, static_cast<int64_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      rep ? r->SetRepeatedInt32(s.message, s.field, s.index, static_cast<int32_t>(v))
          : r->SetInt32(s.message, s.field, static_cast<int32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      rep ? r->SetRepeatedBool(s.message, s.field, s.index, v & 1)
          : r->SetBool(s.message, s.field, v & 1);
      break;
    default:
      break;
  }
}

// Where translators break: the value's neighbours and page edges, the ends
// of the address space, and what other fields of the trace hold (the start
// or end of another mapping).
uint64_t Interesting(uint64_t old, const std::vector<Slot>& pool, SplitMix64& rng) {
  constexpr uint64_t kPage = 0x1000;
  const uint64_t other = pool.empty() ? old : Get(pool[rng.Below(pool.size())]);
  switch (rng.Below(14)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return old - 1;
    case 3: return old + 1;
    case 4: return old + kPage;
    case 5: return old - kPage;
    case 6: return old & ~(kPage - 1);
    case 7: return old | (kPage - 1);
    case 8: return ~uint64_t{0};
    case 9: return ~uint64_t{0} - (kPage - 1);
    case 10: return other;
    case 11: return other + rng.InRange(0, 2) - 1;
    case 12: return other + kPage;
    default: return uint64_t{1} << rng.Below(64);
  }
}

void TweakNumber(Message* m, const std::vector<Slot>& pool, SplitMix64& rng) {
  std::vector<Slot> slots;
  CollectSlots(m, &slots);
  if (slots.empty()) return;
  const Slot& s = slots[rng.Below(slots.size())];
  Set(s, s.field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL ? !Get(s)
                                                               : Interesting(Get(s), pool, rng));
}

void ClearOutputs(trace::Event* e) {
  e->clear_sent();
  e->clear_rc();
  e->clear_iovas();
  e->clear_has_outputs();
  e->clear_dma_segments();
}

}  // namespace

void MutateTrace(trace::Trace* trace, uint64_t seed) {
  SplitMix64 rng(seed);
  auto* events = trace->mutable_events();
  const uint64_t changes = rng.InRange(1, 4);
  for (uint64_t c = 0; c < changes; ++c) {
    const int n = events->size();
    const uint64_t op = rng.Below(12);
    if (n == 0 || op == 0) {  // a listener transaction opened or closed somewhere
      trace::Event e;
      if (rng.Below(2)) {
        e.mutable_listener_begin();
      } else {
        e.mutable_listener_commit();
      }
      events->Add(std::move(e));
      const int to = static_cast<int>(rng.Below(events->size()));
      for (int i = events->size() - 1; i > to; --i) events->SwapElements(i, i - 1);
      continue;
    }
    const int a = static_cast<int>(rng.Below(n));
    const int b = static_cast<int>(rng.Below(n));
    switch (op) {
      case 1:  // dropped
        for (int i = a; i + 1 < n; ++i) events->SwapElements(i, i + 1);
        events->RemoveLast();
        break;
      case 2: {  // repeated, at another place
        trace::Event copy = events->Get(a);
        events->Add(std::move(copy));
        for (int i = n; i > b; --i) events->SwapElements(i, i - 1);
        break;
      }
      case 3:  // two swapped
        events->SwapElements(a, b);
        break;
      case 4:  // what it sent and answered forgotten
        ClearOutputs(events->Mutable(a));
        break;
      case 5: {  // the device configuration
        std::vector<Slot> pool;
        CollectSlots(trace, &pool);
        TweakNumber(trace->mutable_header()->mutable_device(), pool, rng);
        break;
      }
      default: {  // a number in one event
        std::vector<Slot> pool;
        CollectSlots(events->Mutable(b), &pool);
        TweakNumber(events->Mutable(a), pool, rng);
        break;
      }
    }
  }
}

}  // namespace iovacheck
