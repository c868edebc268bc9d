package devsessions

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// maxReadings bounds how many times one run reads a listing of several
// pages (the dev environments, or one dev environment's sessions) that
// keeps changing while it is read.
const maxReadings = 4

// hashSeed starts a hash (FNV-1a's offset basis).
const hashSeed uint64 = 14695981039346656037

// pageIDs returns the fingerprints of a page's ids, in order.
func pageIDs[T any](items []T, id func(T) *string) []fingerprint {
	out := make([]fingerprint, len(items))
	for i, it := range items {
		out[i] = fingerprintOf(aws.ToString(id(it)))
	}
	return out
}

// pageHash hashes a page's fingerprints, in order.
func pageHash(ids []fingerprint) uint64 {
	h := hashSeed
	for _, f := range ids {
		for _, b := range f {
			h = (h ^ uint64(b)) * 1099511628211
		}
	}
	return h
}

// pageRead is one page of a reading: the token it was asked with, the hash
// of its ids, and whether a page followed it.
type pageRead struct {
	tok  *string
	hash uint64
	more bool
}

// readings tells when a listing of pages read by a run is complete.
//
// Its pages are not one snapshot: a change before a page's place (an item
// created, deleted or moved) shifts the pages after it, so that a reading
// can skip an item or repeat one. A reading of one page is a snapshot, and
// complete, without a check, even when an item came twice in it (the run
// delivers it once). A reading of several pages is checked once it has
// ended: each of its pages is read again with the token it was asked with,
// up to checkFlight at a time (so nearly at once: a snapshot of the whole
// listing), and the reading is complete when every page gives the same ids
// and the same "a page follows" as before; an item that came twice in a
// reading its check confirms is listed twice by the service, every time,
// and is delivered once. Else the listing is read again from its first page (the run
// passes over what it delivered), at most maxReadings times. A check that
// fails (the service refusing a token a second time, say) leaves the reading
// to be compared whole with the next one.
type readings struct {
	count   int // readings started
	pages   []pageRead
	nextTok *string
	prev    []pageRead // the reading before, when its check failed
}

// start begins a reading from the first page.
func (rs *readings) start() {
	rs.count++
	rs.pages, rs.nextTok = rs.pages[:0], nil
}

// add records a page read: the fingerprints of its items, its next token.
func (rs *readings) add(ids []fingerprint, next *string) {
	rs.pages = append(rs.pages, pageRead{tok: rs.nextTok, hash: pageHash(ids), more: next != nil})
	rs.nextTok = next
}

// end ends the current reading, checking it with check (which reads the
// pages again and reports whether they gave the same); the listing is
// complete, to be read again, or neither (unsettled: out of readings).
func (rs *readings) end(check func([]pageRead) (same bool, err error)) (complete, again bool) {
	switch {
	case len(rs.pages) <= 1:
		complete = true
	case rs.prev != nil && samePages(rs.pages, rs.prev):
		complete = true
	default:
		same, err := check(rs.pages)
		complete = same && err == nil
		rs.prev = nil
		if err != nil {
			rs.prev = append([]pageRead(nil), rs.pages...)
		}
	}
	return complete, !complete && rs.count < maxReadings
}

func samePages(a, b []pageRead) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].hash != b[i].hash || a[i].more != b[i].more {
			return false
		}
	}
	return true
}

// recheck reads pages again, up to n at a time, with read (the hash of a
// page's ids and whether a page follows it), and reports whether every one
// gave the same as before; the first error stops it. Every read has ended
// when it returns; a panic in one is raised again then, here.
func recheck(parent context.Context, pages []pageRead, n int,
	read func(ctx context.Context, tok *string) (uint64, bool, error)) (bool, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		same     = true
		err      error
		panicked bool
		panicVal any
	)
	slots := make(chan struct{}, n)
	for _, pg := range pages {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break // a mismatch, an error, a panic, or the caller's ctx ended
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			defer func() {
				if v := recover(); v != nil {
					mu.Lock()
					panicked, panicVal = true, v
					mu.Unlock()
					cancel()
				}
			}()
			h, more, e := read(ctx, pg.tok)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case e != nil && err == nil && same:
				err = e
				cancel()
			case e == nil && (h != pg.hash || more != pg.more):
				same = false
				cancel()
			}
		}()
	}
	wg.Wait()
	switch {
	case panicked:
		panic(panicVal)
	case !same:
		return false, nil
	case err != nil:
		return false, err
	case parent.Err() != nil:
		return false, parent.Err()
	}
	return true, nil
}
