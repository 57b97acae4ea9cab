// A one-entry memory of the value a lookup returned last, for containers
// that are asked about the same address several times per event (the model,
// the listener rules and the harness each look up the section or buffer an
// event names). The owner clears it whenever the container changes, since a
// B-tree moves its values on insert and erase; a copy starts empty, since
// the pointer is into the original's tree.
#ifndef IOVACHECK_MODEL_LAST_HIT_H_
#define IOVACHECK_MODEL_LAST_HIT_H_

namespace iovacheck {

template <typename T>
struct LastHit {
  const T* value = nullptr;

  LastHit() = default;
  LastHit(const LastHit&) {}
  LastHit& operator=(const LastHit&) {
    value = nullptr;
    return *this;
  }
};

}  // namespace iovacheck

#endif  // IOVACHECK_MODEL_LAST_HIT_H_
