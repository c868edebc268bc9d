package paginate

// fingerprints is the set of 64-bit fingerprints of the tokens a run has
// sent: open addressing with linear probing in a power-of-two table kept at
// most half full and made four times larger when it would pass that, so a
// page costs one probe sequence (short: the table is at most half full)
// and 16 to 64 bytes of table, 21 to 85 with the tables outgrown on the
// way. The table holds no pointers, so the garbage collector never scans
// it. Growing four times rather than twice rehashes each fingerprint about
// 1.3 times instead of 2; measured (BenchmarkFingerprints, 60 to 12,000
// pages), 2x growth at 3/4 load cost 25-45% more time a page than this.
type fingerprints struct {
	slots []uint64 // 0 marks an empty slot
	n     int
}

// insert puts h in the set and reports whether it was there already: the
// check and the insertion of a page's nextToken are one probe.
func (f *fingerprints) insert(h uint64) (present bool) {
	h |= 1 // 0 is the empty mark; losing one bit of 64 costs nothing
	if 2*(f.n+1) > len(f.slots) {
		f.grow()
	}
	mask := uint64(len(f.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch f.slots[i] {
		case h:
			return true
		case 0:
			f.slots[i] = h
			f.n++
			return false
		}
	}
}

// grow makes the table four times larger (128 slots, 1 KiB, at first).
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
