package paginate

// fingerprints is the set of 64-bit fingerprints of the tokens a run has
// sent: open addressing with linear probing in a power-of-two table kept at
// most half full, so a page costs one probe or two and about 16 bytes.
type fingerprints struct {
	slots []uint64 // 0 marks an empty slot
	n     int
}

// add puts h in the set.
func (f *fingerprints) add(h uint64) {
	h |= 1 // 0 is the empty mark; losing one bit of 64 costs nothing
	if 2*(f.n+1) > len(f.slots) {
		f.grow()
	}
	mask := uint64(len(f.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch f.slots[i] {
		case h:
			return
		case 0:
			f.slots[i] = h
			f.n++
			return
		}
	}
}

// has reports whether h is in the set.
func (f *fingerprints) has(h uint64) bool {
	if f.n == 0 {
		return false
	}
	h |= 1
	mask := uint64(len(f.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch f.slots[i] {
		case h:
			return true
		case 0:
			return false
		}
	}
}

// grow doubles the table (32 slots at first).
func (f *fingerprints) grow() {
	old := f.slots
	f.slots = make([]uint64, max(128, 4*len(old)))
	mask := uint64(len(f.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for f.slots[i] != 0 {
			i = (i + 1) & mask
		}
		f.slots[i] = h
	}
}

// clone returns an independent copy.
func (f *fingerprints) clone() fingerprints {
	return fingerprints{slots: append([]uint64(nil), f.slots...), n: f.n}
}
