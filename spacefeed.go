package devsessions

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// envFeed is a run's dev environment feed: ListDevEnvironments from the
// first page, one dev environment at a time, with the next page requested
// while sessions are listed (Prefetch 1), each page but the last read again
// once the next one is in (see readings), on a goroutine of its own so that
// the loop does not wait for it (one check at a time). When a reading is
// not complete the feed reads the listing again from the first page, giving
// dev environments already given again (the run passes over them).
type envFeed struct {
	ctx      context.Context
	client   ListDevEnvironmentsAPIClient
	params   *codecatalyst.ListDevEnvironmentsInput
	pageSize int32

	next    func() (*codecatalyst.ListDevEnvironmentsOutput, error, bool) // nil between readings
	stop    func()
	page    []types.DevEnvironmentSummary // the rest of the current page
	rs      readings
	pending chan checkResult // the check in flight, nil if none

	ended     bool  // no dev environment follows
	unsettled bool  // ended after maxReadings readings that were not complete
	err       error // ListDevEnvironments failed; the feed has ended
}

func envID(e types.DevEnvironmentSummary) *string { return e.Id }

// pull returns the next dev environment; ok is false at the end or after an
// error (f.err). A panic in the client is raised here (or by close).
func (f *envFeed) pull() (env types.DevEnvironmentSummary, ok bool) {
	for !f.ended {
		if len(f.page) > 0 {
			env, f.page = f.page[0], f.page[1:]
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
			f.page = out.Items
			if check, tok, want := f.rs.add(pageHash(out.Items, envID), out.NextToken); check {
				f.startCheck(tok, want)
			}
		default:
			f.endReading()
		}
	}
	return env, false
}

// checkResult is the end of a check.
type checkResult struct {
	got, want uint64
	err       error
	panicked  bool
	panicVal  any
}

// startCheck reads a page again on a goroutine of its own, after the check
// before it has ended.
func (f *envFeed) startCheck(tok *string, want uint64) {
	f.collect()
	ch := make(chan checkResult, 1)
	f.pending = ch
	go func() {
		res := checkResult{want: want}
		defer func() {
			if v := recover(); v != nil {
				res.panicked, res.panicVal = true, v
			}
			ch <- res
		}()
		res.got, res.err = f.reread(tok)
	}()
}

// collect waits for the check in flight, if any, and records it. A panic of
// the client in it is raised here, once its goroutine has ended.
func (f *envFeed) collect() {
	if f.pending == nil {
		return
	}
	res := <-f.pending
	f.pending = nil
	if res.panicked {
		panic(res.panicVal)
	}
	f.rs.checked(res.got, res.want, res.err)
}

// reread reads a page of the current reading again.
func (f *envFeed) reread(tok *string) (uint64, error) {
	in := devEnvironmentsSpec.Copy(f.params)
	in.NextToken = tok
	if f.pageSize > 0 {
		in.MaxResults = aws.Int32(f.pageSize)
	}
	out, err := f.client.ListDevEnvironments(f.ctx, &in)
	if err != nil {
		return 0, err
	}
	return pageHash(out.Items, envID), nil
}

func (f *envFeed) startReading() {
	p := NewListDevEnvironmentsPaginator(f.client, f.params, func(o *ListDevEnvironmentsPaginatorOptions) {
		o.PageSize = f.pageSize
		o.Prefetch = 1 // the next page of dev environments comes while sessions are listed
	})
	f.next, f.stop = iter.Pull2(p.Pages(f.ctx))
	f.rs.start()
}

func (f *envFeed) endReading() {
	f.stop()
	f.next, f.stop = nil, nil
	f.collect()
	complete, again := f.rs.end()
	f.ended, f.unsettled = !again, !complete && !again
}

// close waits for the check in flight and ends the current reading (the
// loop's ctx is cancelled by then), and returns a panic of the client in
// either (nil if none), so that the caller raises it after every other
// goroutine of the loop has ended.
func (f *envFeed) close() (panicked any) {
	if f.pending != nil {
		if res := <-f.pending; res.panicked {
			panicked = res.panicVal
		}
		f.pending = nil
	}
	if f.stop != nil {
		stop := f.stop
		f.next, f.stop = nil, nil
		if v := recoverFrom(stop); panicked == nil {
			panicked = v
		}
	}
	return panicked
}

// recoverFrom calls fn and returns what it panicked with, or nil.
func recoverFrom(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return nil
}
