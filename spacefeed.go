package devsessions

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// maxReadings bounds how many times one run reads a listing that spans
// pages (the dev environments, or one dev environment's sessions) while it
// looks for two readings in a row that agree.
const maxReadings = 4

// readingSeed starts the hash of a reading (FNV-1a's offset basis).
const readingSeed uint64 = 14695981039346656037

// mixReading adds an id's fingerprint to the hash of a reading, in order.
func mixReading(h uint64, f fingerprint) uint64 {
	for _, b := range f {
		h = (h ^ uint64(b)) * 1099511628211
	}
	return h
}

// envFeed is a run's dev environment feed: ListDevEnvironments from the
// first page, one dev environment at a time, with the next page requested
// while sessions are listed (Prefetch 1).
//
// A listing of several pages is not one snapshot: a dev environment created,
// deleted or moved while it is read can make a page skip or repeat one. So
// when a reading of several pages ends, the feed reads the listing again
// from the first page, and ends when a reading fits on one page or gives the
// same ids in the same order as the reading before it. Dev environments
// already given are given again (the run passes over them). After
// maxReadings readings without that, it ends unsettled.
type envFeed struct {
	ctx      context.Context
	client   ListDevEnvironmentsAPIClient
	params   *codecatalyst.ListDevEnvironmentsInput
	pageSize int32

	next     func() (*codecatalyst.ListDevEnvironmentsOutput, error, bool) // nil between readings
	stop     func()
	page     []types.DevEnvironmentSummary // the rest of the current page
	pages    int                           // pages of the current reading
	hash     uint64                        // of the current reading's ids
	prevHash uint64                        // of the reading before it
	readings int

	ended     bool  // no dev environment follows
	unsettled bool  // ended after maxReadings readings that did not agree
	err       error // ListDevEnvironments failed; the feed has ended
}

// pull returns the next dev environment; ok is false at the end or after an
// error (f.err). A panic in the client is raised here (or by close).
func (f *envFeed) pull() (env types.DevEnvironmentSummary, ok bool) {
	for !f.ended {
		if len(f.page) > 0 {
			env, f.page = f.page[0], f.page[1:]
			f.hash = mixReading(f.hash, fingerprintOf(aws.ToString(env.Id)))
			return env, true
		}
		if f.next == nil {
			f.startReading()
		}
		out, err, more := f.next()
		switch {
		case err != nil:
			f.ended, f.err = true, err
		case more:
			f.pages++
			f.page = out.Items
		default:
			f.endReading()
		}
	}
	return env, false
}

func (f *envFeed) startReading() {
	p := NewListDevEnvironmentsPaginator(f.client, f.params, func(o *ListDevEnvironmentsPaginatorOptions) {
		o.PageSize = f.pageSize
		o.Prefetch = 1 // the next page of dev environments comes while sessions are listed
	})
	f.next, f.stop = iter.Pull2(p.Pages(f.ctx))
	f.readings++
	f.pages, f.hash = 0, readingSeed
}

func (f *envFeed) endReading() {
	f.stop()
	f.next, f.stop = nil, nil
	switch {
	case f.pages <= 1, f.readings > 1 && f.hash == f.prevHash:
		f.ended = true
	case f.readings >= maxReadings:
		f.ended, f.unsettled = true, true
	}
	f.prevHash = f.hash
}

// close ends the current reading and returns a panic of the client raised
// while it ends (nil if none), so that the caller raises it after every
// other goroutine of the loop has ended.
func (f *envFeed) close() (panicked any) {
	if f.stop == nil {
		return nil
	}
	defer func() { panicked = recover() }()
	stop := f.stop
	f.next, f.stop = nil, nil
	stop()
	return nil
}
