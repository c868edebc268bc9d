package devsessions

import "github.com/aws/aws-sdk-go-v2/aws"

// maxReadings bounds how many times one run reads a listing of several
// pages (the dev environments, or one dev environment's sessions) that
// keeps changing while it is read.
const maxReadings = 4

// hashSeed starts a hash (FNV-1a's offset basis).
const hashSeed uint64 = 14695981039346656037

func mixHash(h, v uint64) uint64 {
	for range 8 {
		h = (h ^ (v & 0xff)) * 1099511628211
		v >>= 8
	}
	return h
}

// pageHash hashes the ids of a page, in order.
func pageHash[T any](items []T, id func(T) *string) uint64 {
	h := hashSeed
	for _, it := range items {
		f := fingerprintOf(aws.ToString(id(it)))
		for _, b := range f {
			h = (h ^ uint64(b)) * 1099511628211
		}
	}
	return h
}

// readings tells when a listing of pages read by a run is complete.
//
// Its pages are not one snapshot: a change before a page's place (one
// created, deleted or moved) shifts the pages after it, so that a page can
// skip an item or repeat one. So each page but the last is read again once
// the page after it has been read (check): a shift that made the listing
// skip an item between them changes that page. A reading is complete when
// it is one page, or when every check found its page unchanged. A reading
// with a changed page is followed by another one from the first page (the
// run passes over what it delivered already). A check that failed (the
// service refused the token again, say) leaves the pages unchecked: the
// reading is then complete when it gives the same pages as the one before
// it. After maxReadings readings that are not complete, the listing is
// unsettled.
type readings struct {
	count    int    // readings started
	prevHash uint64 // of the last reading ended

	// The current reading.
	pages     int
	hash      uint64  // of its pages, in order
	nextTok   *string // the token that asks for the page after the last one read
	lastTok   *string // the token the last page read was asked with
	lastHash  uint64
	changed   bool // a check found its page changed
	unchecked bool // a check failed
}

// start begins a reading from the first page.
func (rs *readings) start() {
	rs.count++
	rs.pages, rs.hash, rs.nextTok, rs.lastTok, rs.lastHash = 0, hashSeed, nil, nil, 0
	rs.changed, rs.unchecked = false, false
}

// add records a page read, whose hash is h and whose next token is next.
// When check is true, the page before it is to be read again now, with the
// token tok, and its hash given to checked with want.
func (rs *readings) add(h uint64, next *string) (check bool, tok *string, want uint64) {
	check, tok, want = rs.pages > 0, rs.lastTok, rs.lastHash
	rs.pages++
	rs.lastTok, rs.lastHash, rs.nextTok = rs.nextTok, h, next
	rs.hash = mixHash(rs.hash, h)
	return check, tok, want
}

// checked records the check of a page: its hash read again, or the error.
func (rs *readings) checked(got, want uint64, err error) {
	switch {
	case err != nil:
		rs.unchecked = true
	case got != want:
		rs.changed = true
	}
}

// end ends the current reading: complete, to be read again, or neither
// (unsettled: out of readings).
func (rs *readings) end() (complete, again bool) {
	complete = rs.pages <= 1 || (!rs.changed && (!rs.unchecked || (rs.count > 1 && rs.hash == rs.prevHash)))
	rs.prevHash = rs.hash
	return complete, !complete && rs.count < maxReadings
}
