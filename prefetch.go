package devsessions

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/codecatalyst"
)

// maxPrefetch bounds ListDevEnvironmentSessionsPaginatorOptions.Prefetch.
const maxPrefetch = 100

// fetched is one prefetched response, or the error that ended prefetching.
type fetched struct {
	out *codecatalyst.ListDevEnvironmentSessionsOutput
	err error
}

// fetcher returns the page source for an iterator and the function that
// must run when the iterator ends. Without Prefetch the source fetches on
// demand. With Prefetch n it starts one goroutine that requests up to n
// pages ahead of the caller; stop cancels it, waits for it to exit, and
// keeps the pages it completed (in order, up to the first failure) for the
// paginator's next call, so nothing is fetched twice or counted as
// delivered before it is.
//
// The goroutine works on a copy of the paginator's state and moves it as if
// each page it fetched were delivered in full: the requests it sends are
// exactly those the caller would send without prefetch, so caps, skips and
// duplicate tokens come out the same.
func (p *ListDevEnvironmentSessionsPaginator) fetcher(ctx context.Context,
	optFns []func(*codecatalyst.Options)) (fetch func() error, stop func()) {
	if p.src != nil { // an iterator of this paginator is running: share its source
		return p.src, func() {}
	}
	fetch = func() error { return p.fetch(ctx, optFns) }
	if p.options.Prefetch <= 0 || p.err != nil {
		return fetch, func() {}
	}
	ahead := p.shadow()
	if ahead.stopped || ahead.err != nil {
		return fetch, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	// A request starts only with a free slot, and the caller frees one as it
	// takes a page, so at most Prefetch pages wait and a send never blocks:
	// a page that arrives is never thrown away.
	slots := make(chan struct{}, p.options.Prefetch)
	results := make(chan fetched, p.options.Prefetch)
	go func() {
		defer close(results)
		for !ahead.stopped && ahead.err == nil {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			out, err := ahead.call(ctx, optFns)
			results <- fetched{out, err}
			if err != nil {
				return
			}
			ahead.accept(out)
			ahead.deliverPage()
		}
	}()
	fetch = func() error {
		if len(p.ahead) > 0 {
			return p.fetch(ctx, optFns)
		}
		r, ok := <-results
		if ok {
			<-slots
		}
		switch {
		case !ok: // the goroutine was cancelled before answering
			return p.fetch(ctx, optFns)
		case r.err != nil:
			return r.err
		}
		p.accept(r.out)
		return nil
	}
	p.src = fetch
	stop = func() {
		p.src = nil
		cancel()
		failed := false
		for r := range results { // ends when the goroutine has exited
			if failed = failed || r.err != nil; !failed {
				p.ahead = append(p.ahead, r.out)
			}
		}
	}
	return fetch, stop
}

// shadow returns a copy of the paginator's state advanced past the page it
// has buffered and the pages it holds prefetched, for a prefetching
// goroutine to continue from. It shares nothing mutable with p.
func (p *ListDevEnvironmentSessionsPaginator) shadow() *ListDevEnvironmentSessionsPaginator {
	s := *p
	s.seen = p.seen.clone()
	s.ahead, s.src, s.reqs = nil, nil, nil
	if s.out != nil {
		s.deliverPage()
	}
	for _, out := range p.ahead {
		if s.stopped || s.err != nil {
			break
		}
		s.accept(out)
		s.deliverPage()
	}
	return &s
}
