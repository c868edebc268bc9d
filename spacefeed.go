package devsessions

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
	"github.com/aws/aws-sdk-go-v2/service/codecatalyst/types"
)

// envFeed is a run's dev environment feed: ListDevEnvironments from the
// first page, one dev environment at a time. A reader goroutine requests
// the pages one after the other, one page ahead of the loop (it asks for
// the next page while the loop's sessions are listed), and checks a reading
// of several pages when it ends (see readings), reading its pages again
// checkFlight at a time. When a reading is not complete the feed reads the
// listing again from the first page, giving dev environments already given
// again (the run passes over them).
type envFeed struct {
	ctx      context.Context // the loop's: cancelled before close
	client   ListDevEnvironmentsAPIClient
	params   *codecatalyst.ListDevEnvironmentsInput
	pageSize int32

	page []types.DevEnvironmentSummary // the rest of the current page
	rs   readings                      // the reader's while it runs

	// The verdict on the reading that ended, set by its reader.
	complete, again bool

	pages    chan feedPage // from the reader of the current reading; nil between readings
	exited   chan struct{} // closed when that reader has returned
	panicked bool          // the reader panicked (set before exited is closed)
	panicVal any

	ended     bool  // no dev environment follows
	unsettled bool  // ended after maxReadings readings that were not complete
	err       error // ListDevEnvironments failed; the feed has ended
}

// feedPage is what the reader hands the loop: a page, an error, or the end
// of the reading (or of the reader, after a panic).
type feedPage struct {
	items []types.DevEnvironmentSummary
	err   error
	end   bool
}

func envID(e types.DevEnvironmentSummary) *string { return e.Id }

// pull returns the next dev environment; ok is false at the end or after an
// error (f.err). A panic of the client on the reader is raised here, once
// the reader has returned (or by close).
func (f *envFeed) pull() (env types.DevEnvironmentSummary, ok bool) {
	for !f.ended {
		if len(f.page) > 0 {
			env, f.page = f.page[0], f.page[1:]
			return env, true
		}
		if f.pages == nil {
			f.startReading()
		}
		var pg feedPage
		select {
		case pg = <-f.pages:
		case <-f.exited: // a panic, or the loop's ctx ended
			f.ended, f.err = true, f.ctx.Err()
			if f.panicked {
				f.panicked = false // raised once
				panic(f.panicVal)
			}
			continue
		}
		switch {
		case pg.err != nil:
			f.ended, f.err = true, pg.err
		case !pg.end:
			f.page = pg.items
		default:
			<-f.exited
			f.pages = nil
			f.ended, f.unsettled = !f.again, !f.complete && !f.again
		}
	}
	return env, false
}

func (f *envFeed) startReading() {
	f.pages, f.exited = make(chan feedPage), make(chan struct{})
	go f.read(f.pages, f.exited)
}

// read is the reader of one reading.
func (f *envFeed) read(pages chan<- feedPage, exited chan<- struct{}) {
	defer close(exited)
	defer func() {
		if v := recover(); v != nil {
			f.panicked, f.panicVal = true, v
		}
	}()
	hand := func(pg feedPage) bool {
		select {
		case pages <- pg:
			return true
		case <-f.ctx.Done():
			return false
		}
	}
	f.rs.start()
	p := NewListDevEnvironmentsPaginator(f.client, f.params, func(o *ListDevEnvironmentsPaginatorOptions) { o.PageSize = f.pageSize })
	for p.HasMorePages() {
		out, err := p.NextPage(f.ctx)
		if err != nil {
			hand(feedPage{err: err})
			return
		}
		f.rs.add(pageIDs(out.Items, envID), out.NextToken)
		if !p.HasMorePages() {
			f.endReading(out.Items, hand)
			return
		}
		if !hand(feedPage{items: out.Items}) {
			return
		}
	}
}

// endReading hands over the last page of a reading and then its end, with
// the verdict of its check, which starts at once (while the loop has yet to
// take that page) on a goroutine that has ended when endReading returns. A
// panic in the check is raised here then.
func (f *envFeed) endReading(last []types.DevEnvironmentSummary, hand func(feedPage) bool) {
	type verdict struct {
		complete, again bool
		panicked        bool
		panicVal        any
	}
	done := make(chan verdict, 1)
	go func() {
		var v verdict
		defer func() {
			if p := recover(); p != nil {
				v.panicked, v.panicVal = true, p
			}
			done <- v
		}()
		v.complete, v.again = f.rs.end(func(pages []pageRead) (bool, error) {
			return recheck(f.ctx, pages, checkFlight, f.reread)
		})
	}()
	handed := hand(feedPage{items: last})
	v := <-done
	if v.panicked {
		panic(v.panicVal)
	}
	f.complete, f.again = v.complete, v.again
	if handed {
		hand(feedPage{end: true})
	}
}

// checkFlight is how many pages of dev environments a check reads at once.
const checkFlight = 4

// reread reads a page again: the hash of its ids, whether a page follows.
func (f *envFeed) reread(ctx context.Context, tok *string) (uint64, bool, error) {
	in := copyListDevEnvironmentsInput(f.params)
	in.NextToken = tok
	if f.pageSize > 0 {
		in.MaxResults = aws.Int32(f.pageSize)
	}
	out, err := f.client.ListDevEnvironments(ctx, &in)
	if err != nil {
		return 0, false, err
	}
	return pageHash(pageIDs(out.Items, envID)), out.NextToken != nil, nil
}

// close waits for the reader (the loop's ctx is cancelled by then, which
// ends its request or its hand-over) and returns its panic, if any, so that
// the caller raises it after every other goroutine of the loop has ended.
func (f *envFeed) close() (panicked any) {
	if f.exited == nil {
		return nil
	}
	<-f.exited
	if f.panicked {
		f.panicked = false // raised once
		return f.panicVal
	}
	return nil
}
